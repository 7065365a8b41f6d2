package dev.recon.net;

import dev.recon.model.AutoencoderSpec;
import dev.recon.model.ParameterLayout;

/**
 * The variational autoencoder's training loss in float64 with the most literal loops, for given
 * noise: the independent reference the finite-difference checks of {@link VaeNetwork} use. A
 * row's loss is its mean reconstruction loss plus weight * KL / d; the total is the mean over rows.
 */
public final class ReferenceVae {
    private final AutoencoderSpec spec;
    private final ParameterLayout layout;

    public ReferenceVae(AutoencoderSpec spec) {
        this.spec = spec;
        this.layout = new ParameterLayout(spec);
    }

    private double[] layer(double[] p, int l, double[] in, int rows) {
        return ReferenceNetwork.layer(spec, layout, p, l, in, rows);
    }

    /** The mean over rows of (mean reconstruction loss + weight * KL / d), with noise eps (rows, latent). */
    public double loss(double[] p, double[] x, double[] eps, int rows, double weight) {
        int e = spec.latentLayer();
        int lat = spec.latent();
        int d = spec.inputDim();
        double[] a = x;
        for (int l = 0; l <= e; l++) {
            a = layer(p, l, a, rows);
        }
        double[] z = new double[rows * lat];
        double[] kl = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < lat; j++) {
                double mu = a[r * 2 * lat + j];
                double lv = a[r * 2 * lat + lat + j];
                z[r * lat + j] = mu + Math.exp(lv / 2) * eps[r * lat + j];
                kl[r] += -0.5 * (1 + lv - mu * mu - Math.exp(lv));
            }
        }
        a = z;
        for (int l = e + 1; l < layout.layers(); l++) {
            a = layer(p, l, a, rows);
        }
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += ReferenceNetwork.elementLoss(a[r * d + j], x[r * d + j], spec.objective())[0];
            }
            total += s / d + weight * kl[r] / d;
        }
        return total / rows;
    }
}
