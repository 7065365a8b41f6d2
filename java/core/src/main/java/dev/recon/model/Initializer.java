package dev.recon.model;

/** Seeded He (Kaiming) normal initialisation: W ~ N(0, 2 / fan_in), b = 0. */
public final class Initializer {
    private Initializer() {
    }

    public static float[] he(AutoencoderSpec spec, long seed) {
        ParameterLayout layout = new ParameterLayout(spec);
        float[] p = new float[layout.size()];
        Rng rng = Rng.derive(seed, 0x1A17L);
        for (int l = 0; l < layout.layers(); l++) {
            double std = Math.sqrt(2.0 / layout.in(l));
            int off = (int) layout.weight(l);
            int n = layout.in(l) * layout.out(l);
            for (int i = 0; i < n; i++) {
                p[off + i] = (float) (rng.nextGaussian() * std);
            }
        }
        return p;
    }
}
