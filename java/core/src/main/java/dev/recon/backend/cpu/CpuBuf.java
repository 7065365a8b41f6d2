package dev.recon.backend.cpu;

import dev.recon.backend.Buf;

/** A float buffer in the Java heap. */
final class CpuBuf implements Buf {
    /** The data, then {@code pad} floats of slack that are never part of the buffer. */
    final float[] a;
    private final int size;

    CpuBuf(int n, int pad) {
        a = new float[n + pad];
        size = n;
    }

    @Override
    public long size() {
        return size;
    }
}
