package dev.recon.score;

import dev.recon.ReconException;
import dev.recon.Rng;
import dev.recon.backend.Backend;
import dev.recon.io.Bundle;

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
        Rng rng = new Rng(seed);
        float[] codes = new float[n * latent];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (float) rng.nextGaussian();
        }
        try (Detector det = Detector.of(b, be)) {
            return det.decode(codes, n);
        }
    }
}
