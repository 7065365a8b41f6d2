package dev.recon.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Dataset;
import dev.recon.data.StandardScaler;
import dev.recon.data.SyntheticData;
import dev.recon.io.Bundle;
import dev.recon.model.DetectorKind;
import dev.recon.pipeline.TrainJob;
import dev.recon.pipeline.TrainOptions;
import dev.recon.train.TrainListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data-parallel training in local[2]: a model as good as one machine's, the same bits from the same seed. */
class ReconTest {
    @TempDir
    Path tmp;

    private static final Dataset DATA = SyntheticData.generate(10, 6000, 200, 3);

    private static Recon estimator() {
        return new Recon().setInputCols(DATA.featureNames().toArray(new String[0])).setLabelCol("label")
                .setNormalValue("0");
    }

    private static double roc(Bundle b) {
        return ((Number) b.metrics().get("roc_auc")).doubleValue();
    }

    @Test
    void twoPartitionsTrainAsGoodAModelAsOneMachineAndTheSameSeedGivesTheSameBits() {
        org.apache.spark.sql.Dataset<Row> df = LocalSpark.frame(DATA, 2);
        Recon.Trained a = estimator().train(df, "synthetic", s -> { });
        Recon.Trained b = estimator().train(df, "synthetic", s -> { });
        Bundle ba = a.model().bundle();
        assertEquals(2, a.partitions());
        assertEquals(DetectorKind.AE_KNN, ba.detector(), "the default detector, as on one machine");
        assertEquals(ba.knn().rows(), Math.min(dev.recon.score.NearestNeighbours.MAX_REFERENCE_ROWS, ba.data().fitRows()),
                "every fitted row is a reference row below the limit");
        assertArrayEquals(ba.params(), b.model().bundle().params(), "the same seed and partitions: the same model");
        assertEquals(ba.threshold(), b.model().bundle().threshold());
        Bundle one;
        try (CpuBackend be = new CpuBackend(2)) {
            one = TrainJob.run(DATA, TrainOptions.defaults(), be, TrainListener.NONE).bundle();
        }
        assertTrue(roc(ba) > roc(one) - 0.02, "two partitions " + roc(ba) + " against one machine " + roc(one));
        assertTrue(ba.state().epochsDone() >= 20, "epochs: " + ba.state().epochsDone());
        double first = a.history().get(0).valLoss();
        double last = a.history().get(a.history().size() - 1).valLoss();
        assertTrue(last < first, "the averaged model's validation loss falls: " + first + " -> " + last);
        // the model it returns scores as its bundle does
        List<Row> scored = a.model().transform(DATA.hasLabels() ? df : df).orderBy(functions.col("f1")).collectAsList();
        assertEquals(DATA.rows(), scored.size());
    }

    @Test
    void theScalerOfMergedPartsIsTheScalerOfTheWhole() {
        Dataset d = SyntheticData.generate(5, 1000, 0, 9);
        float[] x = d.values();
        Moments[] parts = {new Moments(5), new Moments(5), new Moments(5)};
        for (int r = 0; r < d.rows(); r++) {
            parts[r < 100 ? 0 : r < 700 ? 1 : 2].add(x, r * 5);
        }
        StandardScaler merged = parts[0].merge(parts[1]).merge(parts[2]).scaler();
        StandardScaler whole = StandardScaler.fit(d, d.allRows());
        for (int j = 0; j < 5; j++) {
            assertEquals(whole.mean()[j], merged.mean()[j], 1e-12 * Math.max(1, Math.abs(whole.mean()[j])));
            assertEquals(whole.scale()[j], merged.scale()[j], 1e-12 * whole.scale()[j]);
        }
    }

    /** The plain autoencoder: the reference's shape, and a model at least as good as chance by far. */
    @Test
    void thePlainAutoencoderTrainsToo() {
        Bundle b = estimator().setDetector("ae").setEpochs(5).fit(LocalSpark.frame(DATA, 2)).bundle();
        assertEquals(DetectorKind.AE, b.detector());
        assertEquals(null, b.knn());
        assertTrue(roc(b) > 0.8, "ROC-AUC " + roc(b));
    }

    /** Over the fan-in, groups are summed on executors first; either way in partition order. */
    @Test
    void orderedSumsKeepPartitionOrder() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        for (int p : new int[] {3, OrderedSum.FAN_IN + 38}) {
            JavaRDD<String> each = sc.parallelize(IntStream.range(0, p).boxed().toList(), p).map(String::valueOf);
            List<String> want = new ArrayList<>();
            IntStream.range(0, p).forEach(i -> want.add(String.valueOf(i)));
            assertEquals(String.join(",", want), OrderedSum.of(each, (a, b) -> a + "," + b));
        }
    }

    @Test
    void aRowWithANullIsRefusedByColumn() {
        org.apache.spark.sql.Dataset<Row> df = LocalSpark.frame(DATA, 2)
                .withColumn("f3", functions.when(functions.col("f1").gt(-1e30), functions.lit(null)).otherwise(functions.col("f3")));
        Exception e = assertThrows(Exception.class, () -> estimator().setEpochs(1).fit(df));
        String why = SparkMain.reason(e).getMessage();
        assertTrue(why.startsWith("column 'f3' holds null in row "), why);
    }

    @Test
    void theEstimatorSavesAndLoadsWithItsParameters() throws Exception {
        Recon r = estimator().setHidden(32, 8).setLatent(4).setEpochs(7).setThreshold("fpr:0.01");
        String path = tmp.resolve("estimator").toString();
        r.write().save(path);
        Recon back = Recon.load(path);
        assertEquals(r.uid(), back.uid());
        assertArrayEquals(new int[] {32, 8}, back.getOrDefault(back.hidden()));
        assertEquals(7, back.getOrDefault(back.epochs()));
        assertEquals("fpr:0.01", back.getOrDefault(back.threshold()));
        assertEquals("label", back.getOrDefault(back.labelCol()));
    }
}
