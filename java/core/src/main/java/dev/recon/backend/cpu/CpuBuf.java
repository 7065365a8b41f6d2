package dev.recon.backend.cpu;

import dev.recon.backend.Buf;

/** A float buffer in the Java heap. */
final class CpuBuf implements Buf {
    final float[] a;

    CpuBuf(int n) {
        a = new float[n];
    }

    @Override
    public long size() {
        return a.length;
    }
}
