package dev.recon.model;

/**
 * The nearest-neighbour half of the default detector: a sample of the training normals
 * (scaled) and the two scales that put the autoencoder's error and the neighbour distance on
 * one footing. A row's score is {@code error / aeScale + distance^2 / knnScale}: each term is
 * 1 on an average validation normal, and both are squared-distance-like, so neither term
 * swamps the other on any data; the validation rows are not among the reference rows, so their
 * distances are those of unseen normals.
 *
 * @param k         which neighbour's distance counts (the k-th nearest)
 * @param reference (rows, features) row-major, scaled
 * @param aeScale   mean reconstruction error of the validation normals
 * @param knnScale  mean squared k-th neighbour distance of the validation normals
 */
public record KnnComponent(int k, int rows, int features, float[] reference, double aeScale, double knnScale) {
    /** The largest k a bundle may ask for (the search keeps k distances per query in sorted order). */
    public static final int MAX_K = 100;
    /**
     * At most this many reference values (rows x features, 128 MB): wide data keeps fewer rows, so
     * that neither the bundle nor the search outgrows a Java array.
     */
    public static final int MAX_REFERENCE_VALUES = 1 << 25;

    public KnnComponent {
        if (k < 1 || k > MAX_K || rows < k || features < 1 || (long) rows * features > MAX_REFERENCE_VALUES
                || reference.length != (long) rows * features) {
            throw new IllegalArgumentException("nearest neighbours: " + rows + " reference rows of " + features
                    + " features, k = " + k);
        }
        if (!(aeScale > 0) || !Double.isFinite(aeScale) || !(knnScale > 0) || !Double.isFinite(knnScale)) {
            throw new IllegalArgumentException("score scales must be positive and finite, got " + aeScale + " and "
                    + knnScale);
        }
    }

    /**
     * A scale from validation scores: the mean of their finite values (a validation row the
     * network overflowed on must not decide the balance), at least {@link #MIN_SCALE}, or 1
     * where those are all zero (duplicated rows) or there are none.
     */
    public static double scaleOf(double[] validation, boolean squared) {
        double s = 0;
        int n = 0;
        for (double v : validation) {
            double x = squared ? v * v : v;
            if (Double.isFinite(x)) {
                s += x;
                n++;
            }
        }
        s = n > 0 ? s / n : 0;
        return s > 0 && Double.isFinite(s) ? Math.max(s, MIN_SCALE) : 1.0;
    }

    /**
     * The least scale: on z-scored data a mean below this is rounding noise (a network that
     * reproduces its training rows exactly), which must not be magnified into the score.
     */
    public static final double MIN_SCALE = 1e-6;

    /** How many reference rows {@code features}-wide data keeps at most. */
    public static int maxRows(int features, int wanted) {
        return Math.max(1, Math.min(wanted, MAX_REFERENCE_VALUES / features));
    }

    /** The combined score; NaN or infinite when either part is (such rows are flagged). */
    public double combine(double error, double distance) {
        return error / aeScale + distance * distance / knnScale;
    }
}
