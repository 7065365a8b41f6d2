package dev.recon.backend.cuda;

import dev.recon.backend.Backend;
import dev.recon.backend.BackendContract;

/**
 * The CUDA backend's Java code and every kernel of kernels/*.cu, executed through the host
 * emulation, against the same contract as the CPU reference backend.
 */
class EmulatedCudaBackendTest extends BackendContract {
    @Override
    protected Backend create() {
        return Emulation.backend();
    }
}
