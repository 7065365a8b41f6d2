package dev.recon.backend.cuda;

import dev.recon.backend.Buf;

/** Float buffer in device memory: the allocation's handle and its length in floats. */
record CudaBuf(long handle, long size) implements Buf {
    Ptr at(long floatOffset) {
        return new Ptr(handle, 4 * floatOffset);
    }
}
