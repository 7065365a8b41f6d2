package dev.recon.backend.cpu;

/**
 * Picks the kernels: the Vector API ones where the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (the {@code recon} launcher passes it), the scalar
 * ones otherwise or with {@code -Drecon.simd=false}. The vector class is loaded by name so that
 * a JVM without the module never links it.
 */
final class KernelChoice {
    private static final Kernels BEST = choose();

    private KernelChoice() {
    }

    static Kernels best() {
        return BEST;
    }

    /** True when the Vector API kernels are in use. */
    static boolean vectorized() {
        return BEST != ScalarKernels.INSTANCE;
    }

    private static Kernels choose() {
        if ("false".equals(System.getProperty("recon.simd"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return ScalarKernels.INSTANCE;
        }
        try {
            return (Kernels) Class.forName("dev.recon.backend.cpu.VectorKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return ScalarKernels.INSTANCE;
        }
    }
}
