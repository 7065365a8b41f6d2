package dev.recon.report;

import dev.recon.Rng;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Barnes-Hut t-SNE (van der Maaten, 2014) to two dimensions, seeded: input affinities from the
 * 3 x perplexity nearest neighbours (exact search) with each point's bandwidth set by binary
 * search to the perplexity, symmetrised; then gradient descent with momentum and per-coordinate
 * gains, early exaggeration for the first quarter, the repulsive forces summed over a quadtree
 * (cells seen under an angle below theta count as one point). Deterministic for a seed: the
 * sums run in a fixed order, and the neighbour search's parallel loop writes each row's own
 * entries only. Scikit-learn's settings: perplexity 30, exaggeration 12, learning rate
 * max(n / 12 / 4, 50) for a gradient with the factor 4, theta 0.5.
 */
public final class TSne {
    private static final double EXAGGERATION = 12;

    /** The embedding (n, 2) row-major, and the KL divergence of the final P and Q. */
    public record Result(double[] y, int points, int iterations, double kl) {
    }

    private TSne() {
    }

    /** Embeds the rows of {@code x} (n rows of {@code dim}) in 2-D. */
    public static Result embed(double[] x, int n, int dim, double perplexity, int iterations, long seed, double theta) {
        if (n < 4) {
            throw new IllegalArgumentException("t-SNE needs at least 4 points, got " + n);
        }
        double perp = Math.min(perplexity, (n - 1) / 3.0);
        int k = Math.min(n - 1, (int) (3 * perp));
        int[] nbr = new int[n * k];
        double[] p = new double[n * k];
        IntStream.range(0, n).parallel().forEach(i -> conditional(x, n, dim, i, k, perp, nbr, p));
        Sparse P = symmetrise(nbr, p, n, k);
        Rng rng = new Rng(seed);
        double[] y = new double[2 * n];
        for (int i = 0; i < y.length; i++) {
            y[i] = 1e-4 * rng.nextGaussian();
        }
        double[] update = new double[2 * n];
        double[] gains = new double[2 * n];
        Arrays.fill(gains, 1);
        double[] grad = new double[2 * n];
        // the gradient carries the factor 4, as scikit-learn's does: its learning rate, max(n / 12 / 4, 50)
        double eta = Math.max(n / EXAGGERATION / 4, 50);
        int early = Math.min(250, iterations / 4);
        for (int it = 0; it < iterations; it++) {
            double exaggeration = it < early ? EXAGGERATION : 1;
            double momentum = it < early ? 0.5 : 0.8;
            gradient(y, n, P, exaggeration, theta, grad);
            for (int i = 0; i < 2 * n; i++) {
                gains[i] = Math.signum(grad[i]) != Math.signum(update[i]) ? gains[i] + 0.2 : Math.max(0.01, gains[i] * 0.8);
                update[i] = momentum * update[i] - eta * gains[i] * grad[i];
                y[i] += update[i];
            }
            center(y, n);
        }
        return new Result(y, n, iterations, kl(y, n, P));
    }

