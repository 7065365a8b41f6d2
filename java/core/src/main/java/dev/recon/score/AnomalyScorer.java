package dev.recon.score;

/**
 * Anything that scores raw rows, higher meaning more anomalous: the autoencoder's
 * {@link Detector} (reconstruction error) and the Isolation Forest baseline, interchangeable
 * where only the ranking matters (metrics, comparisons).
 */
public interface AnomalyScorer {
    /** Scores of rows of raw feature values, in the order of the model's features. */
    double[] anomalyScores(float[][] rows);
}
