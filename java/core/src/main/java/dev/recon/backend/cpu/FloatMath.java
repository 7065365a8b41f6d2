package dev.recon.backend.cpu;

import dev.recon.model.Objective;

/**
 * exp and log in float built from IEEE additions, multiplications, FMAs and exponent-bit
 * arithmetic only (Cephes' expf and logf polynomials): the same bits on every JVM and JIT state,
 * which {@code Math.exp} in double does not promise, and fast enough for a 784-wide sigmoid
 * output. Both are within 2 ulp of the true value over the ranges used ({@code FloatMathTest}
 * against double precision). The vector kernels call these too: a vector exp would need an
 * IntVector for 2^n, and a second vector class spoils the JIT's profile of every kernel.
 */
final class FloatMath {
    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** exp of anything above is taken at this bound (about 2^127.5: still finite). */
    static final float EXP_MAX = 88.3762626647949f;
    /** exp of anything below is taken at this bound (2^-126, the smallest normal float). */
    static final float EXP_MIN = -87.3365447505531f;
    /** 1.5 * 2^23: added and subtracted, it rounds a float below 2^22 to the nearest integer. */
    static final float ROUNDER = 12582912f;
    static final int ROUNDER_BITS = 0x4B400000;
    /** exp's polynomial on the reduced argument, highest power first (Horner). */
    static final float[] EXP = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f,
        1.6666665459e-1f, 5.0000001201e-1f};
    static final float SQRT2 = 1.41421356237f;
    /** log's polynomial on x = u - 1, highest power first. */
    static final float[] LOG = {7.0376836292e-2f, -1.1514610310e-1f, 1.1676998740e-1f, -1.2420140846e-1f,
        1.4249322787e-1f, -1.6668057665e-1f, 2.0000714765e-1f, -2.4999993993e-1f, 3.3333331174e-1f};

    private FloatMath() {
    }

    /** e^x; NaN stays NaN. */
    static float exp(float x) {
        float c = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float t = c * LOG2E + ROUNDER;
        float n = t - ROUNDER;
        int scale = (Float.floatToRawIntBits(t) - ROUNDER_BITS + 127) << 23;
        float r = Math.fma(n, -LN2_HI, c);
        r = Math.fma(n, -LN2_LO, r);
        float z = r * r;
        float p = horner(EXP, r);
        p = Math.fma(p, z, r) + 1f;
        float y = p * Float.intBitsToFloat(scale);
        return x != x ? x : y;
    }

    /** ln(u) for u in [1, 2], where it is used: the softplus term ln(1 + e^-|z|). */
    static float logOneToTwo(float u) {
        boolean high = u > SQRT2;
        float x = (high ? u * 0.5f : u) - 1f;
        float e = high ? 1f : 0f;
        float z = x * x;
        float p = horner(LOG, x);
        float y = p * x * z;
        y = Math.fma(e, LN2_LO, y);
        y = Math.fma(-0.5f, z, y);
        return x + y + e * LN2_HI;
    }

    /** c[0] x^(n-1) + ... + c[n-1], one FMA a step: fma(c[0], x, c[1]), then fma(p, x, c[i]). */
    private static float horner(float[] c, float x) {
        float p = c[0];
        for (int i = 1; i < c.length; i++) {
            p = Math.fma(p, x, c[i]);
        }
        return p;
    }

    /** 1 / (1 + e^-z). */
    static float sigmoid(float z) {
        return 1f / (1f + exp(-z));
    }

    /**
     * One element's loss under {@code objective}, from the last layer's output z and the target
     * x; with a sigmoid objective z is a logit. Binary cross-entropy as
     * {@code (max(z, 0) - z x) + ln(1 + e^-|z|)}.
     */
    static float loss(float z, float x, Objective objective) {
        switch (objective) {
            case MSE: {
                float d = z - x;
                return d * d;
            }
            case MAE:
                return Math.abs(z - x);
            case SIGMOID_MSE: {
                float d = sigmoid(z) - x;
                return d * d;
            }
            case SIGMOID_MAE:
                return Math.abs(sigmoid(z) - x);
            default:
                return (Math.max(z, 0f) - z * x) + logOneToTwo(1f + exp(-Math.abs(z)));
        }
    }

    /**
     * d loss / dz for one element, times {@code scale} (which carries MSE's 2 and the mean's
     * divisor). Under a sigmoid objective with MSE or MAE the chain rule adds y (1 - y);
     * binary cross-entropy from logits gives sigmoid(z) - x.
     */
    static float gradient(float z, float x, float scale, Objective objective) {
        switch (objective) {
            case MSE:
                return scale * (z - x);
            case MAE: {
                float d = z - x;
                return d > 0f ? scale : (d < 0f ? -scale : 0f);
            }
            case SIGMOID_MSE: {
                float y = sigmoid(z);
                return scale * (y - x) * (y * (1f - y));
            }
            case SIGMOID_MAE: {
                float y = sigmoid(z);
                float d = y - x;
                float s = d > 0f ? scale : (d < 0f ? -scale : 0f);
                return s * (y * (1f - y));
            }
            default:
                return scale * (sigmoid(z) - x);
        }
    }
}