    /** Row i's neighbours and their conditional probabilities p(j | i) at the perplexity. */
    static void conditional(double[] x, int n, int dim, int i, int k, double perp, int[] nbr, double[] p) {
        double[] d = new double[n];
        Integer[] idx = new Integer[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int c = 0; c < dim; c++) {
                double t = x[i * dim + c] - x[j * dim + c];
                s += t * t;
            }
            d[j] = j == i ? Double.POSITIVE_INFINITY : s;
            idx[j] = j;
        }
        Arrays.sort(idx, (a, b) -> d[a] != d[b] ? Double.compare(d[a], d[b]) : Integer.compare(a, b));
        double[] dk = new double[k];
        for (int m = 0; m < k; m++) {
            nbr[i * k + m] = idx[m];
            dk[m] = d[idx[m]];
        }
        // the bandwidth whose entropy is log(perplexity), by bisection on beta = 1 / (2 sigma^2)
        double target = Math.log(perp);
        double beta = 1;
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        double[] w = new double[k];
        for (int step = 0; step < 100; step++) {
            double sum = 0;
            double dsum = 0;
            for (int m = 0; m < k; m++) {
                w[m] = Math.exp(-beta * (dk[m] - dk[0]));
                sum += w[m];
                dsum += w[m] * (dk[m] - dk[0]);
            }
            double entropy = Math.log(sum) + beta * dsum / sum;
            if (Math.abs(entropy - target) < 1e-5) {
                break;
            }
            if (entropy > target) {
                lo = beta;
                beta = hi == Double.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
            } else {
                hi = beta;
                beta = (beta + lo) / 2;
            }
        }
        double sum = 0;
        for (int m = 0; m < k; m++) {
            sum += w[m];
        }
        for (int m = 0; m < k; m++) {
            p[i * k + m] = w[m] / sum;
        }
    }

    /** P in compressed rows: (p(j|i) + p(i|j)) / 2n over the union of the neighbour lists. */
    record Sparse(int[] start, int[] col, double[] val) {
    }

    static Sparse symmetrise(int[] nbr, double[] p, int n, int k) {
        java.util.List<java.util.TreeMap<Integer, Double>> rows = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(new java.util.TreeMap<>());
        }
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < k; m++) {
                int j = nbr[i * k + m];
                double v = p[i * k + m] / (2.0 * n);
                rows.get(i).merge(j, v, Double::sum);
                rows.get(j).merge(i, v, Double::sum);
            }
        }
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) {
            start[i + 1] = start[i] + rows.get(i).size();
        }
        int[] col = new int[start[n]];
        double[] val = new double[start[n]];
        for (int i = 0; i < n; i++) {
            int o = start[i];
            for (var e : rows.get(i).entrySet()) {
                col[o] = e.getKey();
                val[o++] = e.getValue();
            }
        }
        return new Sparse(start, col, val);
    }

    /** The KL gradient: 4 (exaggeration x attraction - repulsion / Z), repulsion by the quadtree. */
    static void gradient(double[] y, int n, Sparse P, double exaggeration, double theta, double[] grad) {
        QuadTree tree = new QuadTree(y, n);
        double[] rep = new double[2 * n];
        double[] zPart = new double[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] acc = new double[3];
            tree.repulsion(i, y[2 * i], y[2 * i + 1], theta, acc);
            rep[2 * i] = acc[0];
            rep[2 * i + 1] = acc[1];
            zPart[i] = acc[2];
        });
        double z = 0;
        for (int i = 0; i < n; i++) {
            z += zPart[i];
        }
        for (int i = 0; i < n; i++) {
            double ax = 0;
            double ay = 0;
            for (int e = P.start()[i]; e < P.start()[i + 1]; e++) {
                int j = P.col()[e];
                double dx = y[2 * i] - y[2 * j];
                double dy = y[2 * i + 1] - y[2 * j + 1];
                double q = 1 / (1 + dx * dx + dy * dy);
                ax += P.val()[e] * q * dx;
                ay += P.val()[e] * q * dy;
            }
            grad[2 * i] = 4 * (exaggeration * ax - rep[2 * i] / z);
            grad[2 * i + 1] = 4 * (exaggeration * ay - rep[2 * i + 1] / z);
        }
    }

    private static void center(double[] y, int n) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += y[2 * i];
            my += y[2 * i + 1];
        }
        for (int i = 0; i < n; i++) {
            y[2 * i] -= mx / n;
            y[2 * i + 1] -= my / n;
        }
    }

    /** KL(P || Q) with the exact Q: for reporting (O(n^2)). */
    static double kl(double[] y, int n, Sparse P) {
        double z = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    double dx = y[2 * i] - y[2 * j];
                    double dy = y[2 * i + 1] - y[2 * j + 1];
                    z += 1 / (1 + dx * dx + dy * dy);
                }
            }
        }
        double kl = 0;
        for (int i = 0; i < n; i++) {
            for (int e = P.start()[i]; e < P.start()[i + 1]; e++) {
                int j = P.col()[e];
                double dx = y[2 * i] - y[2 * j];
                double dy = y[2 * i + 1] - y[2 * j + 1];
                double q = 1 / (1 + dx * dx + dy * dy) / z;
                double pv = P.val()[e];
                kl += pv * Math.log(Math.max(pv, 1e-300) / Math.max(q, 1e-300));
            }
        }
        return kl;
    }

    /** A point-region quadtree over the embedding, nodes in arrays, each with its points' centre of mass. */
    static final class QuadTree {
        private static final int MAX_DEPTH = 40;
        private final double[] y;
        private int[] child = new int[64];
        private double[] cx = new double[16];
        private double[] cy = new double[16];
        private double[] half = new double[16];
        private double[] mx = new double[16];
        private double[] my = new double[16];
        private int[] count = new int[16];
        /** The node's one point while it is a leaf holding one, else -1. */
        private int[] point = new int[16];
        private int nodes;

        QuadTree(double[] y, int n) {
            this.y = y;
            double minX = Double.MAX_VALUE;
            double minY = Double.MAX_VALUE;
            double maxX = -Double.MAX_VALUE;
            double maxY = -Double.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                minX = Math.min(minX, y[2 * i]);
                maxX = Math.max(maxX, y[2 * i]);
                minY = Math.min(minY, y[2 * i + 1]);
                maxY = Math.max(maxY, y[2 * i + 1]);
            }
            double h = Math.max(maxX - minX, maxY - minY) / 2 + 1e-9;
            node((minX + maxX) / 2, (minY + maxY) / 2, h);
            for (int i = 0; i < n; i++) {
                insert(0, i, 0);
            }
        }

        private int node(double x, double yc, double h) {
            if (nodes == cx.length) {
                int c = nodes * 2;
                child = Arrays.copyOf(child, 4 * c);
                cx = Arrays.copyOf(cx, c);
                cy = Arrays.copyOf(cy, c);
                half = Arrays.copyOf(half, c);
                mx = Arrays.copyOf(mx, c);
                my = Arrays.copyOf(my, c);
                count = Arrays.copyOf(count, c);
                point = Arrays.copyOf(point, c);
            }
            int id = nodes++;
            cx[id] = x;
            cy[id] = yc;
            half[id] = h;
            Arrays.fill(child, 4 * id, 4 * id + 4, -1);
            point[id] = -1;
            return id;
        }

        private void insert(int nd, int i, int depth) {
            double px = y[2 * i];
            double py = y[2 * i + 1];
            mx[nd] = (mx[nd] * count[nd] + px) / (count[nd] + 1);
            my[nd] = (my[nd] * count[nd] + py) / (count[nd] + 1);
            count[nd]++;
            if (count[nd] == 1) {
                point[nd] = i;
                return;
            }
            if (depth >= MAX_DEPTH) {
                return; // duplicates: the node keeps them as one mass
            }
            if (point[nd] >= 0) {
                int old = point[nd];
                point[nd] = -1;
                descend(nd, old, depth);
            }
            descend(nd, i, depth);
        }

        private void descend(int nd, int i, int depth) {
            double px = y[2 * i];
            double py = y[2 * i + 1];
            int q = (px >= cx[nd] ? 1 : 0) + (py >= cy[nd] ? 2 : 0);
            int c = child[4 * nd + q];
            if (c < 0) {
                double h = half[nd] / 2;
                c = node(cx[nd] + (q % 2 == 1 ? h : -h), cy[nd] + (q >= 2 ? h : -h), h);
                child[4 * nd + q] = c;
            }
            insert(c, i, depth + 1);
        }

        /** acc += the repulsive force on point i (unnormalised) and its share of Z. */
        void repulsion(int i, double px, double py, double theta, double[] acc) {
            int[] stack = new int[4 * MAX_DEPTH + 8];
            int top = 0;
            stack[top++] = 0;
            while (top > 0) {
                int nd = stack[--top];
                if (count[nd] == 0 || count[nd] == 1 && point[nd] == i) {
                    continue;
                }
                double dx = px - mx[nd];
                double dy = py - my[nd];
                double d2 = dx * dx + dy * dy;
                boolean leaf = child[4 * nd] < 0 && child[4 * nd + 1] < 0 && child[4 * nd + 2] < 0
                        && child[4 * nd + 3] < 0;
                if (leaf || (2 * half[nd]) * (2 * half[nd]) < theta * theta * d2) {
                    double q = 1 / (1 + d2);
                    double m = count[nd];
                    acc[0] += m * q * q * dx;
                    acc[1] += m * q * q * dy;
                    acc[2] += m * q;
                } else {
                    for (int c = 3; c >= 0; c--) {
                        int ch = child[4 * nd + c];
                        if (ch >= 0) {
                            if (top == stack.length) {
                                stack = Arrays.copyOf(stack, 2 * top);
                            }
                            stack[top++] = ch;
                        }
                    }
                }
            }
        }
    }
}
