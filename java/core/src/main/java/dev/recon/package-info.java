/**
 * Recon: train an autoencoder on normal records, flag the records it cannot reconstruct.
 * The root package holds only what every layer shares (the one-line error type and the
 * version); the subpackages show the architecture: data, model, backend, net, train, eval,
 * score, io, pipeline.
 */
package dev.recon;
