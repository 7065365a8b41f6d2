package dev.recon.backend.cpu;

import dev.recon.model.Objective;

/**
 * exp and log in float built from IEEE additions, multiplications, FMAs and exponent-bit
 * arithmetic only (Cephes' expf and logf polynomials), so that {@link VectorKernels} can compute
 * the same operations lane by lane and get the same bits: {@code Math.exp} in double is neither
 * the same function nor fast enough for a 784-wide sigmoid output. Both are within 2 ulp of the
 * true value over the ranges used ({@code FloatMathTest} against double precision).
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
    static final float E0 = 1.9875691500e-4f;
    static final float E1 = 1.3981999507e-3f;
    static final float E2 = 8.3334519073e-3f;
    static final float E3 = 4.1665795894e-2f;
    static final float E4 = 1.6666665459e-1f;
    static final float E5 = 5.0000001201e-1f;
    static final float SQRT2 = 1.41421356237f;
    static final float L0 = 7.0376836292e-2f;
    static final float L1 = -1.1514610310e-1f;
    static final float L2 = 1.1676998740e-1f;
    static final float L3 = -1.2420140846e-1f;
    static final float L4 = 1.4249322787e-1f;
    static final float L5 = -1.6668057665e-1f;
    static final float L6 = 2.0000714765e-1f;
    static final float L7 = -2.4999993993e-1f;
    static final float L8 = 3.3333331174e-1f;

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
        float p = Math.fma(E0, r, E1);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E4);
        p = Math.fma(p, r, E5);
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
        float p = Math.fma(L0, x, L1);
        p = Math.fma(p, x, L2);
        p = Math.fma(p, x, L3);
        p = Math.fma(p, x, L4);
        p = Math.fma(p, x, L5);
        p = Math.fma(p, x, L6);
        p = Math.fma(p, x, L7);
        p = Math.fma(p, x, L8);
        float y = p * x * z;
        y = Math.fma(e, LN2_LO, y);
        y = Math.fma(-0.5f, z, y);
        return x + y + e * LN2_HI;
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
