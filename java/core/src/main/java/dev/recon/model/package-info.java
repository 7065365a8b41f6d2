/**
 * The autoencoder as data: its shape ({@link dev.recon.model.AutoencoderSpec}), the layout of
 * its one flat parameter buffer, its seeded initialisation, the detector kinds and the data and
 * score of the nearest-neighbour part ({@link dev.recon.model.KnnComponent}). Pure values; must
 * not use a backend, files or threads.
 */
package dev.recon.model;
