package dev.recon.spark;

import dev.recon.data.StandardScaler;
import java.io.Serializable;

/**
 * Column means and sums of squared deviations, by Welford's update within a partition and Chan's
 * merge across them: the scaler of the whole training set in one distributed pass.
 */
final class Moments implements Serializable {
    private static final long serialVersionUID = 1L;

    long n;
    final double[] mean;
    final double[] m2;

    Moments(int d) {
        mean = new double[d];
        m2 = new double[d];
    }

    void add(float[] x, int off) {
        n++;
        for (int j = 0; j < mean.length; j++) {
            double delta = x[off + j] - mean[j];
            mean[j] += delta / n;
            m2[j] += delta * (x[off + j] - mean[j]);
        }
    }

    Moments merge(Moments o) {
        if (o.n == 0) {
            return this;
        }
        if (n == 0) {
            return o;
        }
        long total = n + o.n;
        for (int j = 0; j < mean.length; j++) {
            double delta = o.mean[j] - mean[j];
            mean[j] += delta * o.n / total;
            m2[j] += o.m2[j] + delta * delta * ((double) n * o.n / total);
        }
        n = total;
        return this;
    }

    StandardScaler scaler() {
        return StandardScaler.ofMoments(mean, m2, n);
    }
}
