/**
 * The autoencoder as data: its shape ({@link dev.recon.model.AutoencoderSpec}), the layout of
 * its one flat parameter buffer, and its seeded initialisation. Pure values; must not use a
 * backend, files or threads.
 */
package dev.recon.model;
