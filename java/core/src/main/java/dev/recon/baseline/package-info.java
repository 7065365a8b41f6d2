/**
 * Baselines the autoencoder is compared against in reports: an Isolation Forest. Trained on the
 * same training rows; scores through the same metrics. Scores through {@link dev.recon.score.AnomalyScorer}, like the Detector. Must not depend on a backend.
 */
package dev.recon.baseline;
