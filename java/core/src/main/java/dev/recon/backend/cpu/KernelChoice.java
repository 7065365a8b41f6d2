package dev.recon.backend.cpu;

import dev.recon.VectorApi;

/**
 * Picks the kernels: the Vector API ones where {@link VectorApi#usable()}, the scalar ones
 * otherwise.
 */
final class KernelChoice {
    private static final Kernels BEST = VectorApi.load("dev.recon.backend.cpu.VectorKernels", Kernels.class,
            ScalarKernels.INSTANCE);

    private KernelChoice() {
    }

    static Kernels best() {
        return BEST;
    }

    /** True when the Vector API kernels are in use. */
    static boolean vectorized() {
        return BEST != ScalarKernels.INSTANCE;
    }
}
