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
        int m = 257;
        int n = 64;
        int k = 128;
        float[][] ab = operands(31, m * k, n * k);
        float[][] results = new float[3][];
        int[] threads = {1, 2, 5};
        for (int t = 0; t < threads.length; t++) {
            try (CpuBackend cpu = new CpuBackend(threads[t])) {
                Buf C = cpu.alloc(m * n);
                cpu.gemm(C, 0, up(cpu, ab[0]), 0, false, up(cpu, ab[1]), 0, true, m, n, k, 1f, 0f);
                results[t] = down(cpu, C);
            }
        }
        assertArrayEquals(results[0], results[1]);
        assertArrayEquals(results[0], results[2]);
    }

    /** On the CPU, a product accumulated in consecutive parts along k is the very same FMA chain. */
    @Test
    void accumulationInPartsIsBitIdentical() {
        int m = 64;
        int n = 30;
        int k = 1024;
        float[][] ab = operands(43, k * m, k * n);
        for (boolean vector : new boolean[] {true, false}) {
            try (CpuBackend cpu = new CpuBackend(2, vector)) {
                Buf A = up(cpu, ab[0]);
                Buf B = up(cpu, ab[1]);
                Buf whole = cpu.alloc(m * n);
                cpu.gemm(whole, 0, A, 0, true, B, 0, false, m, n, k, 1f, 0f);
                Buf parts = cpu.alloc(m * n);
                for (int p = 0; p < k; p += 300) {
                    int kk = Math.min(300, k - p);
                    cpu.gemm(parts, 0, A, (long) p * m, true, B, (long) p * n, false, m, n, kk, 1f, p == 0 ? 0f : 1f);
                }
                assertArrayEquals(down(cpu, whole), down(cpu, parts), "vector kernels: " + vector);
            }
        }
    }

    /** Standard normal operands of these lengths, drawn from the seed. */
    private static float[][] operands(long seed, int aLength, int bLength) {
        Rng rng = new Rng(seed);
        float[] a = random(rng, aLength, 1);
        return new float[][] {a, random(rng, bLength, 1)};
    }
}
