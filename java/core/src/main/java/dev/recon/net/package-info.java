/**
 * The autoencoder run on a backend: forward, backward and reconstruction errors over the flat
 * parameter buffer. Speaks only the {@link dev.recon.backend.Backend} interface, never a
 * concrete backend.
 */
package dev.recon.net;
