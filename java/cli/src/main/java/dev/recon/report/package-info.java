/**
 * The HTML report of a run: charts (XChart), tables, explanations, the latent space (PCA with
 * Commons Math) and the Isolation Forest baseline. Reads results; never trains the autoencoder.
 */
package dev.recon.report;
