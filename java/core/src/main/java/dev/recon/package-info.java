/**
 * Recon: train an autoencoder on normal records, flag the records it cannot reconstruct.
 * The root package holds only what every layer shares (the one-line error type, the version
 * and the seeded generator {@link dev.recon.Rng}); the subpackages show the architecture: data,
 * model, backend, net, train, eval, score, io, baseline, pipeline (and, in the command-line
 * module, cli, report, serve and export).
 */
package dev.recon;
