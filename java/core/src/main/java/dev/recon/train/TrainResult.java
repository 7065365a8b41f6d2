package dev.recon.train;

/** The end of a training run: its final state (the best parameters included) and why it stopped. */
public record TrainResult(TrainState state, String stopReason, double seconds) {
}
