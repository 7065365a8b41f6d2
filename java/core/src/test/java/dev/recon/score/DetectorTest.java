package dev.recon.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.ReconException;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Dataset;
import dev.recon.data.SyntheticData;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.pipeline.TrainJob;
import dev.recon.pipeline.TrainOptions;
import dev.recon.train.TrainListener;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectorTest {
    static Dataset data;
    static TrainJob.Outcome outcome;
    static Bundle bundle;

    @BeforeAll
    static void train() {
        data = SyntheticData.generate(10, 5000, 100, 21);
        try (CpuBackend be = new CpuBackend(2)) {
            outcome = TrainJob.run(data, TrainOptions.defaults().withEpochs(10), be, TrainListener.NONE);
        }
        bundle = outcome.bundle();
    }

    /** Training combines the validation rows' two parts itself: the threshold's inputs are the Detector's scores, bit for bit. */
    @Test
    void trainingsValidationScoresAreTheDetectorsScores() {
        try (CpuBackend be = new CpuBackend(1); Detector d = Detector.of(bundle, be)) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(d.errors(data.gather(outcome.split().val()),
                    outcome.split().val().length), outcome.valErrors());
        }
    }

    /**
     * Inputs far outside what the scaler saw (3e38 is a finite float) overflow inside the network:
     * the row's error is not a number, and the row is flagged, never called normal.
     */
    @Test
    void aRowTheNetworkOverflowsOnIsFlagged() {
        try (CpuBackend be = new CpuBackend(1); Detector d = Detector.of(bundle, be)) {
            float[] normal = new float[10];
            float[] huge = new float[10];
            java.util.Arrays.fill(huge, 3e38f);
            Scores s = d.score(new float[][] {normal, huge});
            assertTrue(!Double.isFinite(s.errors()[1]), "error " + s.errors()[1]);
            assertTrue(s.anomalies()[1], "a non-finite error is flagged");
            assertEquals(1, s.nonFinite());
            assertTrue(Double.isFinite(s.errors()[0]));
        }
    }

    /** Eight threads scoring the same rows at once through one Detector get the bits of one alone. */
    @Test
    void oneDetectorServesEightThreadsWithTheSameBits() throws Exception {
        try (CpuBackend be = new CpuBackend(2); Detector d = Detector.of(bundle, be)) {
            float[] raw = java.util.Arrays.copyOf(data.values(), 3000 * 10);
            double[] alone = d.errors(raw, 3000);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<double[]>> runs = new java.util.ArrayList<>();
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                for (int t = 0; t < 8; t++) {
                    runs.add(pool.submit(() -> {
                        start.await();
                        double[] last = null;
                        for (int rep = 0; rep < 3; rep++) {
                            last = d.score(raw, 3000).errors();
                        }
                        return last;
                    }));
                }
                start.countDown();
                for (java.util.concurrent.Future<double[]> f : runs) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(alone, f.get(60, java.util.concurrent.TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void loadScoreAndExplainThroughTheFile(@TempDir Path dir) {
        BundleFormat.write(bundle, dir.resolve("model.recon"));
        try (Detector d = Detector.load(dir)) {
            int rows = data.rows();
            float[][] x = new float[rows][];
            for (int r = 0; r < rows; r++) {
                x[r] = new float[data.features()];
                System.arraycopy(data.values(), r * data.features(), x[r], 0, data.features());
            }
            Scores s = d.score(x);
            assertEquals(rows, s.rows());
            // the default detector's score: the reconstruction error and the k-th neighbour distance, combined
            NearestNeighbours nn = new NearestNeighbours(bundle.knn().reference(), bundle.knn().rows(), data.features(),
                    bundle.knn().k());
            double[] distance = nn.kthDistance(bundle.scaler().transform(data.values(), rows), rows);
            double meanNormal = 0;
            double meanAnomaly = 0;
            for (int r = 0; r < rows; r++) {
                // the row's reconstruction error is the mean of the feature errors
                double sum = 0;
                for (float f : s.featureErrors()[r]) {
                    sum += f;
                }
                assertEquals(bundle.knn().combine(sum / data.features(), distance[r]), s.errors()[r],
                        1e-5 * (1 + s.errors()[r]));
                assertEquals(s.errors()[r] >= d.threshold(), s.anomalies()[r]);
                if (data.isAnomaly(r)) {
                    meanAnomaly += s.errors()[r] / data.anomalies();
                } else {
                    meanNormal += s.errors()[r] / (rows - data.anomalies());
                }
            }
            assertTrue(meanAnomaly > 3 * meanNormal, meanAnomaly + " vs " + meanNormal);

            List<Contribution> top = d.explain(x[0], 3);
            assertEquals(3, top.size());
            assertTrue(top.get(0).error() >= top.get(1).error() && top.get(1).error() >= top.get(2).error());
            assertEquals(s.featureErrors()[0][top.get(0).index()], top.get(0).error(), 1e-6);
            assertEquals(data.featureNames().get(top.get(0).index()), top.get(0).feature());
            double shares = d.explain(x[0], 100).stream().mapToDouble(Contribution::share).sum();
            assertEquals(1.0, shares, 1e-6);
        }
    }

    @Test
    void scoresDoNotDependOnBatching() {
        try (CpuBackend be = new CpuBackend(2)) {
            Detector d = Detector.of(bundle, be);
            Scores all = d.score(data.values(), data.rows());
            float[] one = new float[data.features()];
            for (int r : new int[] {0, 4095, 4096, data.rows() - 1}) {
                System.arraycopy(data.values(), r * data.features(), one, 0, one.length);
                assertEquals(all.errors()[r], d.score(new float[][] {one}).errors()[0], 0);
            }
        }
    }

    @Test
    void wrongWidthIsAClearError() {
        try (CpuBackend be = new CpuBackend(1)) {
            ReconException e = assertThrows(ReconException.class,
                    () -> Detector.of(bundle, be).score(new float[][] {{1f, 2f}}));
            assertTrue(e.getMessage().startsWith("row 0 has 2 values; the model expects 10"), e.getMessage());
        }
    }
}
