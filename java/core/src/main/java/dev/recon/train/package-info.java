/**
 * The training loop: seeded per-epoch shuffling, minibatch Adam, validation each epoch, early
 * stopping, the best epoch's weights, divergence detection, resumable state. Speaks only the
 * {@link dev.recon.backend.Backend} interface; knows nothing of files or the command line.
 */
package dev.recon.train;
