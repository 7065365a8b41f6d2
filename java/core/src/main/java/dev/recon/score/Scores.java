package dev.recon.score;

/**
 * Scores of a batch of rows: the reconstruction error of each row (the anomaly score), the
 * flag ({@code !(error < threshold)}: a row whose error is NaN or infinite, which inputs far outside
 * what the model saw can cause, is flagged, never called normal), and each feature's share of the
 * error, (rows, features), in the scaled units the model sees.
 */
public record Scores(double[] errors, boolean[] anomalies, float[][] featureErrors) {

    public int rows() {
        return errors.length;
    }

    /** Rows whose error is NaN or infinite (all of them flagged). */
    public int nonFinite() {
        int n = 0;
        for (double e : errors) {
            n += Double.isFinite(e) ? 0 : 1;
        }
        return n;
    }

    public int flagged() {
        int n = 0;
        for (boolean a : anomalies) {
            n += a ? 1 : 0;
        }
        return n;
    }
}
