package dev.recon.backend.cpu;

import java.util.Arrays;

/**
 * Transposed copies of the weight matrices that dense layers read as the GEMM's B operand,
 * kept from call to call: a minibatch runs the forward pass once per pass of rows, and scoring
 * once per chunk, all with the same weights. A copy is reused only while its source still
 * holds the same values, checked against a saved copy of the source (a contiguous comparison
 * costs a fraction of the strided transpose), so no caller has to say when weights change.
 */
final class Transposes {
    /** Enough for every layer of a network and its twin in a second network on the same backend. */
    private static final int CAPACITY = 16;

    private final Entry[] entries = new Entry[CAPACITY];
    private int next;

    /** B^T as a (k, n) row-major array with {@link CpuBackend#PAD} floats of slack, B being (n, k) at {@code off}. */
    float[] of(float[] b, int off, int n, int k) {
        int len = n * k;
        for (Entry e : entries) {
            if (e != null && e.src == b && e.off == off && e.n == n && e.k == k) {
                if (!Arrays.equals(e.copy, 0, len, b, off, off + len)) {
                    e.refresh();
                }
                return e.t;
            }
        }
        Entry e = new Entry(b, off, n, k);
        entries[next] = e;
        next = (next + 1) % CAPACITY;
        return e.t;
    }

    private static final class Entry {
        final float[] src;
        final int off;
        final int n;
        final int k;
        final float[] copy;
        final float[] t;

        Entry(float[] src, int off, int n, int k) {
            this.src = src;
            this.off = off;
            this.n = n;
            this.k = k;
            copy = new float[n * k];
            t = new float[n * k + CpuBackend.PAD];
            refresh();
        }

        void refresh() {
            System.arraycopy(src, off, copy, 0, n * k);
            for (int j = 0; j < n; j++) {
                int s = j * k;
                for (int p = 0; p < k; p++) {
                    t[p * n + j] = copy[s + p];
                }
            }
        }
    }
}
