package dev.recon.backend.cpu;

import dev.recon.backend.IntBuf;

/** An int buffer in the Java heap. */
final class CpuIntBuf implements IntBuf {
    final int[] a;

    CpuIntBuf(int n) {
        a = new int[n];
    }

    @Override
    public int size() {
        return a.length;
    }
}
