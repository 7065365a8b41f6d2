package dev.recon.backend.cpu;

/**
 * Standard normal draws from a counter: element i of step t under a seed is a function of the
 * three alone (a SplitMix64 hash of them, two 24-bit uniforms, Box-Muller in StrictMath), so
 * the noise does not depend on threads, chunks or the order of calls. The CUDA kernel
 * {@code gaussianNoise} computes the same hash; its double log and cos agree to rounding.
 */
final class NormalNoise {
    private NormalNoise() {
    }

    static float draw(long seed, int step, int i) {
        long x = seed + step * 0x9E3779B97F4A7C15L + (i + 1L) * 0xD1B54A32D192ED03L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        x ^= x >>> 31;
        double u1 = ((x >>> 40) + 0.5) * 0x1p-24;
        double u2 = (((x >>> 16) & 0xFFFFFF) + 0.5) * 0x1p-24;
        return (float) (StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2));
    }
}
