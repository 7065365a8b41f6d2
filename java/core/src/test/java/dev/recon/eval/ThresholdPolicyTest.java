package dev.recon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ThresholdPolicyTest {
    private static final double[] VAL = {0.1, 0.5, 0.2, 0.9, 0.3, 0.4, 0.8, 0.6, 0.7, 1.0};

    @Test
    void parsesEveryPolicyAndRoundTrips() {
        for (String s : new String[] {"best-f1", "val-quantile:0.995", "fpr:0.001", "mean-std:3"}) {
            assertEquals(s, ThresholdPolicy.parse(s).toString());
        }
        assertEquals(ThresholdPolicy.Kind.VAL_QUANTILE, ThresholdPolicy.parse(" VAL-QUANTILE:0.9 ").kind());
    }

    @Test
    void rejectsBadPolicies() {
        for (String s : new String[] {"quantile:0.9", "val-quantile", "val-quantile:2", "fpr:1", "fpr:x", "mean-std:nan"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ThresholdPolicy.parse(s), s);
            assertTrue(e.getMessage().startsWith("--threshold"), e.getMessage());
        }
    }

    @Test
    void fprFlagsAtMostThatFraction() {
        for (double f : new double[] {0, 0.1, 0.15, 0.3, 0.99}) {
            double t = ThresholdPolicy.parse("fpr:" + f).choose(VAL, null, null);
            int flagged = 0;
            for (double v : VAL) {
                flagged += v >= t ? 1 : 0;
            }
            assertEquals((int) Math.floor(f * VAL.length + 1e-9), flagged, "fpr:" + f);
        }
    }

    @Test
    void meanStdAndQuantile() {
        double t = ThresholdPolicy.parse("mean-std:2").choose(VAL, null, null);
        double mean = 0.55;
        double sd = Math.sqrt(0.0825); // population variance of 0.1 .. 1.0
        assertEquals(mean + 2 * sd, t, 1e-12);
        assertEquals(0.955, ThresholdPolicy.parse("val-quantile:0.95").choose(VAL, null, null), 1e-12);
        assertEquals(1.0, ThresholdPolicy.parse("val-quantile:1").choose(VAL, null, null), 1e-12);
    }

    @Test
    void bestF1UsesTheLabelledSplit() {
        double[] test = {0.1, 0.2, 0.3, 0.9, 0.95};
        boolean[] y = {false, false, false, true, true};
        assertEquals(0.9, ThresholdPolicy.parse("best-f1").choose(VAL, test, y), 0);
        assertThrows(IllegalArgumentException.class, () -> ThresholdPolicy.parse("best-f1").choose(VAL, new double[0], new boolean[0]));
    }

    /** All-zero validation scores (duplicated training rows) must not give a threshold that flags a perfect row. */
    @Test
    void aZeroScoreIsNeverFlagged() {
        double[] zeros = new double[100];
        for (String p : new String[] {"val-quantile:0.995", "mean-std:3", "fpr:0.01"}) {
            double t = ThresholdPolicy.parse(p).choose(zeros, new double[0], new boolean[0]);
            assertEquals(Double.MIN_VALUE, t, p);
            assertTrue(!(0.0 >= t) && Double.MIN_VALUE >= t, p + ": a score of 0 is normal, any positive one is not below");
        }
        assertEquals(2.0, ThresholdPolicy.parse("val-quantile:1").choose(new double[] {1, 2}, new double[0],
                new boolean[0]), "positive thresholds are untouched");
    }

    /** Repeated rows tie their scores: a quantile that lands on a tie must not flag the whole tie. */
    @Test
    void aQuantileOnATiedScoreStepsAboveTheTie() {
        double[] val = new double[300];
        for (int i = 0; i < val.length; i++) {
            val[i] = 1e-15 * (i % 3); // three values, a hundred rows each
        }
        double t = ThresholdPolicy.parse("val-quantile:0.995").choose(val, new double[0], new boolean[0]);
        assertEquals(Math.nextUp(2e-15), t);
        assertEquals(0, Arrays.stream(val).filter(v -> v >= t).count());
        double[] smooth = new double[1000];
        for (int i = 0; i < smooth.length; i++) {
            smooth[i] = i;
        }
        assertEquals(ThresholdPolicy.quantile(smooth, 0.995), ThresholdPolicy.parse("val-quantile:0.995").choose(smooth,
                new double[0], new boolean[0]), "distinct scores keep the plain quantile");
    }
}
