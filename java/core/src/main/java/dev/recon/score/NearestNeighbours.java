package dev.recon.score;

import dev.recon.Rng;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The distance from a row to its k-th nearest reference row (Euclidean, in the scaled space):
 * large where the training normals are sparse. The reference rows are a seeded sample of the
 * training normals, at most {@link #MAX_REFERENCE_ROWS}. Brute force on the CPU, a block of
 * queries per task: each query's distances are summed feature by feature in a fixed order, so
 * the result does not depend on the thread count.
 */
public final class NearestNeighbours {
    public static final int DEFAULT_K = 5;
    public static final int MAX_REFERENCE_ROWS = 20_000;
    /** Queries per task, and reference rows per tile: 8 x 512 float sums, 16 KB, stay in the L1 cache. */
    private static final int QUERIES = 8;
    private static final int TILE = 512;

    private final int k;
    private final int n;
    private final int d;
    /** Reference rows (n, d) row-major, as stored. */
    private final float[] rows;
    /**
     * The same in tiles of {@link #TILE} rows (the last one shorter), feature-major within a tile
     * ([tile][feature][row]): the inner loop then runs over one whole array, which the JIT
     * compiler turns into vector instructions.
     */
    private final float[][][] tiles;

    /** Searches {@code rows}, which the caller must not change afterwards (it is kept, not copied). */
    public NearestNeighbours(float[] rows, int n, int d, int k) {
        if (n < 1 || d < 1 || k < 1 || k > n || rows.length != (long) n * d) {
            throw new IllegalArgumentException("nearest neighbours: " + n + " reference rows of " + d + " features, k = " + k);
        }
        this.k = k;
        this.n = n;
        this.d = d;
        this.rows = rows;
        // the last tile is as long as the rows it holds: a small reference costs no padding
        this.tiles = new float[(n + TILE - 1) / TILE][][];
        for (int t = 0; t < tiles.length; t++) {
            tiles[t] = new float[d][Math.min(TILE, n - t * TILE)];
        }
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                tiles[i / TILE][f][i % TILE] = rows[i * d + f];
            }
        }
    }

    /** A seeded sample of at most {@code max} of the (n, d) rows {@code scaled}, in their original order. */
    public static NearestNeighbours sample(float[] scaled, int n, int d, int k, int max, long seed) {
        int m = Math.min(n, dev.recon.model.KnnComponent.maxRows(d, max));
        int[] idx = IntStream.range(0, n).toArray();
        if (m < n) {
            Rng.derive(seed, 0x4B4EL).shuffle(idx);
            idx = Arrays.copyOf(idx, m);
            Arrays.sort(idx);
        }
        float[] ref = new float[m * d];
        for (int i = 0; i < m; i++) {
            System.arraycopy(scaled, idx[i] * d, ref, i * d, d);
        }
        return new NearestNeighbours(ref, m, d, Math.min(k, m));
    }

    public int k() {
        return k;
    }

    public int size() {
        return n;
    }

    /** The reference rows, (size, d) row-major: the array itself, not a copy. */
    public float[] rows() {
        return rows;
    }

    /** The k-th nearest reference distance of each of the (count, d) scaled rows, on the common pool. */
    public double[] kthDistance(float[] scaled, int count) {
        return kthDistance(scaled, count, ForkJoinPool.commonPool());
    }

    /** The same on {@code pool}'s threads (the caller's thread count). */
    public double[] kthDistance(float[] scaled, int count, ForkJoinPool pool) {
        double[] out = new double[count];
        int blocks = (count + QUERIES - 1) / QUERIES;
        if (blocks == 1) {
            // one block (a single row, as a server scores): on this thread, not after a pool thread's wake-up
            search(scaled, count, 0, out);
            return out;
        }
        try {
            pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(b -> search(scaled, count, b, out))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return out;
    }

    private void search(float[] scaled, int count, int b, double[] out) {
        int q0 = b * QUERIES;
        int nq = Math.min(QUERIES, count - q0);
        float[][] acc = new float[QUERIES][TILE];
        float[] best = new float[QUERIES * k];
        Arrays.fill(best, Float.POSITIVE_INFINITY);
        boolean[] nan = new boolean[QUERIES];
        for (int tile = 0; tile < tiles.length; tile++) {
            int t = Math.min(TILE, n - tile * TILE);
            for (int q = 0; q < nq; q++) {
                Arrays.fill(acc[q], 0f);
            }
            // a tile of reference rows against a block of queries, feature by feature: the tile
            // and the sums stay in the L1 cache, and each (query, reference) sum runs over the
            // features in order, as a plain loop would
            for (int f = 0; f < d; f++) {
                float[] r = tiles[tile][f];
                for (int q = 0; q < nq; q++) {
                    float v = scaled[(q0 + q) * d + f];
                    float[] a = acc[q];
                    for (int j = 0; j < r.length; j++) {
                        float diff = v - r[j];
                        a[j] += diff * diff;
                    }
                }
            }
            for (int q = 0; q < nq; q++) {
                nan[q] |= keepSmallest(acc[q], t, best, q * k);
            }
        }
        for (int q = 0; q < nq; q++) {
            out[q0 + q] = nan[q] ? Double.NaN : Math.sqrt(best[q * k + k - 1]);
        }
    }

    /**
     * Merges the first {@code t} squared distances into a query's sorted k smallest ({@code best[off ..
     * off + k)}); returns whether one of them was NaN (a row holding NaN is near nothing).
     */
    private boolean keepSmallest(float[] dist, int t, float[] best, int off) {
        float worst = best[off + k - 1];
        boolean nan = false;
        for (int j = 0; j < t; j++) {
            float s = dist[j];
            if (s < worst) {
                int i = k - 1;
                while (i > 0 && best[off + i - 1] > s) {
                    best[off + i] = best[off + i - 1];
                    i--;
                }
                best[off + i] = s;
                worst = best[off + k - 1];
            } else if (s != s) {
                nan = true;
            }
        }
        return nan;
    }
}
