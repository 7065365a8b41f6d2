package dev.recon.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.recon.SimdSpecies;
import dev.recon.model.Objective;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The invariants {@link VectorKernels} states, with sentinels: every array has guard floats
 * before it and exactly L floats of padding after it (the least the kernels may use), filled
 * with odd finite values. The vector kernels must leave every float outside the rows or range
 * of a call as it was, never let the padding reach a result, and give the scalar kernels' bits
 * everywhere else; A and the bias, read one float at a time, get no padding at all.
 */
class VectorKernelsTest {
    private static final int GUARD = 3;
    /** Finite, so that a lane computed from it and stored shows as a different value (a NaN would not). */
    private static final float PAD_VALUE = -7777.25f;

    private final Kernels vector = KernelChoice.vectorized() ? new VectorKernels() : null;
    private final Kernels scalar = ScalarKernels.INSTANCE;
    private final int lanes = KernelChoice.vectorized() ? SimdSpecies.FLOAT.length() : 1;
    private final SplittableRandom rng = new SplittableRandom(17);

    /** Every block and tail of the GEMM: widths around one, two and four vectors, rows around every block height. */
    @Test
    void gemmTouchesOnlyItsRowsAndNeverLetsThePaddingIn() {
        assumeTrue(vector != null, "the Vector API kernels are in use under test (CpuBackendScalarTest checks that)");
        int l = lanes;
        int[] widths = {1, 5, l - 1, l, l + 1, 30, 2 * l - 1, 2 * l, 2 * l + 1, 3 * l + 3, 4 * l, 4 * l + 5, 8 * l + 1};
        int[] heights = {1, 3, 4, 5, 6, 7, 8, 9, 13, 17};
        int calls = 0;
        for (int n : widths) {
            for (int m : heights) {
                for (int k : new int[] {1, 7, 260}) {
                    for (boolean transA : new boolean[] {false, true}) {
                        for (boolean accumulate : new boolean[] {false, true}) {
                            int[][] ranges = m > 2 ? new int[][] {{0, m}, {1, m - 1}} : new int[][] {{0, m}};
                            for (int[] r : ranges) {
                                gemmCase(m, n, k, transA, accumulate, r[0], r[1]);
                                calls++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(calls > 1000, "calls: " + calls);
    }

    private void gemmCase(int m, int n, int k, boolean transA, boolean accumulate, int r0, int r1) {
        int aOff = 2;
        float[] a = random(aOff + m * k, 0);
        int bOff = GUARD;
        float[] b = padded(bOff, k * n);
        int cOff = GUARD;
        float[] c = padded(cOff, m * n);
        float[] want = c.clone();
        float beta = accumulate ? 1f : 0f;
        scalar.gemm(want, cOff, a, aOff, transA, b, bOff, m, n, k, 1f, beta, r0, r1, new float[scalar.scratchSize()]);
        float[] got = c.clone();
        vector.gemm(got, cOff, a, aOff, transA, b, bOff, m, n, k, 1f, beta, r0, r1, new float[vector.scratchSize()]);
        String what = "gemm m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " accumulate=" + accumulate
                + " rows [" + r0 + ", " + r1 + ")";
        assertSameBits(want, got, what);
        assertUntouched(c, got, 0, cOff + r0 * n, what + ": before its rows");
        assertUntouched(c, got, cOff + r1 * n, c.length, what + ": after its rows and in the padding");
    }

    /** The fused dense layer (6-by-4 blocks where n is a multiple of 4L) against GEMM then bias and activation. */
    @Test
    void denseTouchesOnlyItsRows() {
        assumeTrue(vector != null);
        for (int n : new int[] {4 * lanes, 8 * lanes, 30}) {
            for (int m : new int[] {5, 6, 7, 12, 13}) {
                for (boolean relu : new boolean[] {false, true}) {
                    int k = 30;
                    float[] a = random(m * k, 0);
                    int bOff = GUARD;
                    float[] b = padded(bOff, k * n);
                    float[] bias = random(2 + n, 0);
                    float[] c = padded(0, m * n);
                    float[] want = c.clone();
                    float[] got = c.clone();
                    scalar.dense(want, a, b, bOff, m, n, k, bias, 2, relu, 1, m - 1, new float[scalar.scratchSize()]);
                    vector.dense(got, a, b, bOff, m, n, k, bias, 2, relu, 1, m - 1, new float[vector.scratchSize()]);
                    String what = "dense m=" + m + " n=" + n + " relu=" + relu;
                    assertSameBits(want, got, what);
                    assertUntouched(c, got, 0, n, what + ": row 0");
                    assertUntouched(c, got, (m - 1) * n, c.length, what + ": last row and padding");
                }
            }
        }
    }

    /**
     * Column sums, in the chunks threads take: only the chunk ending at column n may store past
     * it, and the floats there must come back as they were.
     */
    @Test
    void columnSumsGiveBackWhatLiesPastTheirColumns() {
        assumeTrue(vector != null);
        for (int n : new int[] {1, lanes - 1, lanes + 3, 30, 4 * lanes + 1, 9 * lanes - 2}) {
            for (int rows : new int[] {1, 4, 33}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] dy = padded(0, rows * n);
                    int dbOff = GUARD;
                    // db holds the next parameters right after these columns, with only L floats of slack
                    float[] db = random(dbOff + n + lanes, 0);
                    float[] want = db.clone();
                    float[] got = db.clone();
                    int[] cuts = {0, n / 3, n / 3 + (n - n / 3) / 2, n};
                    for (int c = 0; c + 1 < cuts.length; c++) {
                        scalar.columnSums(want, dbOff, dy, rows, n, cuts[c], cuts[c + 1], accumulate);
                        vector.columnSums(got, dbOff, dy, rows, n, cuts[c], cuts[c + 1], accumulate);
                    }
                    String what = "columnSums n=" + n + " rows=" + rows + " accumulate=" + accumulate;
                    assertSameBits(want, got, what);
                    assertUntouched(db, got, dbOff + n, db.length, what + ": past column n");
                }
            }
        }
    }

    /** The elementwise kernels over a range that starts and ends between vectors. */
    @Test
    void elementwiseKernelsTouchOnlyTheirRange() {
        assumeTrue(vector != null);
        int size = 5 * lanes + 7;
        int from = 3;
        int to = size - 2;
        float[] y = random(size, 0.3);
        float[] x = random(size, 0);
        float[] logits = y.clone();
        for (int i = 0; i < size; i++) {
            logits[i] = 20 * logits[i] + (i % 7 == 0 ? 70 : 0); // saturated ones and clamped exponents too
        }
        logits[from + 1] = Float.NaN;
        for (Objective objective : Objective.values()) {
            float[] z = objective.sigmoid() ? logits : y;
            float[] dyWant = random(size, 0);
            float[] dyGot = dyWant.clone();
            scalar.lossGradient(dyWant, z, x, from, to, 0.125f, objective);
            vector.lossGradient(dyGot, z, x, from, to, 0.125f, objective);
            assertSameBits(dyWant, dyGot, "lossGradient " + objective);
            float[] eWant = random(size + 4, 0);
            float[] eGot = eWant.clone();
            scalar.losses(eWant, 2, z, x, from, to, objective);
            vector.losses(eGot, 2, z, x, from, to, objective);
            assertSameBits(eWant, eGot, "losses " + objective);
        }
        float[] dyWant = random(size, 0);
        float[] dyGot = dyWant.clone();
        scalar.reluBackward(dyWant, y, from, to);
        vector.reluBackward(dyGot, y, from, to);
        assertSameBits(dyWant, dyGot, "reluBackward");

        float[] p = random(size, 0);
        float[] m = random(size, 0);
        float[] v = random(size, 0);
        for (int i = 0; i < size; i++) {
            v[i] = Math.abs(v[i]);
        }
        float[][] want = {p.clone(), m.clone(), v.clone()};
        float[][] got = {p.clone(), m.clone(), v.clone()};
        scalar.adam(want[0], want[1], want[2], x, from, to, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.5f);
        vector.adam(got[0], got[1], got[2], x, from, to, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.5f);
        for (int i = 0; i < 3; i++) {
            assertSameBits(want[i], got[i], "adam array " + i);
        }

        int n = 30;
        int rows = 5;
        float[] bias = random(1 + n, 0);
        for (boolean relu : new boolean[] {false, true}) {
            float[] c = padded(0, rows * n);
            float[] cWant = c.clone();
            float[] cGot = c.clone();
            scalar.biasActivation(cWant, bias, 1, 1, rows - 1, n, relu);
            vector.biasActivation(cGot, bias, 1, 1, rows - 1, n, relu);
            assertSameBits(cWant, cGot, "biasActivation relu=" + relu);
            assertUntouched(c, cGot, (rows - 1) * n, c.length, "biasActivation: last row and padding");
        }
    }

    /** {@code count} random values after {@code offset} guard floats, then exactly L floats of padding. */
    private float[] padded(int offset, int count) {
        float[] out = new float[offset + count + lanes];
        Arrays.fill(out, PAD_VALUE);
        for (int i = offset; i < offset + count; i++) {
            out[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return out;
    }

    /** Uniform in [-1, 1), a share {@code zeros} of them exactly 0 (ReLU's edge). */
    private float[] random(int count, double zeros) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = rng.nextDouble() < zeros ? 0f : (float) (rng.nextDouble() * 2 - 1);
        }
        return out;
    }

    /** The same bits, except that any NaN equals any NaN: Java leaves a NaN result's sign and payload open. */
    private static void assertSameBits(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(want[i]) && Float.isNaN(got[i])) {
                continue;
            }
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                throw new AssertionError(what + ": float " + i + " is " + got[i] + ", the scalar kernels give " + want[i]);
            }
        }
    }

    private static void assertUntouched(float[] before, float[] after, int from, int to, String what) {
        for (int i = from; i < to; i++) {
            if (Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                throw new AssertionError(what + ": float " + i + " changed from " + before[i] + " to " + after[i]);
            }
        }
    }
}
