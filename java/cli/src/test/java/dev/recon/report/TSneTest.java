package dev.recon.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.Rng;
import org.junit.jupiter.api.Test;

/**
 * Barnes-Hut t-SNE against the exact method on small data: the perplexity calibration, the
 * quadtree gradient against the O(n^2) gradient, and an embedding that keeps clusters apart.
 */
class TSneTest {
    /** Three Gaussian clusters in 10-D, 50 points each, centres 8 apart. */
    private static double[] clusters(int perCluster, long seed) {
        Rng rng = new Rng(seed);
        double[] x = new double[3 * perCluster * 10];
        for (int i = 0; i < 3 * perCluster; i++) {
            for (int c = 0; c < 10; c++) {
                x[i * 10 + c] = rng.nextGaussian() + (c == i / perCluster ? 8 : 0);
            }
        }
        return x;
    }

    private static final int N = 60;
    private static final int K = 30;

    /** p(j | i) of the N points of {@code clusters(20, seed)} over their K nearest neighbours nbr, at perplexity 10. */
    private record Conditionals(int[] nbr, double[] p) {
        static Conditionals of(long seed) {
            double[] x = clusters(20, seed);
            int[] nbr = new int[N * K];
            double[] p = new double[N * K];
            for (int i = 0; i < N; i++) {
                TSne.conditional(x, N, 10, i, K, 10, nbr, p);
            }
            return new Conditionals(nbr, p);
        }
    }

    @Test
    void eachPointsBandwidthMeetsThePerplexity() {
        int n = N;
        int k = K;
        double[] p = Conditionals.of(1).p();
        for (int i = 0; i < n; i++) {
            double h = 0;
            double sum = 0;
            for (int m = 0; m < k; m++) {
                sum += p[i * k + m];
                h -= p[i * k + m] > 0 ? p[i * k + m] * Math.log(p[i * k + m]) : 0;
            }
            assertEquals(1, sum, 1e-12);
            assertEquals(Math.log(10), h, 1e-4, "the entropy of row " + i);
        }
    }

    /** The exact gradient of KL(P || Q), 4 sum_j (exaggeration p_ij - q_ij) (y_i - y_j) / (1 + |y_i - y_j|^2). */
    private static double[] exactGradient(double[] y, int n, TSne.Sparse P, double exaggeration) {
        double[][] pm = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int e = P.start()[i]; e < P.start()[i + 1]; e++) {
                pm[i][P.col()[e]] = P.val()[e];
            }
        }
        double z = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    z += 1 / (1 + Math.pow(y[2 * i] - y[2 * j], 2) + Math.pow(y[2 * i + 1] - y[2 * j + 1], 2));
                }
            }
        }
        double[] g = new double[2 * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    double dx = y[2 * i] - y[2 * j];
                    double dy = y[2 * i + 1] - y[2 * j + 1];
                    double w = 1 / (1 + dx * dx + dy * dy);
                    double coef = 4 * (exaggeration * pm[i][j] - w / z) * w;
                    g[2 * i] += coef * dx;
                    g[2 * i + 1] += coef * dy;
                }
            }
        }
        return g;
    }

    @Test
    void theQuadtreeGradientApproachesTheExactOne() {
        int n = N;
        Conditionals c = Conditionals.of(2);
        TSne.Sparse P = TSne.symmetrise(c.nbr(), c.p(), n, K);
        double total = 0;
        for (double v : P.val()) {
            total += v;
        }
        assertEquals(1, total, 1e-12, "P sums to 1");
        Rng rng = new Rng(5);
        double[] y = new double[2 * n];
        for (int i = 0; i < y.length; i++) {
            y[i] = 3 * rng.nextGaussian();
        }
        double[] exact = exactGradient(y, n, P, 1);
        double scale = 0;
        for (double v : exact) {
            scale = Math.max(scale, Math.abs(v));
        }
        double[] g = new double[2 * n];
        TSne.gradient(y, n, P, 1, 0.0, g);
        for (int i = 0; i < g.length; i++) {
            assertEquals(exact[i], g[i], 1e-9 * scale, "theta 0 is the exact gradient, coordinate " + i);
        }
        TSne.gradient(y, n, P, 1, 0.5, g);
        double worst = 0;
        for (int i = 0; i < g.length; i++) {
            worst = Math.max(worst, Math.abs(exact[i] - g[i]));
        }
        assertTrue(worst < 0.1 * scale, "theta 0.5 stays close: " + worst / scale);
    }

    @Test
    void clustersStayApartAndTheSeedFixesTheResult() {
        double[] x = clusters(50, 3);
        TSne.Result r = TSne.embed(x, 150, 10, 30, 500, 7, 0.5);
        assertTrue(Double.isFinite(r.kl()) && r.kl() < 1.5, "KL " + r.kl());
        // every point's nearest neighbour in the embedding is in its own cluster
        int same = 0;
        for (int i = 0; i < 150; i++) {
            int best = -1;
            double bd = Double.MAX_VALUE;
            for (int j = 0; j < 150; j++) {
                double d = Math.pow(r.y()[2 * i] - r.y()[2 * j], 2) + Math.pow(r.y()[2 * i + 1] - r.y()[2 * j + 1], 2);
                if (j != i && d < bd) {
                    bd = d;
                    best = j;
                }
            }
            same += best / 50 == i / 50 ? 1 : 0;
        }
        assertEquals(150, same, "nearest neighbours within the cluster");
        assertArrayEquals(r.y(), TSne.embed(x, 150, 10, 30, 500, 7, 0.5).y(), "the same seed, the same embedding");
    }
}
