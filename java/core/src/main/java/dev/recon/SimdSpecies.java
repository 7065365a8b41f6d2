package dev.recon;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector shape every Vector API loop in Recon uses: the widest the CPU has (512-bit
 * with AVX-512, 256-bit with AVX2), or {@code -Drecon.simd.bits}. One shape throughout
 * matters: where two shapes of float vector run in one JVM, the JIT compiler's profile of the
 * Vector API's shared code sees both and stops compiling the kernels to plain vector
 * instructions (BENCHMARKS.md's history: what did not work). Load only where {@link VectorApi#usable()}.
 */
public final class SimdSpecies {
    public static final VectorShape SHAPE = shape();
    public static final VectorSpecies<Float> FLOAT = FloatVector.SPECIES_PREFERRED.withShape(SHAPE);
    public static final VectorSpecies<Double> DOUBLE = DoubleVector.SPECIES_PREFERRED.withShape(SHAPE);

    private SimdSpecies() {
    }

    private static VectorShape shape() {
        String bits = System.getProperty("recon.simd.bits");
        return bits != null ? VectorShape.forBitSize(Integer.parseInt(bits)) : VectorShape.preferredShape();
    }
}
