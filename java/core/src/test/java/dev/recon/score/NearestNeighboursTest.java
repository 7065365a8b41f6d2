package dev.recon.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** The k-th neighbour distance against a float64 brute force that sorts every distance. */
class NearestNeighboursTest {
    private static float[] gaussian(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static double reference(float[] ref, int n, int d, float[] q, int row, int k) {
        double[] dist = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int f = 0; f < d; f++) {
                double t = (double) q[row * d + f] - ref[j * d + f];
                s += t * t;
            }
            dist[j] = s;
        }
        Arrays.sort(dist);
        return Math.sqrt(dist[k - 1]);
    }

    @Test
    void aLoneRowGetsTheBitsItGetsInABatch() {
        int n = 1500;
        int d = 7;
        NearestNeighbours nn = new NearestNeighbours(gaussian(n, d, 1), n, d, 5);
        float[] q = gaussian(40, d, 2);
        double[] batch = nn.kthDistance(q, 40, new ForkJoinPool(2));
        for (int r = 0; r < 40; r++) {
            double[] alone = nn.kthDistance(Arrays.copyOfRange(q, r * d, (r + 1) * d), 1);
            assertEquals(Double.doubleToRawLongBits(batch[r]), Double.doubleToRawLongBits(alone[0]), "row " + r);
        }
    }

    @Test
    void kthDistanceMatchesASortedFloat64BruteForce() {
        for (int[] shape : new int[][] {{1, 1, 1}, {7, 3, 5}, {300, 13, 5}, {257, 64, 1}, {100, 2, 100}}) {
            int n = shape[0];
            int d = shape[1];
            int k = shape[2];
            float[] ref = gaussian(n, d, n + d);
            float[] q = gaussian(150, d, 7);
            // queries that sit on reference rows: their nearest distance is 0
            System.arraycopy(ref, 0, q, 0, d);
            double[] got = new NearestNeighbours(ref, n, d, k).kthDistance(q, 150);
            for (int i = 0; i < 150; i++) {
                double want = reference(ref, n, d, q, i, k);
                assertEquals(want, got[i], 1e-5 * (1 + want), "n " + n + " d " + d + " k " + k + " row " + i);
            }
            if (k == 1) {
                assertEquals(0.0, got[0]);
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() throws Exception {
        float[] ref = gaussian(5000, 9, 1);
        float[] q = gaussian(3000, 9, 2);
        NearestNeighbours nn = new NearestNeighbours(ref, 5000, 9, 5);
        double[] parallel = nn.kthDistance(q, 3000);
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            assertArrayEquals(parallel, nn.kthDistance(q, 3000, one));
        } finally {
            one.shutdown();
        }
    }

    @Test
    void nonFiniteQueriesAreNeverNearAnything() {
        float[] ref = gaussian(50, 3, 3);
        float[] q = {Float.NaN, 0, 0, Float.POSITIVE_INFINITY, 0, 0, 3e38f, 3e38f, 3e38f};
        double[] got = new NearestNeighbours(ref, 50, 3, 5).kthDistance(q, 3);
        assertTrue(Double.isNaN(got[0]), "NaN: " + got[0]);
        assertEquals(Double.POSITIVE_INFINITY, got[1]);
        assertEquals(Double.POSITIVE_INFINITY, got[2], "overflowing squares are infinitely far");
    }

    @Test
    void theSampleIsSeededCappedAndInOriginalOrder() {
        float[] rows = new float[1000];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        NearestNeighbours a = NearestNeighbours.sample(rows, 1000, 1, 5, 100, 42);
        NearestNeighbours b = NearestNeighbours.sample(rows, 1000, 1, 5, 100, 42);
        assertEquals(100, a.size());
        assertArrayEquals(a.rows(), b.rows());
        float[] r = a.rows();
        for (int i = 1; i < r.length; i++) {
            assertTrue(r[i] > r[i - 1]);
        }
        assertEquals(3, NearestNeighbours.sample(rows, 3, 1, 5, 100, 42).k(), "k is capped at the rows there are");
        int wide = 1 << 20;
        assertEquals(dev.recon.model.KnnComponent.MAX_REFERENCE_VALUES / wide,
                NearestNeighbours.sample(new float[40 * wide], 40, wide, 5, 20_000, 1).size(),
                "wide data keeps fewer rows, so that the reference stays within one array");
        assertThrows(IllegalArgumentException.class, () -> new NearestNeighbours(new float[6], 3, 2, 4));
    }

    @Test
    void scalesComeFromTheFiniteValidationScoresOnly() {
        assertEquals(2.0, dev.recon.model.KnnComponent.scaleOf(new double[] {1, 3, Double.NaN, Double.POSITIVE_INFINITY},
                false));
        assertEquals(5.0, dev.recon.model.KnnComponent.scaleOf(new double[] {1, 3}, true));
        assertEquals(1.0, dev.recon.model.KnnComponent.scaleOf(new double[] {0, 0}, true), "all duplicates");
        assertEquals(1.0, dev.recon.model.KnnComponent.scaleOf(new double[] {Double.NaN}, false));
        assertEquals(2.0 / 5 + 9.0 / 5, new dev.recon.model.KnnComponent(1, 1, 1, new float[1], 5, 5).combine(2, 3), 1e-12);
    }
}
