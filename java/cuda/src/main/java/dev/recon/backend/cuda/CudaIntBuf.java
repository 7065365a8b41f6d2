package dev.recon.backend.cuda;

import dev.recon.backend.IntBuf;

/** Int buffer in device memory. */
final class CudaIntBuf implements IntBuf {
    final long handle;
    final int size;

    CudaIntBuf(long handle, int size) {
        this.handle = handle;
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    Ptr at(long intOffset) {
        return new Ptr(handle, 4 * intOffset);
    }
}
