package dev.recon.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Objective;
import dev.recon.Rng;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rung 1: backpropagation in the float64 reference agrees with central finite differences. */
class ReferenceNetworkGradientTest {

    @ParameterizedTest
    @EnumSource(Objective.class)
    void backpropMatchesFiniteDifferences(Objective loss) {
        Problem q = new Problem(loss);
        double[] g = q.ref.gradient(q.p, q.x, q.rows);
        assertEquals(List.of(), q.mismatches(g));
        assertTrue(q.checked > q.p.length * 0.8, "checked only " + q.checked + " of " + q.p.length);
    }

    /**
     * The check can fail: each tensor is compared relative to its own largest gradient, so a
     * gradient zeroed in the tensor whose gradients are smallest is caught (an absolute tolerance
     * sized for the large tensors would let it pass).
     */
    @ParameterizedTest
    @EnumSource(Objective.class)
    void aZeroedSmallGradientFails(Objective loss) {
        Problem q = new Problem(loss);
        double[] g = q.ref.gradient(q.p, q.x, q.rows);
        int smallest = 0;
        for (int t = 1; t < q.tensors.size(); t++) {
            if (q.largest(g, t) < q.largest(g, smallest)) {
                smallest = t;
            }
        }
        int[] span = q.tensors.get(smallest);
        assertTrue(q.largest(g, smallest) > 0, "the smallest tensor has a gradient to lose");
        java.util.Arrays.fill(g, span[0], span[0] + span[1], 0.0);
        assertTrue(!q.mismatches(g).isEmpty(), "zeroing tensor " + smallest + " went unnoticed");
    }

    /** A small network, rows, parameters, and the central finite differences of the loss. */
    private static final class Problem {
        final ReferenceNetwork ref;
        final double[] p;
        final double[] x;
        final int rows = 6;
        /** Each tensor (a layer's weights, its bias) as {offset, length}. */
        final List<int[]> tensors = new java.util.ArrayList<>();
        final double[] fd;
        final boolean[] kink;
        int checked;

        Problem(Objective loss) {
            AutoencoderSpec spec = new AutoencoderSpec(5, new int[] {7, 4}, 3, Activation.RELU, loss.loss(),
                    loss.output());
            ref = new ReferenceNetwork(spec);
            Rng rng = new Rng(7);
            p = new double[ref.layout().size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = rng.nextGaussian() * 0.6;
            }
            x = new double[rows * 5];
            for (int i = 0; i < x.length; i++) {
                // targets in [0, 1] under a sigmoid output, as pixels are
                x[i] = loss.sigmoid() ? rng.nextDouble() : rng.nextGaussian();
            }
            for (int l = 0; l < ref.layout().layers(); l++) {
                tensors.add(new int[] {(int) ref.layout().weight(l), ref.layout().in(l) * ref.layout().out(l)});
                tensors.add(new int[] {(int) ref.layout().bias(l), ref.layout().out(l)});
            }
            double h = 1e-6;
            fd = new double[p.length];
            kink = new boolean[p.length];
            for (int i = 0; i < p.length; i++) {
                double keep = p[i];
                p[i] = keep + h;
                double up = ref.loss(p, x, rows);
                p[i] = keep - h;
                double down = ref.loss(p, x, rows);
                p[i] = keep;
                fd[i] = (up - down) / (2 * h);
                // a ReLU kink or an MAE zero inside [p-h, p+h] makes the difference quotient meaningless
                kink[i] = nearKink(ref, p, x, rows, i, h);
            }
        }

        double largest(double[] g, int t) {
            double m = 0;
            for (int i = tensors.get(t)[0]; i < tensors.get(t)[0] + tensors.get(t)[1]; i++) {
                m = Math.max(m, Math.abs(g[i]));
            }
            return m;
        }

        /** Parameters whose gradient differs from the finite difference, relative to their tensor. */
        List<Integer> mismatches(double[] g) {
            List<Integer> bad = new java.util.ArrayList<>();
            checked = 0;
            for (int t = 0; t < tensors.size(); t++) {
                // 1e-5 of the tensor's largest difference quotient, and a floor for float64 rounding
                double tol = 1e-5 * largest(fd, t) + 1e-9;
                for (int i = tensors.get(t)[0]; i < tensors.get(t)[0] + tensors.get(t)[1]; i++) {
                    if (kink[i]) {
                        continue;
                    }
                    checked++;
                    if (Math.abs(fd[i] - g[i]) > tol) {
                        bad.add(i);
                    }
                }
            }
            return bad;
        }
    }

    /** True when moving parameter i by h changes which ReLUs are active or which residual signs hold. */
    private static boolean nearKink(ReferenceNetwork ref, double[] p, double[] x, int rows, int i, double h) {
        double keep = p[i];
        p[i] = keep + 2 * h;
        String up = pattern(ref, p, x, rows);
        p[i] = keep - 2 * h;
        String down = pattern(ref, p, x, rows);
        p[i] = keep;
        return !up.equals(down);
    }

    private static String pattern(ReferenceNetwork ref, double[] p, double[] x, int rows) {
        double[][] acts = ref.forward(p, x, rows);
        StringBuilder sb = new StringBuilder();
        for (double[] a : acts) {
            for (double v : a) {
                sb.append(v > 0 ? '1' : '0');
            }
        }
        double[] y = acts[acts.length - 1];
        boolean sigmoid = ref.spec().objective().sigmoid();
        for (int j = 0; j < y.length; j++) {
            double out = sigmoid ? 1 / (1 + Math.exp(-y[j])) : y[j];
            sb.append(out > x[j] ? '+' : '-');
        }
        return sb.toString();
    }
}
