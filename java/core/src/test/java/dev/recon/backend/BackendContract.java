package dev.recon.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Initializer;
import dev.recon.model.Loss;
import dev.recon.model.Objective;
import dev.recon.Rng;
import dev.recon.net.Network;
import dev.recon.net.ReferenceNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every {@link Backend} meets, checked against float64 references. One subclass
 * per implementation supplies the backend. Tolerances are for float32 arithmetic: a sum of K
 * products carries a relative error of about K * 2^-24 of the sum of magnitudes, so elementwise
 * results are compared with {@code 1e-5 * (1 + |sum of |terms||)}.
 */
public abstract class BackendContract {
    protected Backend be;

    protected abstract Backend create();

    @BeforeEach
    void open() {
        be = create();
    }

    @AfterEach
    void close() {
        if (be != null) {
            be.close();
        }
    }

    protected static float[] random(Rng rng, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextGaussian() * scale);
        }
        return a;
    }

    protected Buf up(float[] a) {
        return up(be, a);
    }

    protected float[] down(Buf b) {
        return down(be, b);
    }

    protected static Buf up(Backend backend, float[] a) {
        Buf b = backend.alloc(a.length);
        backend.upload(b, 0, a, 0, a.length);
        return b;
    }

    protected static float[] down(Backend backend, Buf b) {
        float[] a = new float[(int) b.size()];
        backend.download(a, 0, b, 0, a.length);
        return a;
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} beta={5}")
    @CsvSource({
        "false, false, 7, 5, 3, 0", "false, true, 7, 5, 3, 0", "true, false, 7, 5, 3, 0", "true, true, 7, 5, 3, 0",
        "false, true, 64, 33, 30, 0", "true, false, 30, 17, 256, 0", "false, false, 256, 30, 16, 0.5",
        "true, true, 3, 9, 11, 1", "false, false, 1, 1, 1, 0"})
    void gemmMatchesFloat64(boolean transA, boolean transB, int m, int n, int k, float beta) {
        Rng rng = new Rng(m * 31L + n * 7L + k);
        int aOff = 3;
        int bOff = 5;
        int cOff = 2;
        float[] a = random(rng, aOff + m * k, 1);
        float[] b = random(rng, bOff + k * n, 1);
        float[] c = random(rng, cOff + m * n + 4, 1);
        // some exact zeros, as ReLU produces
        for (int i = 0; i < a.length; i += 3) {
            a[i] = 0f;
        }
        float alpha = 0.75f;
        Buf A = up(a);
        Buf B = up(b);
        Buf C = up(c);
        be.gemm(C, cOff, A, aOff, transA, B, bOff, transB, m, n, k, alpha, beta);
        float[] got = down(C);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    double bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    s += av * bv;
                    mag += Math.abs(av * bv);
                }
                double want = alpha * s + beta * c[cOff + i * n + j];
                assertEquals(want, got[cOff + i * n + j], 1e-5 * (1 + mag), "C[" + i + "," + j + "]");
            }
        }
        for (int i = 0; i < cOff; i++) {
            assertEquals(c[i], got[i], "gemm wrote before its offset");
        }
        for (int i = cOff + m * n; i < c.length; i++) {
            assertEquals(c[i], got[i], "gemm wrote past its output");
        }
    }

    @Test
    void gemmWithBetaZeroOverwritesNaN() {
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Buf C = up(c);
        be.gemm(C, 0, up(new float[] {1, 2, 3, 4}), 0, false, up(new float[] {1, 0, 0, 1}), 0, false, 2, 2, 2, 1f, 0f);
        float[] got = down(C);
        assertEquals(1f, got[0]);
        assertEquals(2f, got[1]);
        assertEquals(3f, got[2]);
        assertEquals(4f, got[3]);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void biasActivationForward(Activation act) {
        Rng rng = new Rng(3);
        int rows = 9;
        int n = 13;
        float[] y = random(rng, rows * n, 1);
        float[] b = random(rng, n + 2, 1);
        Buf Y = up(y);
        be.biasActivationForward(Y, up(b), 2, rows, n, act);
        float[] got = down(Y);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double z = (double) y[r * n + j] + b[2 + j];
                double want = act == Activation.RELU ? Math.max(0, z) : z;
                assertEquals(want, got[r * n + j], 1e-6 * (1 + Math.abs(z)));
            }
        }
    }

    @Test
    void reluBackwardMasksByOutput() {
        float[] y = {0f, 1.5f, 0f, 2f, 0f, 0.001f};
        float[] dy = {1f, 2f, 3f, 4f, 5f, 6f};
        Buf DY = up(dy);
        be.activationBackward(DY, up(y), 2, 3, Activation.RELU);
        float[] got = down(DY);
        float[] want = {0f, 2f, 0f, 4f, 0f, 6f};
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i]);
        }
        Buf DY2 = up(dy);
        be.activationBackward(DY2, up(y), 2, 3, Activation.IDENTITY);
        float[] same = down(DY2);
        for (int i = 0; i < dy.length; i++) {
            assertEquals(dy[i], same[i]);
        }
    }

    @Test
    void biasGradientSumsColumns() {
        Rng rng = new Rng(5);
        int rows = 300;
        int n = 17;
        float[] dy = random(rng, rows * n, 1);
        Buf db = be.alloc(n + 4);
        be.upload(db, 0, new float[] {9, 9, 9, 9}, 0, 4);
        be.biasGradient(db, 4, up(dy), rows, n, false);
        float[] got = down(db);
        assertEquals(9f, got[3], "wrote before its offset");
        for (int j = 0; j < n; j++) {
            double s = 0;
            double mag = 0;
            for (int r = 0; r < rows; r++) {
                s += dy[r * n + j];
                mag += Math.abs(dy[r * n + j]);
            }
            assertEquals(s, got[4 + j], 1e-6 * (1 + mag));
        }
    }

    /** The fused layer operations compute exactly what their two parts compute. */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void fusedDenseOperationsEqualTheirParts(Activation act) {
        Rng rng = new Rng(47);
        int rows = 300;
        int in = 30;
        int out = 64;
        float[] x = random(rng, rows * in, 1);
        float[] w = random(rng, 5 + out * in, 0.3);
        float[] b = random(rng, 3 + out, 1);
        float[] dz = random(rng, rows * out, 1);
        float[] a = random(rng, rows * in, 1);
        for (int i = 0; i < a.length; i += 2) {
            a[i] = 0f; // ReLU outputs: zeros mask the gradient
        }
        Buf yFused = be.alloc(rows * out);
        be.denseForward(yFused, up(x), up(w), 5, up(b), 3, rows, out, in, act);
        Buf yParts = be.alloc(rows * out);
        be.gemm(yParts, 0, up(x), 0, false, up(w), 5, true, rows, out, in, 1f, 0f);
        be.biasActivationForward(yParts, up(b), 3, rows, out, act);
        org.junit.jupiter.api.Assertions.assertArrayEquals(down(yParts), down(yFused), "denseForward");
        Buf dxFused = be.alloc(rows * in);
        be.denseInputGradient(dxFused, up(dz), up(w), 5, up(a), rows, out, in, act);
        Buf dxParts = be.alloc(rows * in);
        be.gemm(dxParts, 0, up(dz), 0, false, up(w), 5, false, rows, in, out, 1f, 0f);
        be.activationBackward(dxParts, up(a), rows, in, act);
        org.junit.jupiter.api.Assertions.assertArrayEquals(down(dxParts), down(dxFused), "denseInputGradient");
    }

    @Test
    void biasGradientAccumulates() {
        float[] dy = {1, 2, 3, 4, 5, 6};
        Buf db = up(new float[] {10, 20, 30});
        be.biasGradient(db, 0, up(dy), 2, 3, true);
        float[] got = down(db);
        assertEquals(15f, got[0]);
        assertEquals(27f, got[1]);
        assertEquals(39f, got[2]);
    }

    /** Accumulating a product in two parts along k (beta = 1) gives the product of the whole, to float32 accuracy. */
    @Test
    void gemmAccumulatesAlongK() {
        Rng rng = new Rng(37);
        int m = 30;
        int n = 20;
        int k = 300;
        float[] a = random(rng, k * m, 1); // A^T layout: (k, m), as in a weight gradient
        float[] b = random(rng, k * n, 1);
        Buf A = up(a);
        Buf B = up(b);
        Buf C = be.alloc(m * n);
        be.gemm(C, 0, A, 0, true, B, 0, false, m, n, 100, 1f, 0f);
        be.gemm(C, 0, A, 100L * m, true, B, 100L * n, false, m, n, 200, 1f, 1f);
        float[] got = down(C);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[p * m + i] * b[p * n + j];
                    mag += Math.abs((double) a[p * m + i] * b[p * n + j]);
                }
                assertEquals(s, got[i * n + j], 1e-5 * (1 + mag));
            }
        }
    }

    @Test
    void lossGradientNormalisesByTheWholeMinibatch() {
        float[] y = {1, 2, 3, 4};
        float[] x = {0, 0, 0, 0};
        Buf dY = be.alloc(4);
        Buf err = be.alloc(2);
        be.lossGradient(dY, err, up(y), up(x), 2, 2, 8, Objective.MSE);
        float[] g = down(dY);
        assertEquals(2f * 3 / 16, g[2], 1e-7, "2 (y - x) / (batchRows * d)");
        assertEquals(12.5f, down(err)[1], 1e-6, "row errors do not depend on the minibatch size");
    }

    /** Outputs and targets for an objective: targets in [0, 1] and logits up to 8 in size under a sigmoid. */
    private static float[][] outputsAndTargets(Rng rng, int n, Objective o, float scale) {
        float[] y = random(rng, n, o.sigmoid() ? 8 : scale);
        float[] x = random(rng, n, scale);
        if (o.sigmoid()) {
            for (int i = 0; i < n; i++) {
                x[i] = (float) rng.nextDouble();
            }
            x[1] = 0f;
            x[2] = 1f;
            y[3] = 60f; // saturated: sigmoid rounds to 1
            y[4] = -60f;
        }
        return new float[][] {y, x};
    }

    @ParameterizedTest
    @EnumSource(Objective.class)
    void lossGradientAndRowErrors(Objective objective) {
        Rng rng = new Rng(11);
        int rows = 37;
        int d = 30;
        float[][] yx = outputsAndTargets(rng, rows * d, objective, 1);
        float[] y = yx[0];
        float[] x = yx[1];
        x[5] = y[5]; // an exact zero residual
        Buf dY = be.alloc(rows * d);
        Buf err = be.alloc(rows);
        be.lossGradient(dY, err, up(y), up(x), rows, d, rows, objective);
        float[] g = down(dY);
        float[] e = down(err);
        for (int r = 0; r < rows; r++) {
            double s = 0;
            double mag = 0;
            for (int j = 0; j < d; j++) {
                double[] ref = dev.recon.net.ReferenceNetwork.elementLoss(y[r * d + j], x[r * d + j], objective);
                s += ref[0];
                mag += Math.abs(ref[0]);
                double want = ref[1] / (rows * d);
                // float rounding of sigmoid(z) - x and of y (1 - y) near saturation: relative to the gradient's scale
                assertEquals(want, g[r * d + j], 2e-6 * Math.abs(want) + 1e-6 / (rows * d),
                        objective + " gradient " + (r * d + j));
            }
            assertEquals(s / d, e[r], 1e-5 * (1 + mag / d), objective + " row " + r);
        }
    }

    @ParameterizedTest
    @EnumSource(Objective.class)
    void reconstructionErrorPerRowAndFeature(Objective objective) {
        Rng rng = new Rng(13);
        int rows = 21;
        int d = 6;
        float[][] yx = outputsAndTargets(rng, rows * d, objective, 2);
        float[] y = yx[0];
        float[] x = yx[1];
        Buf err = be.alloc(rows);
        Buf fe = be.alloc(rows * d);
        be.reconstructionError(err, fe, up(y), up(x), rows, d, objective);
        float[] e = down(err);
        float[] f = down(fe);
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double want = dev.recon.net.ReferenceNetwork.elementLoss(y[r * d + j], x[r * d + j], objective)[0];
                assertEquals(want, f[r * d + j], 2e-6 * (1 + want), objective + " element " + (r * d + j));
                s += want;
            }
            assertEquals(s / d, e[r], 1e-5 * (1 + s / d));
        }
        Buf err2 = be.alloc(rows);
        be.reconstructionError(err2, null, up(y), up(x), rows, d, objective);
        float[] e2 = down(err2);
        for (int r = 0; r < rows; r++) {
            assertEquals(e[r], e2[r], "row errors must not depend on whether feature errors are kept");
        }
    }

    /** The noise's hash and Box-Muller, in double: the reference both backends must match. */
    static double referenceNoise(long seed, int step, int i) {
        long x = seed + step * 0x9E3779B97F4A7C15L + (i + 1L) * 0xD1B54A32D192ED03L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        x ^= x >>> 31;
        double u1 = ((x >>> 40) + 0.5) / (1 << 24);
        double u2 = (((x >>> 16) & 0xFFFFFF) + 0.5) / (1 << 24);
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Test
    void gaussianNoiseIsAFunctionOfSeedStepAndIndex() {
        int n = 20_000;
        Buf eps = be.alloc(n);
        IntBuf step = be.allocInt(1);
        be.uploadInt(step, new int[] {7}, 1);
        long seed = 0x1234_5678_9ABC_DEF0L;
        be.gaussianNoise(eps, n, seed, step);
        float[] e = down(eps);
        double mean = 0;
        double var = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(referenceNoise(seed, 7, i), e[i], 1e-6 * (1 + Math.abs(e[i])), "draw " + i);
            mean += e[i];
            var += (double) e[i] * e[i];
        }
        mean /= n;
        var = var / n - mean * mean;
        assertEquals(0, mean, 0.03, "mean of 20,000 draws");
        assertEquals(1, var, 0.04, "variance of 20,000 draws");
        be.uploadInt(step, new int[] {8}, 1);
        be.gaussianNoise(eps, n, seed, step);
        assertNotEquals(e[0], down(eps)[0], "the next step draws afresh");
    }

    @Test
    void reparameterizeAndItsGradientAgainstFloat64() {
        Rng rng = new Rng(29);
        int rows = 13;
        int latent = 5;
        float[] ml = random(rng, rows * 2 * latent, 1.5);
        float[] eps = random(rng, rows * latent, 1);
        float[] dz = random(rng, rows * latent, 1);
        Buf Z = be.alloc(rows * latent);
        Buf kl = be.alloc(rows);
        be.reparameterize(Z, kl, up(ml), up(eps), rows, latent, 0.25f);
        float[] z = down(Z);
        float[] k = down(kl);
        Buf dML = be.alloc(rows * 2 * latent);
        be.reparameterizeBackward(dML, up(dz), up(ml), up(eps), rows, latent, 0.125f);
        float[] d = down(dML);
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < latent; j++) {
                double mu = ml[r * 2 * latent + j];
                double lv = ml[r * 2 * latent + latent + j];
                double sd = Math.exp(lv / 2);
                assertEquals(mu + sd * eps[r * latent + j], z[r * latent + j], 1e-5 * (1 + Math.abs(z[r * latent + j])));
                sum += 1 + lv - mu * mu - Math.exp(lv);
                double g = dz[r * latent + j];
                assertEquals(g + 0.125 * mu, d[r * 2 * latent + j], 1e-5 * (1 + Math.abs(g)));
                double wantLv = g * eps[r * latent + j] * 0.5 * sd + 0.125 * 0.5 * (Math.exp(lv) - 1);
                assertEquals(wantLv, d[r * 2 * latent + latent + j], 1e-5 * (1 + Math.abs(wantLv)));
            }
            assertEquals(0.25 * -0.5 * sum, k[r], 1e-5 * (1 + Math.abs(sum)), "KL of row " + r);
        }
    }

    /**
     * The VAE's gradients (both halves, the reparameterisation and the KL term) against central
     * finite differences of the float64 reference with the same noise, relative to each tensor's
     * largest gradient, for a linear and a sigmoid output.
     */
    @ParameterizedTest
    @EnumSource(value = Objective.class, names = {"MSE", "SIGMOID_BCE"})
    void vaeGradientsMatchFiniteDifferencesOfTheFloat64Reference(Objective objective) {
        AutoencoderSpec spec = new AutoencoderSpec(7, new int[] {9}, 3, Activation.RELU, objective.loss(),
                objective.output(), new dev.recon.model.Vae(0.7, 0, dev.recon.model.Vae.Score.RECON, 4));
        int rows = 5;
        Rng rng = new Rng(31);
        float[] p = Initializer.he(spec, 5);
        float[] x = random(rng, rows * 7, 1);
        if (objective.sigmoid()) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextDouble();
            }
        }
        dev.recon.net.VaeNetwork net = new dev.recon.net.VaeNetwork(be, spec, rows);
        IntBuf step = be.allocInt(2);
        be.uploadInt(step, new int[] {3, 0}, 2);
        net.useStepCounter(step, 99);
        net.setKlWeight(0.7);
        net.setParams(p);
        Buf X = up(x);
        net.forward(X, rows);
        net.backward(X, rows, rows, false);
        float[] g = new float[p.length];
        be.download(g, 0, net.grads(), 0, g.length);
        float[] epsF = new float[rows * 3];
        be.download(epsF, 0, net.noise(), 0, epsF.length);
        ReferenceNetwork ref = new ReferenceNetwork(spec);
        double[] pd = toDouble(p);
        double[] xd = toDouble(x);
        double[] eps = toDouble(epsF);
        double h = 1e-6;
        double[] fd = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double keep = pd[i];
            pd[i] = keep + h;
            double up = ref.vaeLoss(pd, xd, eps, rows, 0.7);
            pd[i] = keep - h;
            double down = ref.vaeLoss(pd, xd, eps, rows, 0.7);
            pd[i] = keep;
            fd[i] = (up - down) / (2 * h);
        }
        dev.recon.model.ParameterLayout layout = new dev.recon.model.ParameterLayout(spec);
        int checked = 0;
        for (int l = 0; l < layout.layers(); l++) {
            for (long[] span : new long[][] {{layout.weight(l), (long) layout.in(l) * layout.out(l)},
                {layout.bias(l), layout.out(l)}}) {
                double largest = 0;
                for (int i = (int) span[0]; i < span[0] + span[1]; i++) {
                    largest = Math.max(largest, Math.abs(fd[i]));
                }
                for (int i = (int) span[0]; i < span[0] + span[1]; i++) {
                    // a ReLU kink inside [p - h, p + h] makes a difference quotient meaningless: those stay loose
                    assertEquals(fd[i], g[i], 2e-3 * largest + 1e-6, "parameter " + i + " of layer " + l);
                    checked++;
                }
            }
        }
        assertEquals(p.length, checked);
    }

    @Test
    void accumulateSumAdds() {
        Rng rng = new Rng(17);
        float[] x = random(rng, 1000, 1);
        Buf acc = be.alloc(3);
        be.upload(acc, 1, new float[] {2.5f}, 0, 1);
        be.accumulateSum(acc, 1, up(x), 1000);
        double s = 2.5;
        for (float v : x) {
            s += v;
        }
        assertEquals(s, down(acc)[1], 1e-4);
        assertEquals(0f, down(acc)[0]);
    }

    @Test
    void gatherCopyAndTransfers() {
        float[] x = {0, 1, 10, 11, 20, 21, 30, 31};
        Buf X = up(x);
        IntBuf idx = be.allocInt(4);
        be.uploadInt(idx, new int[] {3, 0, 2, 1}, 4);
        Buf Y = be.alloc(4);
        be.gatherRows(Y, X, idx, 1, 2, 2); // rows 0 and 2
        float[] y = down(Y);
        assertEquals(0f, y[0]);
        assertEquals(1f, y[1]);
        assertEquals(20f, y[2]);
        assertEquals(21f, y[3]);
        Buf Z = be.alloc(8);
        be.copy(Z, 2, X, 4, 3);
        float[] z = down(Z);
        assertEquals(0f, z[1]);
        assertEquals(20f, z[2]);
        assertEquals(30f, z[4]);
        assertEquals(0f, z[5]);
        float[] part = new float[3];
        be.download(part, 1, X, 6, 2);
        assertEquals(30f, part[1]);
        assertEquals(31f, part[2]);
    }

    @Test
    void adamMatchesFloat64() {
        Rng rng = new Rng(19);
        int n = 1000;
        float[] p = random(rng, n, 1);
        double[] pd = new double[n];
        double[] md = new double[n];
        double[] vd = new double[n];
        for (int i = 0; i < n; i++) {
            pd[i] = p[i];
        }
        Buf P = up(p);
        Buf M = be.alloc(n);
        Buf V = be.alloc(n);
        double lr = 1e-3;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        for (int t = 1; t <= 5; t++) {
            float[] g = random(rng, n, t == 3 ? 1e-6 : 1);
            be.adamStep(P, M, V, up(g), n, (float) (lr / (1 - Math.pow(b1, t))), (float) b1, (float) b2, (float) eps,
                    (float) Math.sqrt(1 - Math.pow(b2, t)));
            for (int i = 0; i < n; i++) {
                md[i] = b1 * md[i] + (1 - b1) * g[i];
                vd[i] = b2 * vd[i] + (1 - b2) * g[i] * g[i];
                double denom = Math.sqrt(vd[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                pd[i] -= lr / (1 - Math.pow(b1, t)) * md[i] / denom;
            }
        }
        float[] got = down(P);
        for (int i = 0; i < n; i++) {
            assertEquals(pd[i], got[i], 1e-6 * (1 + Math.abs(pd[i])), "param " + i);
        }
    }

    /** Rung 2: the whole network, forward, loss and every gradient, against the float64 reference. */
    @ParameterizedTest
    @EnumSource(Objective.class)
    void networkMatchesFloat64Reference(Objective objective) {
        AutoencoderSpec spec = new AutoencoderSpec(30, new int[] {128, 64}, 16, Activation.RELU, objective.loss(),
                objective.output());
        ReferenceNetwork ref = new ReferenceNetwork(spec);
        float[] p = Initializer.he(spec, 3);
        Rng rng = new Rng(23);
        int rows = 50;
        float[] x = random(rng, rows * 30, 1);
        if (objective.sigmoid()) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextDouble();
            }
        }
        double[] pd = toDouble(p);
        double[] xd = toDouble(x);
        Network net = new Network(be, spec, 64);
        net.setParams(p);
        Buf X = up(x);
        Buf out = net.forward(X, rows);
        float[] y = new float[rows * 30];
        be.download(y, 0, out, 0, y.length);
        double[][] acts = ref.forward(pd, xd, rows);
        double[] yd = acts[acts.length - 1];
        for (int i = 0; i < y.length; i++) {
            assertEquals(yd[i], y[i], 1e-4 * (1 + Math.abs(yd[i])), "output " + i);
        }
        net.backward(X, rows);
        float[] e = new float[rows];
        be.download(e, 0, net.rowErrors(), 0, rows);
        double[] ed = ref.rowErrors(pd, xd, rows);
        for (int r = 0; r < rows; r++) {
            assertEquals(ed[r], e[r], 1e-4 * (1 + ed[r]), "row error " + r);
        }
        float[] g = net.downloadGrads();
        double[] gd = ref.gradient(pd, xd, rows);
        double scale = 0;
        for (double v : gd) {
            scale = Math.max(scale, Math.abs(v));
        }
        int off = 0;
        for (int i = 0; i < g.length; i++) {
            // relative to the largest gradient: a float32 chain of 6 layers
            if (Math.abs(gd[i] - g[i]) > 1e-4 * scale + 1e-5 * Math.abs(gd[i])) {
                off++;
            }
        }
        assertEquals(0, off, "gradients differing from the float64 reference (max |g| " + scale + ")");
    }

    /** A 20-step training trajectory with Adam, against the same in float64. */
    @Test
    void twentyStepTrajectoryMatchesFloat64() {
        AutoencoderSpec spec = new AutoencoderSpec(8, new int[] {12, 6}, 3, Activation.RELU, Loss.MSE);
        ReferenceNetwork ref = new ReferenceNetwork(spec);
        float[] p = Initializer.he(spec, 5);
        int rows = 32;
        Rng rng = new Rng(29);
        float[] x = random(rng, rows * 8, 1);
        Network net = new Network(be, spec, rows);
        net.setParams(p);
        int n = p.length;
        Buf M = be.alloc(n);
        Buf V = be.alloc(n);
        Buf X = up(x);
        double[] pd = toDouble(p);
        double[] md = new double[n];
        double[] vd = new double[n];
        double[] xd = toDouble(x);
        float[] e = new float[rows];
        for (int t = 1; t <= 20; t++) {
            net.forward(X, rows);
            net.backward(X, rows);
            be.download(e, 0, net.rowErrors(), 0, rows);
            double loss = 0;
            for (float v : e) {
                loss += v;
            }
            loss /= rows;
            double want = ref.loss(pd, xd, rows);
            assertEquals(want, loss, 1e-4 * want, "loss at step " + t);
            double bc1 = 1 - Math.pow(0.9, t);
            double bc2 = Math.sqrt(1 - Math.pow(0.999, t));
            be.adamStep(net.params(), M, V, net.grads(), n, (float) (1e-2 / bc1), 0.9f, 0.999f, 1e-8f, (float) bc2);
            double[] g = ref.gradient(pd, xd, rows);
            for (int i = 0; i < n; i++) {
                md[i] = 0.9 * md[i] + 0.1 * g[i];
                vd[i] = 0.999 * vd[i] + 0.001 * g[i] * g[i];
                pd[i] -= 1e-2 / bc1 * md[i] / (Math.sqrt(vd[i]) / bc2 + 1e-8);
            }
        }
        assertTrue(ref.loss(pd, xd, rows) < ref.loss(toDouble(p), xd, rows), "training must reduce the loss");
    }

    protected static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
