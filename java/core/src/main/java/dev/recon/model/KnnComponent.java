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
    public KnnComponent {
        if (k < 1 || rows < k || features < 1 || reference.length != (long) rows * features) {
            throw new IllegalArgumentException("nearest neighbours: " + rows + " reference rows of " + features
                    + " features, k = " + k);
        }
        if (!(aeScale > 0) || !Double.isFinite(aeScale) || !(knnScale > 0) || !Double.isFinite(knnScale)) {
            throw new IllegalArgumentException("score scales must be positive and finite, got " + aeScale + " and "
                    + knnScale);
        }
    }

    /** A scale from validation scores: their mean, or 1 where they are all zero (duplicated rows). */
    public static double scaleOf(double[] validation, boolean squared) {
        double s = 0;
        for (double v : validation) {
            s += squared ? v * v : v;
        }
        s /= validation.length;
        return s > 0 && Double.isFinite(s) ? s : 1.0;
    }

    /** The combined score; NaN or infinite when either part is (such rows are flagged). */
    public double combine(double error, double distance) {
        return error / aeScale + distance * distance / knnScale;
    }
}
