package dev.recon.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The float exp and log the sigmoid objectives use, against double precision. */
class FloatMathTest {
    /** Distance in units of the last place of the float nearest the true value. */
    private static double ulps(float got, double want) {
        return Math.abs(got - want) / Math.ulp((float) want);
    }

    @Test
    void expIsWithinTwoUlpOverTheWholeFloatRange() {
        double worst = 0;
        for (float x = -87f; x <= 88f; x += 0.0007f) {
            worst = Math.max(worst, ulps(FloatMath.exp(x), Math.exp(x)));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        assertEquals(1f, FloatMath.exp(0f));
        assertTrue(Float.isNaN(FloatMath.exp(Float.NaN)));
        assertTrue(FloatMath.exp(1000f) > 1e38f && Float.isFinite(FloatMath.exp(1000f)), "clamped, not infinite");
        assertTrue(FloatMath.exp(-1000f) > 0f && FloatMath.exp(-1000f) <= Float.MIN_NORMAL, "clamped to 2^-126");
    }

    @Test
    void logIsWithinTwoUlpOnOneToTwo() {
        double worst = 0;
        for (float u = 1f; u <= 2f; u = Math.nextUp(u) + 1e-6f) {
            double want = Math.log(u);
            if (want != 0) {
                worst = Math.max(worst, ulps(FloatMath.logOneToTwo(u), want));
            }
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        assertEquals(0f, FloatMath.logOneToTwo(1f));
    }

    /** The softplus term and the sigmoid stay finite and in range where the naive forms overflow. */
    @Test
    void sigmoidAndCrossEntropyAreStableForLargeLogits() {
        assertEquals(1f, FloatMath.sigmoid(100f));
        assertTrue(FloatMath.sigmoid(-100f) >= 0f && FloatMath.sigmoid(-100f) < 1e-37f);
        assertEquals(100.0, FloatMath.loss(100f, 0f, dev.recon.model.Objective.SIGMOID_BCE), 1e-5);
        assertEquals(0.0, FloatMath.loss(100f, 1f, dev.recon.model.Objective.SIGMOID_BCE), 1e-6);
        assertEquals(Math.log(2), FloatMath.loss(0f, 0.3f, dev.recon.model.Objective.SIGMOID_BCE), 1e-7);
    }
}
