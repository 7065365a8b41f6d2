package dev.recon.backend;

/** An int32 buffer owned by a {@link Backend} (row indices for minibatch gathering). */
public interface IntBuf {
    int size();
}
