package dev.recon.score;

/**
 * One feature's part in a row's reconstruction error.
 *
 * @param error the feature's own error (squared or absolute, in scaled units)
 * @param share its fraction of the row's total error
 */
public record Contribution(String feature, int index, double error, double share) {
}
