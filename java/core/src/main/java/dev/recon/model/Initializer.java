package dev.recon.model;

/** Seeded initial parameters. */
public final class Initializer {
    private Initializer() {
    }

    /** He (Kaiming) normal: W ~ N(0, 2 / fan_in), b = 0. */
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

    /**
     * PyTorch's default for {@code nn.Linear}: W and b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), a
     * weight variance a sixth of He's, so a deep ReLU network starts close to a constant output
     * instead of an identity-like map.
     */
    public static float[] torchDefault(AutoencoderSpec spec, long seed) {
        ParameterLayout layout = new ParameterLayout(spec);
        float[] p = new float[layout.size()];
        Rng rng = Rng.derive(seed, 0x1A18L);
        for (int l = 0; l < layout.layers(); l++) {
            double bound = 1.0 / Math.sqrt(layout.in(l));
            int off = (int) layout.weight(l);
            int n = layout.in(l) * layout.out(l);
            for (int i = 0; i < n; i++) {
                p[off + i] = (float) ((2 * rng.nextDouble() - 1) * bound);
            }
            int b = (int) layout.bias(l);
            for (int i = 0; i < layout.out(l); i++) {
                p[b + i] = (float) ((2 * rng.nextDouble() - 1) * bound);
            }
        }
        return p;
    }
}
