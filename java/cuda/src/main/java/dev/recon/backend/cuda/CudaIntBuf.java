package dev.recon.backend.cuda;

import dev.recon.backend.IntBuf;

/** Int buffer in device memory: the allocation's handle and its length in ints. */
record CudaIntBuf(long handle, int size) implements IntBuf {
    Ptr at(long intOffset) {
        return new Ptr(handle, 4 * intOffset);
    }
}
