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
        Product g = Product.of(31, 257, 64, 128);
        int m = g.m();
        float[][] results = new float[3][];
        int[] threads = {1, 2, 5};
        for (int t = 0; t < threads.length; t++) {
            try (CpuBackend cpu = new CpuBackend(threads[t])) {
                Buf C = cpu.alloc(m * g.n());
                cpu.gemm(C, 0, up(cpu, g.a()), 0, false, up(cpu, g.b()), 0, true, m, g.n(), g.k(), 1f, 0f);
                results[t] = down(cpu, C);
            }
        }
        assertArrayEquals(results[0], results[1]);
        assertArrayEquals(results[0], results[2]);
    }

    /** On the CPU, a product accumulated in consecutive parts along k is the very same FMA chain. */
    @Test
    void accumulationInPartsIsBitIdentical() {
        Product g = Product.of(43, 64, 30, 1024);
        int m = g.m();
        int n = g.n();
        int k = g.k();
        for (boolean vector : new boolean[] {true, false}) {
            try (CpuBackend cpu = new CpuBackend(2, vector)) {
                Buf A = up(cpu, g.a());
                Buf B = up(cpu, g.b());
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

    /** A product's shape and standard normal operands A (m by k, or k by m) and B (n by k, or k by n) from the seed. */
    private record Product(int m, int n, int k, float[] a, float[] b) {
        static Product of(long seed, int m, int n, int k) {
            Rng rng = new Rng(seed);
            float[] a = random(rng, m * k, 1);
            return new Product(m, n, k, a, random(rng, n * k, 1));
        }
    }
}
