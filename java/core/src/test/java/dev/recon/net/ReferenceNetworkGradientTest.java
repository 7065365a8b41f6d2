package dev.recon.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Loss;
import dev.recon.model.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rung 1: backpropagation in the float64 reference agrees with central finite differences. */
class ReferenceNetworkGradientTest {

    @ParameterizedTest
    @EnumSource(Loss.class)
    void backpropMatchesFiniteDifferences(Loss loss) {
        AutoencoderSpec spec = new AutoencoderSpec(5, new int[] {7, 4}, 3, Activation.RELU, loss);
        ReferenceNetwork ref = new ReferenceNetwork(spec);
        Rng rng = new Rng(7);
        double[] p = new double[ref.layout().size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = rng.nextGaussian() * 0.6;
        }
        int rows = 6;
        double[] x = new double[rows * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        double[] g = ref.gradient(p, x, rows);
        double h = 1e-6;
        int checked = 0;
        for (int i = 0; i < p.length; i++) {
            double keep = p[i];
            p[i] = keep + h;
            double up = ref.loss(p, x, rows);
            p[i] = keep - h;
            double down = ref.loss(p, x, rows);
            p[i] = keep;
            double fd = (up - down) / (2 * h);
            // a ReLU kink or an MAE zero inside [p-h, p+h] makes the difference quotient meaningless
            if (nearKink(ref, p, x, rows, i, h)) {
                continue;
            }
            assertEquals(fd, g[i], 1e-6 + 1e-5 * Math.abs(fd), "parameter " + i);
            checked++;
        }
        assertTrue(checked > p.length * 0.8, "checked only " + checked + " of " + p.length);
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
        for (int j = 0; j < y.length; j++) {
            sb.append(y[j] > x[j] ? '+' : '-');
        }
        return sb.toString();
    }
}
