package dev.recon.backend.cuda;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.recon.backend.Backend;
import dev.recon.backend.BackendContract;

/**
 * The contract on a real GPU. Skipped where there is none, unless {@code -Drecon.requireGpu=true},
 * which turns "no GPU" into a failure (for runs on GPU machines, so that a broken driver setup
 * cannot pass as a skip).
 */
class GpuCudaBackendTest extends BackendContract {
    @Override
    protected Backend create() {
        String why = new CudaProvider().unavailableReason();
        if (why != null && Boolean.getBoolean("recon.requireGpu")) {
            fail("a GPU is required (-Drecon.requireGpu=true) but the CUDA backend is unavailable: " + why);
        }
        assumeTrue(why == null, "no GPU: " + why);
        return new CudaProvider().open();
    }
}
