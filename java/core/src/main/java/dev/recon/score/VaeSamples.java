package dev.recon.score;

import dev.recon.ReconException;
import dev.recon.Rng;
import dev.recon.backend.Backend;
import dev.recon.io.Bundle;
import dev.recon.net.VaeNetwork;

/**
 * New records from a variational autoencoder: latent codes drawn from its standard normal
 * prior (seeded), decoded, through the output function, and back in the data's units.
 */
public final class VaeSamples {
    private VaeSamples() {
    }

    /** {@code n} records, (n, features) row-major, in the training data's units. */
    public static float[] draw(Bundle b, int n, long seed, Backend be) {
        if (!b.spec().variational()) {
            throw ReconException.input("sample needs a variational autoencoder (train with --kind vae); this model is "
                    + b.spec().describe());
        }
        int latent = b.spec().latent();
        int d = b.spec().inputDim();
        Rng rng = new Rng(seed);
        float[] codes = new float[n * latent];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (float) rng.nextGaussian();
        }
        float[] out = new float[n * d];
        int chunk = Math.min(n, 4096);
        VaeNetwork net = new VaeNetwork(be, b.spec(), chunk);
        net.setParams(b.params());
        float[] part = new float[chunk * latent];
        for (int off = 0; off < n; off += chunk) {
            int m = Math.min(chunk, n - off);
            System.arraycopy(codes, off * latent, part, 0, m * latent);
            be.download(out, off * d, net.decode(part, m), 0, m * d);
        }
        if (b.spec().objective().sigmoid()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (1 / (1 + Math.exp(-out[i])));
            }
        }
        double[] mean = b.scaler().mean();
        double[] scale = b.scaler().scale();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                out[r * d + j] = (float) (out[r * d + j] * scale[j] + mean[j]);
            }
        }
        return out;
    }
}
