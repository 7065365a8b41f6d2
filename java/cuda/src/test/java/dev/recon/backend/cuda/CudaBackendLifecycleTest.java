package dev.recon.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.backend.Buf;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Loss;
import dev.recon.net.Network;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Device memory is given back when a job's backend closes; the backend is confined to its thread. */
class CudaBackendLifecycleTest {
    @Test
    void closingTheBackendFreesEveryAllocationOfTheJob() {
        CudaBackend be = Emulation.backend();
        Network net = new Network(be, new AutoencoderSpec(6, new int[] {8}, 2, Activation.RELU, Loss.MSE), 16);
        Buf x = be.alloc(16 * 6);
        net.forward(x, 16);
        assertTrue(be.liveAllocations() > 5, "the network holds its buffers while the job runs");
        be.close();
        assertEquals(0, be.liveAllocations());
    }

    @Test
    void callsFromAnotherThreadAreRefused() throws InterruptedException {
        try (CudaBackend be = Emulation.backend()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    be.alloc(4);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            }, "intruder");
            t.start();
            t.join();
            assertInstanceOf(IllegalStateException.class, thrown.get());
            assertTrue(thrown.get().getMessage().contains("confined to the thread that opened it"), thrown.get().getMessage());
            assertEquals(0, be.liveAllocations(), "the refused call allocated nothing");
        }
    }
}
