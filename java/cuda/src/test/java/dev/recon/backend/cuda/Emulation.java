package dev.recon.backend.cuda;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Opens the host-emulated device for tests, or skips them where the JNI library was not built. */
final class Emulation {
    private Emulation() {
    }

    /** Whether CI demands the native test libraries (RECON_REQUIRE_EMULATION=1, set by .ci/run). */
    static boolean required() {
        return Boolean.getBoolean("recon.requireEmulation") || "1".equals(System.getenv("RECON_REQUIRE_EMULATION"));
    }

    /** 64 threads per block and at most 4 blocks: real concurrency inside a block, few OS threads. */
    static CudaBackend backend() {
        require();
        return new CudaBackend(new EmulatedDevice(64, 4));
    }

    /** Skips the test where the emulation library was not built, or fails it where CI demands it. */
    static void require() {
        String why = EmulatedDevice.unavailableReason();
        if (why != null && required()) {
            fail("CUDA host emulation required but unavailable: " + why);
        }
        assumeTrue(why == null, "CUDA host emulation unavailable: " + why);
    }
}
