package dev.recon.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.ThreadMXBean;
import dev.recon.backend.Buf;
import dev.recon.backend.IntBuf;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.StandardScaler;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Initializer;
import dev.recon.model.Loss;
import dev.recon.net.Network;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The CPU training step (gather, forward, backward, loss sum, Adam) allocates nothing once warm,
 * on the calling thread and on the backend's helper threads. Run in a JVM of its own (the
 * {@code no-allocation} execution in the pom), which first scales its data with the Vector API as
 * {@code recon train} does.
 */
class NoAllocationTest {
    @Test
    void aWarmTrainingStepAllocatesNothing() {
        AutoencoderSpec spec = AutoencoderSpec.defaults(30, null, null, Activation.RELU, Loss.MSE);
        int rows = 256;
        try (CpuBackend be = new CpuBackend(2)) {
            Network net = new Network(be, spec, rows);
            net.setParams(Initializer.he(spec, 1));
            int n = net.layout().size();
            Buf data = be.alloc(4096L * 30);
            float[] raw = new float[4096 * 30];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = (float) (3 + 2 * Math.sin(i));
            }
            // the scaler's vector loop (double lanes beside the kernels' float ones) runs first in
            // recon train's JVM too, and its compiled code must not spoil the kernels'
            double[] mean = new double[30];
            double[] scale = new double[30];
            Arrays.fill(mean, 3);
            Arrays.fill(scale, 2);
            StandardScaler scaler = new StandardScaler(mean, scale);
            float[] x = scaler.transform(raw, 4096);
            for (int i = 0; i < 200; i++) {
                // compiled, as in a scoring server or a training run over a large file
                scaler.transform(raw, 0, 4096, x, 0);
            }
            be.upload(data, 0, x, 0, x.length);
            IntBuf perm = be.allocInt(4096);
            int[] idx = new int[4096];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = (i * 7) % 4096;
            }
            be.uploadInt(perm, idx, idx.length);
            Buf xb = be.alloc((long) rows * 30);
            Buf m = be.alloc(n);
            Buf v = be.alloc(n);
            Buf acc = be.alloc(1);
            Runnable step = () -> {
                for (int s = 0; s < 16; s++) {
                    be.gatherRows(xb, data, perm, s * rows, rows, 30);
                    net.forward(xb, rows);
                    net.backward(xb, rows);
                    be.accumulateSum(acc, 0, net.rowErrors(), rows);
                    be.adamStep(net.params(), m, v, net.grads(), n, 1e-4f, 0.9f, 0.999f, 1e-8f, 1f);
                }
            };
            ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            // the calling thread and the backend's helper threads, which share every operation
            String last = "";
            // warm means compiled: on a loaded machine the JIT may take longer than 200 rounds to
            // remove the Vector API's temporaries, so a step that allocates is measured again after
            // more rounds, for up to a minute; one that allocates every time fails
            long deadline = System.nanoTime() + 60_000_000_000L;
            int attempts = 0;
            while (attempts < 2 || System.nanoTime() < deadline) {
                attempts++;
                for (int warm = 0; warm < 200; warm++) {
                    step.run();
                }
                long[] ids = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t == Thread.currentThread() || t.getName().startsWith("recon-cpu-"))
                        .mapToLong(Thread::getId).toArray();
                assertTrue(ids.length >= 2, "the caller and at least one helper thread");
                long[] before = mx.getThreadAllocatedBytes(ids);
                step.run();
                long[] after = mx.getThreadAllocatedBytes(ids);
                last = "";
                for (int i = 0; i < ids.length; i++) {
                    long bytes = after[i] - before[i];
                    // 16 steps; a few hundred bytes would be one stray boxed vector or lambda
                    if (bytes >= 1024) {
                        last += " " + bytes + " bytes on thread " + ids[i];
                    }
                }
                if (last.isEmpty()) {
                    return;
                }
            }
            fail("16 warm training steps allocated, " + attempts + " times over; the last time:" + last);
        }
    }
}
