package dev.recon.backend.cuda;

import dev.recon.backend.Buf;

/** Float buffer in device memory. */
final class CudaBuf implements Buf {
    final long handle;
    final long size;

    CudaBuf(long handle, long size) {
        this.handle = handle;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    Ptr at(long floatOffset) {
        return new Ptr(handle, 4 * floatOffset);
    }
}
