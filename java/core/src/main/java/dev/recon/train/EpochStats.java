package dev.recon.train;

/** One epoch's numbers. Loss values are means over rows of the per-row error. */
public record EpochStats(int epoch, double trainLoss, double valLoss, double seconds, double samplesPerSecond) {
}
