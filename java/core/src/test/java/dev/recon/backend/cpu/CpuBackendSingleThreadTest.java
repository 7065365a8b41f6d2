package dev.recon.backend.cpu;

import dev.recon.backend.Backend;
import dev.recon.backend.BackendContract;

/** The contract on one thread: the path below the parallel threshold and without helpers. */
class CpuBackendSingleThreadTest extends BackendContract {
    @Override
    protected Backend create() {
        return new CpuBackend(1);
    }
}
