/**
 * Baselines the autoencoder is compared against in reports: an Isolation Forest. Trained on the
 * same training rows; scores through the same metrics. Must not depend on a backend.
 */
package dev.recon.baseline;
