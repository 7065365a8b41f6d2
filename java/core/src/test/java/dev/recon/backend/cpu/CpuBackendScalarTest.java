package dev.recon.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.recon.backend.Backend;
import dev.recon.backend.BackendContract;
import dev.recon.backend.Buf;
import dev.recon.model.Rng;
import dev.recon.train.TrainConfig;
import dev.recon.train.TrainerDeterminismTest;
import org.junit.jupiter.api.Test;

/**
 * The scalar kernels (the fallback without the Vector API) against the contract, and against
 * the vector kernels: the two must agree bit for bit.
 */
class CpuBackendScalarTest extends BackendContract {
    @Override
    protected Backend create() {
        return new CpuBackend(2, false);
    }

    @Test
    void vectorKernelsAreInUseUnderTest() {
        // surefire runs with --add-modules jdk.incubator.vector, so the fast path is the one tested
        assertEquals(true, KernelChoice.vectorized(), "the Vector API kernels should be active in tests");
    }

    @Test
    void scalarAndVectorGemmGiveTheSameBits() {
        assumeTrue(KernelChoice.vectorized());
        Rng rng = new Rng(41);
        int[][] shapes = {{256, 128, 30}, {256, 30, 128}, {128, 30, 256}, {7, 13, 5}, {33, 64, 17}};
        for (int[] s : shapes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int m = s[0];
                    int n = s[1];
                    int k = s[2];
                    float[] a = random(rng, m * k, 1);
                    float[] b = random(rng, k * n, 1);
                    float[] c0 = random(rng, m * n, 1);
                    assertArrayEquals(run(false, a, b, c0, ta, tb, m, n, k), run(true, a, b, c0, ta, tb, m, n, k),
                            "m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb);
                }
            }
        }
    }

    private static float[] run(boolean vector, float[] a, float[] b, float[] c0, boolean ta, boolean tb, int m, int n,
                               int k) {
        try (CpuBackend be = new CpuBackend(2, vector)) {
            Buf A = be.alloc(a.length);
            be.upload(A, 0, a, 0, a.length);
            Buf B = be.alloc(b.length);
            be.upload(B, 0, b, 0, b.length);
            Buf C = be.alloc(c0.length);
            be.upload(C, 0, c0, 0, c0.length);
            be.gemm(C, 0, A, 0, ta, B, 0, tb, m, n, k, 0.5f, 0.25f);
            float[] out = new float[c0.length];
            be.download(out, 0, C, 0, out.length);
            return out;
        }
    }

    @Test
    void scalarAndVectorTrainTheSameModel() {
        assumeTrue(KernelChoice.vectorized());
        TrainConfig cfg = new TrainConfig(3, 64, 3e-3f, 0, 9);
        assertArrayEquals(TrainerDeterminismTest.train(new CpuBackend(2, false), cfg).state().params(),
                TrainerDeterminismTest.train(new CpuBackend(2, true), cfg).state().params());
    }
}
