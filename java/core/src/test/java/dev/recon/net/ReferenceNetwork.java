package dev.recon.net;

import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Objective;
import dev.recon.model.ParameterLayout;

/**
 * The autoencoder in float64 with the most literal loops: the independent reference that the
 * finite-difference checks validate and the float32 backends are compared against.
 */
public final class ReferenceNetwork {
    private final AutoencoderSpec spec;
    private final ParameterLayout layout;

    public ReferenceNetwork(AutoencoderSpec spec) {
        this.spec = spec;
        this.layout = new ParameterLayout(spec);
    }

    public AutoencoderSpec spec() {
        return spec;
    }

    /** Every layer's output for rows x (rows, d); acts[l] is (rows, out(l)). */
    public double[][] forward(double[] p, double[] x, int rows) {
        double[][] acts = new double[layout.layers()][];
        double[] in = x;
        for (int l = 0; l < layout.layers(); l++) {
            acts[l] = layer(spec, layout, p, l, in, rows);
            in = acts[l];
        }
        return acts;
    }

    /** Layer l of {@code spec} on rows of {@code in}: act(in W^T + b), literally. */
    static double[] layer(AutoencoderSpec spec, ParameterLayout layout, double[] p, int l, double[] in, int rows) {
        int nIn = layout.in(l);
        int nOut = layout.out(l);
        double[] out = new double[rows * nOut];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < nOut; o++) {
                double z = p[(int) layout.bias(l) + o];
                for (int i = 0; i < nIn; i++) {
                    z += in[r * nIn + i] * p[(int) layout.weight(l) + o * nIn + i];
                }
                out[r * nOut + o] = spec.activation(l) == Activation.RELU ? Math.max(0, z) : z;
            }
        }
        return out;
    }

    public double[] rowErrors(double[] p, double[] x, int rows) {
        double[] y = forward(p, x, rows)[layout.layers() - 1];
        int d = spec.inputDim();
        double[] e = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += elementLoss(y[r * d + j], x[r * d + j], spec.objective())[0];
            }
            e[r] = s / d;
        }
        return e;
    }

    /**
     * One element's loss and its derivative with respect to the last layer's output z, in double
     * (under a sigmoid objective z is a logit and the reconstruction is 1 / (1 + e^-z)).
     */
    public static double[] elementLoss(double z, double x, Objective o) {
        double y = o.sigmoid() ? 1 / (1 + Math.exp(-z)) : z;
        double slope = o.sigmoid() ? y * (1 - y) : 1;
        double diff = y - x;
        return switch (o.loss()) {
            case MSE -> new double[] {diff * diff, 2 * diff * slope};
            case MAE -> new double[] {Math.abs(diff), Math.signum(diff) * slope};
            case BCE -> new double[] {Math.max(z, 0) - z * x + Math.log1p(Math.exp(-Math.abs(z))), y - x};
        };
    }

    /** Mean loss over all rows*d entries. */
    public double loss(double[] p, double[] x, int rows) {
        double s = 0;
        for (double e : rowErrors(p, x, rows)) {
            s += e;
        }
        return s / rows;
    }

    /** d loss / d p by backpropagation. */
    public double[] gradient(double[] p, double[] x, int rows) {
        double[][] acts = forward(p, x, rows);
        int d = spec.inputDim();
        int last = layout.layers() - 1;
        double[] y = acts[last];
        double[] dA = new double[rows * d];
        double n = (double) rows * d;
        for (int i = 0; i < dA.length; i++) {
            dA[i] = elementLoss(y[i], x[i], spec.objective())[1] / n;
        }
        double[] g = new double[layout.size()];
        for (int l = last; l >= 0; l--) {
            int nIn = layout.in(l);
            int nOut = layout.out(l);
            double[] a = acts[l];
            double[] in = l == 0 ? x : acts[l - 1];
            if (spec.activation(l) == Activation.RELU) {
                for (int i = 0; i < dA.length; i++) {
                    if (a[i] <= 0) {
                        dA[i] = 0;
                    }
                }
            }
            double[] dIn = new double[rows * nIn];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < nOut; o++) {
                    double dz = dA[r * nOut + o];
                    g[(int) layout.bias(l) + o] += dz;
                    for (int i = 0; i < nIn; i++) {
                        g[(int) layout.weight(l) + o * nIn + i] += dz * in[r * nIn + i];
                        dIn[r * nIn + i] += dz * p[(int) layout.weight(l) + o * nIn + i];
                    }
                }
            }
            dA = dIn;
        }
        return g;
    }

    /**
     * A variational autoencoder's training loss for given noise eps (rows, latent), the reference
     * of {@link VaeNetwork}'s gradients: the mean over rows of the row's mean reconstruction loss
     * plus weight * KL / d (the latent layer holds the means, then the log-variances).
     */
    public double vaeLoss(double[] p, double[] x, double[] eps, int rows, double weight) {
        int e = spec.latentLayer();
        int lat = spec.latent();
        int d = spec.inputDim();
        double[] a = x;
        for (int l = 0; l <= e; l++) {
            a = layer(spec, layout, p, l, a, rows);
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
            a = layer(spec, layout, p, l, a, rows);
        }
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += elementLoss(a[r * d + j], x[r * d + j], spec.objective())[0];
            }
            total += s / d + weight * kl[r] / d;
        }
        return total / rows;
    }

    public ParameterLayout layout() {
        return layout;
    }
}
