package dev.recon.score;

/**
 * Scores of a batch of rows: the reconstruction error of each row (the anomaly score), the
 * flag ({@code error >= threshold}), and each feature's share of the error, (rows, features),
 * in the scaled units the model sees.
 */
public record Scores(double[] errors, boolean[] anomalies, float[][] featureErrors) {

    public int rows() {
        return errors.length;
    }

    public int flagged() {
        int n = 0;
        for (boolean a : anomalies) {
            n += a ? 1 : 0;
        }
        return n;
    }
}
