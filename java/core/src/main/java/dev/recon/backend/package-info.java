/**
 * The seam between the math and the machine: {@link dev.recon.backend.Backend}, its buffers,
 * and the choice of an implementation. Everything above this package (net, train, eval,
 * score) speaks only this interface. Must not import a GPU binding; the CPU reference lives
 * in {@code backend.cpu}, the GPU one in its own module.
 */
package dev.recon.backend;
