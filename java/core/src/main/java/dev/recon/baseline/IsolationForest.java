package dev.recon.baseline;

import dev.recon.Rng;
import dev.recon.score.AnomalyScorer;

/**
 * Isolation Forest (Liu, Ting and Zhou, 2008), the baseline Recon's reports compare against.
 * Each tree isolates a random subsample of {@code sampleSize} rows (without replacement) by
 * splitting on a random feature at a uniform random value between the node's minimum and
 * maximum, down to height ceil(log2(sampleSize)). A row's path length is the number of edges to
 * its leaf plus c(size of the leaf), the average path length of an unsuccessful search in a
 * binary search tree of that size; its score is 2^(-E[h] / c(sampleSize)), near 1 for
 * anomalies and below 0.5 for normal rows. Seeded and deterministic.
 */
public final class IsolationForest implements AnomalyScorer {
    private static final double EULER_GAMMA = 0.5772156649015329;

    private final int d;
    private final int sampleSize;
    private final Tree[] trees;

    /** One tree in flat arrays: node i splits on feature[i] at value[i]; leaves have feature -1 and size. */
    private static final class Tree {
        int[] feature;
        float[] value;
        int[] left;
        int[] right;
        int[] size;
        int nodes;

        Tree(int capacity) {
            feature = new int[capacity];
            value = new float[capacity];
            left = new int[capacity];
            right = new int[capacity];
            size = new int[capacity];
        }
    }

    private IsolationForest(int d, int sampleSize, Tree[] trees) {
        this.d = d;
        this.sampleSize = sampleSize;
        this.trees = trees;
    }

    /** Fits {@code trees} trees on subsamples of up to {@code sampleSize} of the (rows, d) rows. */
    public static IsolationForest fit(float[] x, int rows, int d, int treeCount, int sampleSize, long seed) {
        if (rows < 2) {
            throw new IllegalArgumentException("an isolation forest needs at least 2 rows");
        }
        int psi = Math.min(sampleSize, rows);
        int heightLimit = (int) Math.ceil(Math.log(Math.max(psi, 2)) / Math.log(2));
        Rng rng = Rng.derive(seed, 0x1F0E57L);
        Tree[] trees = new Tree[treeCount];
        int[] all = new int[rows];
        for (int t = 0; t < treeCount; t++) {
            // partial Fisher-Yates: the first psi entries are a sample without replacement
            for (int i = 0; i < rows; i++) {
                all[i] = i;
            }
            for (int i = 0; i < psi; i++) {
                drawInto(all, i, rng);
            }
            int[] idx = java.util.Arrays.copyOf(all, psi);
            Tree tree = new Tree(2 * psi + 1);
            build(tree, x, d, idx, 0, psi, 0, heightLimit, rng);
            trees[t] = tree;
        }
        return new IsolationForest(d, psi, trees);
    }

    /** One step of Fisher-Yates: a[i] swaps places with a[j], j drawn from [i, a.length); returns the new a[i]. */
    private static int drawInto(int[] a, int i, Rng rng) {
        int j = i + rng.nextInt(a.length - i);
        int v = a[j];
        a[j] = a[i];
        a[i] = v;
        return v;
    }

    /** Builds the subtree of rows idx[from, to) and returns its node index. */
    private static int build(Tree t, float[] x, int d, int[] idx, int from, int to, int depth, int limit, Rng rng) {
        int node = t.nodes++;
        int n = to - from;
        t.size[node] = n;
        t.feature[node] = -1;
        if (depth >= limit || n <= 1) {
            return node;
        }
        // a random feature among those not constant in this node (as scikit-learn's extra trees draw)
        int q = -1;
        float lo = 0;
        float hi = 0;
        int[] order = new int[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        for (int tried = 0; tried < d; tried++) {
            int f = drawInto(order, tried, rng);
            float mn = Float.POSITIVE_INFINITY;
            float mx = Float.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                float v = x[idx[i] * d + f];
                mn = Math.min(mn, v);
                mx = Math.max(mx, v);
            }
            if (mx > mn) {
                q = f;
                lo = mn;
                hi = mx;
                break;
            }
        }
        if (q < 0) {
            return node; // all rows identical: a leaf
        }
        float p = (float) (lo + rng.nextDouble() * (hi - lo));
        if (p >= hi) {
            p = Math.nextDown(hi);
        }
        int mid = from;
        for (int i = from; i < to; i++) {
            if (x[idx[i] * d + q] <= p) {
                int tmp = idx[i];
                idx[i] = idx[mid];
                idx[mid] = tmp;
                mid++;
            }
        }
        t.feature[node] = q;
        t.value[node] = p;
        t.left[node] = build(t, x, d, idx, from, mid, depth + 1, limit, rng);
        t.right[node] = build(t, x, d, idx, mid, to, depth + 1, limit, rng);
        return node;
    }

    /** c(n): the average path length of an unsuccessful search in a binary search tree of n nodes. */
    static double averagePathLength(int n) {
        if (n <= 1) {
            return 0;
        }
        if (n == 2) {
            return 1;
        }
        return 2 * (Math.log(n - 1) + EULER_GAMMA) - 2.0 * (n - 1) / n;
    }

    /** Anomaly scores in (0, 1] of (rows, d) rows: higher is more anomalous. */
    public double[] score(float[] x, int rows) {
        double[] s = new double[rows];
        double norm = averagePathLength(sampleSize);
        for (int r = 0; r < rows; r++) {
            double total = 0;
            int o = r * d;
            for (Tree t : trees) {
                int node = 0;
                int depth = 0;
                while (t.feature[node] >= 0) {
                    node = x[o + t.feature[node]] <= t.value[node] ? t.left[node] : t.right[node];
                    depth++;
                }
                total += depth + averagePathLength(t.size[node]);
            }
            s[r] = Math.pow(2, -(total / trees.length) / norm);
        }
        return s;
    }

    @Override
    public double[] anomalyScores(float[][] rows) {
        float[] flat = new float[rows.length * d];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != d) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values; the forest expects " + d);
            }
            System.arraycopy(rows[r], 0, flat, r * d, d);
        }
        return score(flat, rows.length);
    }
}
