package dev.recon.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.recon.backend.Backend;
import dev.recon.backend.BackendContract;
import dev.recon.backend.Buf;
import dev.recon.model.Rng;
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
}
