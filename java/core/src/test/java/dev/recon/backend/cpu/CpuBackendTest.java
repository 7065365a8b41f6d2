package dev.recon.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.recon.backend.Backend;
import dev.recon.backend.BackendContract;
import dev.recon.backend.Buf;
import dev.recon.Rng;
import org.junit.jupiter.api.Test;

/** The CPU reference backend against the contract, with two threads (the cores of CI). */
class CpuBackendTest extends BackendContract {
    @Override
    protected Backend create() {
        return new CpuBackend(2);
    }

    @Test
    void gemmIsBitIdenticalForAnyThreadCount() {
        Rng rng = new Rng(31);
        int m = 257;
        int n = 64;
        int k = 128;
        float[] a = random(rng, m * k, 1);
        float[] b = random(rng, n * k, 1);
        float[][] results = new float[3][];
        int[] threads = {1, 2, 5};
        for (int t = 0; t < threads.length; t++) {
            try (CpuBackend cpu = new CpuBackend(threads[t])) {
                Buf A = cpu.alloc(a.length);
                cpu.upload(A, 0, a, 0, a.length);
                Buf B = cpu.alloc(b.length);
                cpu.upload(B, 0, b, 0, b.length);
                Buf C = cpu.alloc(m * n);
                cpu.gemm(C, 0, A, 0, false, B, 0, true, m, n, k, 1f, 0f);
                results[t] = new float[m * n];
                cpu.download(results[t], 0, C, 0, m * n);
            }
        }
        assertArrayEquals(results[0], results[1]);
        assertArrayEquals(results[0], results[2]);
    }

    /** On the CPU, a product accumulated in consecutive parts along k is the very same FMA chain. */
    @Test
    void accumulationInPartsIsBitIdentical() {
        Rng rng = new Rng(43);
        int m = 64;
        int n = 30;
        int k = 1024;
        float[] a = random(rng, k * m, 1);
        float[] b = random(rng, k * n, 1);
        for (boolean vector : new boolean[] {true, false}) {
            try (CpuBackend cpu = new CpuBackend(2, vector)) {
                Buf A = cpu.alloc(a.length);
                cpu.upload(A, 0, a, 0, a.length);
                Buf B = cpu.alloc(b.length);
                cpu.upload(B, 0, b, 0, b.length);
                Buf whole = cpu.alloc(m * n);
                cpu.gemm(whole, 0, A, 0, true, B, 0, false, m, n, k, 1f, 0f);
                Buf parts = cpu.alloc(m * n);
                for (int p = 0; p < k; p += 300) {
                    int kk = Math.min(300, k - p);
                    cpu.gemm(parts, 0, A, (long) p * m, true, B, (long) p * n, false, m, n, kk, 1f, p == 0 ? 0f : 1f);
                }
                float[] w = new float[m * n];
                float[] q = new float[m * n];
                cpu.download(w, 0, whole, 0, w.length);
                cpu.download(q, 0, parts, 0, q.length);
                assertArrayEquals(w, q, "vector kernels: " + vector);
            }
        }
    }
}
