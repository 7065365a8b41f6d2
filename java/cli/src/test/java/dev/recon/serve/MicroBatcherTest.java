package dev.recon.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recon.model.DetectorKind;
import dev.recon.score.Detector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows scored in whatever batches concurrent callers form score as they do alone. */
class MicroBatcherTest {
    @TempDir
    Path dir;

    @Test
    void concurrentRowsGetTheirOwnScores() throws Exception {
        Path file = dir.resolve("m.recon");
        ServeFixtures.train(file, DetectorKind.AE_KNN, 3);
        int d = ServeFixtures.FEATURES;
        int n = 400;
        try (Detector det = Detector.load(file); MicroBatcher batcher = new MicroBatcher(det, 64, "test-batcher")) {
            double[] alone = new double[n];
            for (int r = 0; r < n; r++) {
                alone[r] = det.errors(java.util.Arrays.copyOfRange(ServeFixtures.DATA.values(), r * d, (r + 1) * d), 1)[0];
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<double[]>> parts = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    final int first = t;
                    parts.add(pool.submit(() -> {
                        double[] got = new double[n];
                        for (int r = first; r < n; r += 8) {
                            got[r] = batcher.score(java.util.Arrays.copyOfRange(ServeFixtures.DATA.values(), r * d, (r + 1) * d));
                        }
                        return got;
                    }));
                }
                for (int t = 0; t < 8; t++) {
                    double[] got = parts.get(t).get();
                    for (int r = t; r < n; r += 8) {
                        assertEquals(alone[r], got[r], 1e-6 * Math.abs(alone[r]), "row " + r);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
