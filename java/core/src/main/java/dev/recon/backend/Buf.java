package dev.recon.backend;

/** A float32 buffer owned by a {@link Backend}: host memory on the CPU, device memory on a GPU. */
public interface Buf {
    /** Number of floats. */
    long size();
}
