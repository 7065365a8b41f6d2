package dev.recon.model;

import dev.recon.Rng;

/** Seeded initial parameters. */
public final class Initializer {
    private Initializer() {
    }

    /** One random value for a layer with {@code fanIn} inputs. */
    private interface Draw {
        double next(int fanIn);
    }

    /** He (Kaiming) normal: W ~ N(0, 2 / fan_in), b = 0. */
    public static float[] he(AutoencoderSpec spec, long seed) {
        Rng rng = Rng.derive(seed, 0x1A17L);
        return layerByLayer(spec, fanIn -> rng.nextGaussian() * Math.sqrt(2.0 / fanIn), null);
    }

    /**
     * PyTorch's default for {@code nn.Linear}: W and b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), a
     * weight variance a sixth of He's, so a deep ReLU network starts close to a constant output
     * instead of an identity-like map.
     */
    public static float[] torchDefault(AutoencoderSpec spec, long seed) {
        Rng rng = Rng.derive(seed, 0x1A18L);
        Draw uniform = fanIn -> (2 * rng.nextDouble() - 1) * (1.0 / Math.sqrt(fanIn));
        return layerByLayer(spec, uniform, uniform);
    }

    /** Each layer's weights, then its biases (zero where {@code bias} is null), in the flat layout. */
    private static float[] layerByLayer(AutoencoderSpec spec, Draw weight, Draw bias) {
        ParameterLayout layout = new ParameterLayout(spec);
        float[] p = new float[layout.size()];
        for (int l = 0; l < layout.layers(); l++) {
            int in = layout.in(l);
            int off = (int) layout.weight(l);
            for (int i = 0; i < in * layout.out(l); i++) {
                p[off + i] = (float) weight.next(in);
            }
            if (bias != null) {
                int b = (int) layout.bias(l);
                for (int i = 0; i < layout.out(l); i++) {
                    p[b + i] = (float) bias.next(in);
                }
            }
        }
        return p;
    }
}
