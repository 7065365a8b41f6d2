package dev.recon.data;

import dev.recon.SimdSpecies;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Standardize} with the Vector API: a vector of floats widened to two of doubles, less
 * the mean, divided by the scale and rounded back, lane by lane the same IEEE operations as the
 * plain loop. The JDK 17 compiler does not vectorise that loop itself, and its divisions in double
 * are most of the cost of scoring's scaling.
 */
final class VectorStandardize extends Standardize {
    // the kernels' shape: mixing shapes slows them (see SimdSpecies)
    private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
    private static final VectorSpecies<Double> D = SimdSpecies.DOUBLE;
    private static final int LF = F.length();
    private static final int LD = D.length();

    @Override
    int lanes() {
        return LF;
    }

    @Override
    void rows(float[] x, int xOff, float[] out, int outOff, int rows, int d, double[] mean, double[] scale) {
        int n = rows * d;
        int p = mean.length; // a multiple of d and of LF (see lanes())
        int b = 0;
        if (LF == 2 * LD) {
            for (; b + p <= n; b += p) {
                for (int k = 0; k < p; k += LF) {
                    FloatVector v = FloatVector.fromArray(F, x, xOff + b + k);
                    DoubleVector lo = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
                    DoubleVector hi = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
                    lo = lo.sub(DoubleVector.fromArray(D, mean, k)).div(DoubleVector.fromArray(D, scale, k));
                    hi = hi.sub(DoubleVector.fromArray(D, mean, k + LD)).div(DoubleVector.fromArray(D, scale, k + LD));
                    FloatVector zl = (FloatVector) lo.convertShape(VectorOperators.D2F, F, 0);
                    FloatVector zh = (FloatVector) hi.convertShape(VectorOperators.D2F, F, -1);
                    zl.blend(zh, HIGH).intoArray(out, outOff + b + k);
                }
            }
        }
        // the last rows, fewer than a period: b is a multiple of d, so the pattern starts afresh
        super.rows(x, xOff + b, out, outOff + b, (n - b) / d, d, mean, scale);
    }

    private static final VectorMask<Float> HIGH = FloatVector.zero(F).addIndex(1).compare(VectorOperators.GE, LD);
}
