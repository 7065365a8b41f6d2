package dev.recon.model;

import java.util.Locale;

/**
 * What makes an autoencoder variational: the encoder's latent layer gives a mean and a
 * log-variance per latent dimension, the decoder reads a sample mean + exp(logvar / 2) * eps
 * (eps standard normal, drawn from the seed and the step), and the loss adds beta times the KL
 * divergence from the standard normal prior, its weight ramped up linearly over the first
 * {@code klWarmup} epochs (0: no ramp).
 *
 * @param score   how a row is scored: the reconstruction error of the decoded mean, or the
 *                negative ELBO (reconstruction loss summed over the features, plus the KL term,
 *                in nats) averaged over {@code samples} seeded draws
 */
public record Vae(double beta, int klWarmup, Score score, int samples) {
    public static final Vae DEFAULT = new Vae(1.0, 0, Score.RECON, 16);

    /** How a VAE scores a row. */
    public enum Score {
        RECON, ELBO;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Score parse(String s) {
            return Ids.parse(values(), Score::id, s, "unknown VAE score '%s' (known: recon, elbo)");
        }
    }

    public Vae {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be 0 or more, got " + beta);
        }
        if (klWarmup < 0) {
            throw new IllegalArgumentException("the KL warm-up must be 0 or more epochs, got " + klWarmup);
        }
        if (samples < 1 || samples > 1000) {
            throw new IllegalArgumentException("the ELBO samples must be 1 to 1000, got " + samples);
        }
        if (score == null) {
            throw new IllegalArgumentException("a VAE needs a score");
        }
    }

    /** The KL weight in (1-based) epoch {@code epoch}: beta, ramped up over the warm-up. */
    public double klWeight(int epoch) {
        return klWarmup == 0 ? beta : beta * Math.min(1.0, epoch / (double) klWarmup);
    }
}
