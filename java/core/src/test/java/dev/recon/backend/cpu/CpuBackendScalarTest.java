package dev.recon.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.recon.backend.Backend;
import dev.recon.backend.BackendContract;
import dev.recon.backend.Buf;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Loss;
import dev.recon.Rng;
import dev.recon.train.TrainConfig;
import dev.recon.train.TrainListener;
import dev.recon.train.Trainer;
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

    /**
     * Every block shape and column tail of the vector GEMM: widths below, at and past one, two
     * and four vectors (50, 94 and 120 end in a partial vector after whole blocks), rows that
     * leave every remainder of the 8-, 6- and 4-row blocks, and the three kinds of call: a
     * product (alpha 1, beta 0, the kernels), a sum continued along k (alpha = beta = 1) and a
     * scaled one (the scalar path).
     */
    @Test
    void scalarAndVectorGemmGiveTheSameBits() {
        assumeTrue(KernelChoice.vectorized());
        Rng rng = new Rng(41);
        int[][] shapes = {{256, 128, 30}, {256, 30, 128}, {128, 30, 256}, {7, 13, 5}, {33, 64, 17}, {64, 50, 20},
            {61, 94, 20}, {29, 120, 7}, {53, 16, 64}, {47, 64, 16}, {43, 200, 33}, {19, 80, 300}, {96, 48, 9}};
        float[][] alphaBeta = {{1f, 0f}, {1f, 1f}, {0.5f, 0.25f}};
        for (int[] s : shapes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (float[] ab : alphaBeta) {
                        int m = s[0];
                        int n = s[1];
                        int k = s[2];
                        float[] a = random(rng, m * k, 1);
                        float[] b = random(rng, k * n, 1);
                        float[] c0 = random(rng, m * n, 1);
                        assertArrayEquals(run(false, a, b, c0, ta, tb, m, n, k, ab[0], ab[1]),
                                run(true, a, b, c0, ta, tb, m, n, k, ab[0], ab[1]),
                                "m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb + " alpha=" + ab[0]
                                        + " beta=" + ab[1]);
                    }
                }
            }
        }
    }

    private static float[] run(boolean vector, float[] a, float[] b, float[] c0, boolean ta, boolean tb, int m, int n,
                               int k, float alpha, float beta) {
        return on(vector, be -> {
            Buf C = up(be, c0);
            be.gemm(C, 0, up(be, a), 0, ta, up(be, b), 0, tb, m, n, k, alpha, beta);
            return C;
        });
    }

    /**
     * The dense layer (GEMM, then bias and activation on each thread's rows): every width class
     * of the vector kernels (whole 4-vector groups, 8-row blocks only, both, a row tail past the
     * last whole vector), both activations, and k past one panel.
     */
    @Test
    void scalarAndVectorDenseLayersGiveTheSameBits() {
        assumeTrue(KernelChoice.vectorized());
        Rng rng = new Rng(43);
        int[][] shapes = {{4096, 128, 30}, {1000, 64, 128}, {301, 16, 64}, {77, 30, 128}, {61, 94, 20}, {53, 50, 7},
            {29, 200, 300}, {9, 64, 5}, {37, 5, 11}, {40, 17, 3}};
        for (int[] s : shapes) {
            for (Activation act : new Activation[] {Activation.RELU, Activation.IDENTITY}) {
                int rows = s[0];
                int out = s[1];
                int in = s[2];
                float[] x = random(rng, rows * in, 1);
                float[] w = random(rng, out * in, 0.3);
                float[] bias = random(rng, out, 0.5);
                String shape = "rows=" + rows + " out=" + out + " in=" + in + " " + act;
                assertArrayEquals(dense(false, x, w, bias, rows, out, in, act),
                        dense(true, x, w, bias, rows, out, in, act), shape);
            }
        }
    }

    private static float[] dense(boolean vector, float[] x, float[] w, float[] bias, int rows, int out, int in,
                                 Activation act) {
        return on(vector, be -> {
            Buf Y = be.alloc((long) rows * out);
            be.denseForward(Y, up(be, x), up(be, w), 0, up(be, bias), 0, rows, out, in, act);
            return Y;
        });
    }

    /** The gradient into a ReLU layer's input: GEMM, then the ReLU's derivative as a mask. */
    @Test
    void scalarAndVectorInputGradientsGiveTheSameBits() {
        assumeTrue(KernelChoice.vectorized());
        Rng rng = new Rng(47);
        int[][] shapes = {{512, 64, 128}, {512, 128, 64}, {301, 16, 64}, {77, 128, 30}, {61, 94, 20}, {29, 300, 200},
            {9, 5, 64}};
        for (int[] s : shapes) {
            int rows = s[0];
            int out = s[1];
            int in = s[2];
            float[] dz = random(rng, rows * out, 1);
            float[] w = random(rng, out * in, 0.3);
            float[] y = random(rng, rows * in, 1);
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.max(y[i], 0f); // a ReLU's output: exact zeros where it was off
            }
            assertArrayEquals(inputGradient(false, dz, w, y, rows, out, in),
                    inputGradient(true, dz, w, y, rows, out, in), "rows=" + rows + " out=" + out + " in=" + in);
        }
    }

    /** What {@code op} leaves in the buffer it returns, on a two-thread backend with the vector or the scalar kernels. */
    private static float[] on(boolean vector, java.util.function.Function<CpuBackend, Buf> op) {
        try (CpuBackend be = new CpuBackend(2, vector)) {
            return down(be, op.apply(be));
        }
    }

    private static float[] inputGradient(boolean vector, float[] dz, float[] w, float[] y, int rows, int out, int in) {
        return on(vector, be -> {
            Buf dX = be.alloc((long) rows * in);
            be.denseInputGradient(dX, up(be, dz), up(be, w), 0, up(be, y), rows, out, in, Activation.RELU);
            return dX;
        });
    }

    /**
     * A whole training run on widths the default network does not have (50 inputs, hidden 94 and
     * 120: partial vectors after whole blocks, where the vector GEMM once wrote into the next row)
     * gives the same model with either kernel set.
     */
    @Test
    void scalarAndVectorTrainTheSameModelOnOddWidths() {
        assumeTrue(KernelChoice.vectorized());
        AutoencoderSpec spec = AutoencoderSpec.defaults(50, new int[] {120, 94}, 16, Activation.RELU, Loss.MSE);
        Rng rng = new Rng(53);
        float[] train = random(rng, 600 * 50, 1);
        float[] val = random(rng, 100 * 50, 1);
        TrainConfig cfg = new TrainConfig(2, 64, 3e-3f, 0, 5);
        float[][] params = new float[2][];
        for (int v = 0; v < 2; v++) {
            try (CpuBackend be = new CpuBackend(2, v == 1)) {
                Trainer t = new Trainer(be, spec, cfg);
                params[v] = t.train(train, 600, val, 100, t.initialState(), TrainListener.NONE).state().params();
            }
        }
        assertArrayEquals(params[0], params[1]);
    }

    @Test
    void scalarAndVectorTrainTheSameModel() {
        assumeTrue(KernelChoice.vectorized());
        TrainConfig cfg = new TrainConfig(3, 64, 3e-3f, 0, 9);
        assertArrayEquals(TrainerDeterminismTest.train(new CpuBackend(2, false), cfg).state().params(),
                TrainerDeterminismTest.train(new CpuBackend(2, true), cfg).state().params());
    }
}
