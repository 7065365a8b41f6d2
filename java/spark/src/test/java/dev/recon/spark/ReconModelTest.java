package dev.recon.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.CsvOptions;
import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.data.SyntheticData;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.model.DetectorKind;
import dev.recon.pipeline.TrainJob;
import dev.recon.pipeline.TrainOptions;
import dev.recon.score.Contribution;
import dev.recon.score.Detector;
import dev.recon.pipeline.Features;
import dev.recon.train.TrainListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring a DataFrame in local[2]: the same scores and flags as the Detector {@code recon score} runs. */
class ReconModelTest {
    @TempDir
    Path tmp;

    static Bundle train(Dataset data, DetectorKind kind) {
        try (CpuBackend be = new CpuBackend(2)) {
            return TrainJob.run(data, TrainOptions.defaults().withEpochs(3).withDetector(kind), be, TrainListener.NONE)
                    .bundle();
        }
    }

    /** The scores and flags of {@code scored} against the Detector's on the same raw rows, in row order. */
    static void assertScoresAsTheDetector(Bundle b, float[] raw, int rows, List<Row> scored, String errorCol,
                                          String anomalyCol) {
        double[] want;
        try (CpuBackend be = new CpuBackend(2); Detector det = Detector.of(b, be)) {
            want = det.errors(raw, rows);
        }
        assertEquals(rows, scored.size());
        int flagsDiffer = 0;
        for (int i = 0; i < rows; i++) {
            Row r = scored.get(i);
            double got = r.getDouble(r.fieldIndex(errorCol));
            assertEquals(want[i], got, 1e-6 * Math.abs(want[i]), "row " + i);
            flagsDiffer += r.getBoolean(r.fieldIndex(anomalyCol)) == !(want[i] < b.threshold()) ? 0 : 1;
        }
        assertEquals(0, flagsDiffer, "flags that differ");
    }

    private static List<Row> sortedById(org.apache.spark.sql.Dataset<Row> scored) {
        return scored.orderBy("id").collectAsList();
    }

    private static org.apache.spark.sql.Dataset<Row> withId(Dataset ds, int partitions) {
        return LocalSpark.frame(ds, 1).withColumn("id", functions.monotonically_increasing_id()).repartition(partitions);
    }

    @Test
    void bothDetectorsScoreAsTheDetectorDoes() {
        Dataset data = SyntheticData.generate(12, 3000, 60, 5);
        for (DetectorKind kind : DetectorKind.values()) {
            Bundle b = train(data, kind);
            ReconModel m = new ReconModel(b);
            assertScoresAsTheDetector(b, data.values(), data.rows(), sortedById(m.transform(withId(data, 3))),
                    "recon_error", "recon_anomaly");
        }
    }

    /** The committed demo model on all 17,891 rows of the credit-card subset, read by Spark's CSV reader. */
    @Test
    void theCommittedModelScoresTheCreditCardFileAsReconScoreDoes() {
        Path cc = LocalSpark.creditCard();
        Bundle b = BundleFormat.read(LocalSpark.repo().resolve("models/creditcard-subset/model.recon"));
        Dataset ds = CsvReader.read(cc, CsvOptions.defaults());
        float[] raw = Features.select(ds, b.featureNames());
        org.apache.spark.sql.Dataset<Row> df = LocalSpark.session().read().option("header", "true")
                .option("inferSchema", "true").csv(cc.toString());
        List<Row> scored = new ReconModel(b).transform(df.coalesce(1)).collectAsList();
        assertScoresAsTheDetector(b, raw, ds.rows(), scored, "recon_error", "recon_anomaly");
    }

    /**
     * One task that reads eight partitions in turn (coalesce) uses one scorer, given back when each
     * partition's rows run out.
     */
    @Test
    void aCoalescingTaskReusesItsScorer() {
        Dataset data = SyntheticData.generate(4, 4000, 40, 6);
        Bundle b = train(data, DetectorKind.AE);
        ReconModel m = new ReconModel(b);
        assertEquals(4000, m.transform(LocalSpark.frame(data, 8)).coalesce(1).count());
        assertEquals(1, ExecutorResources.idleScorers(ReconModel.key(BundleFormat.encode(b))),
                "one scorer served the eight partitions");
    }

    @Test
    void aRowThatCannotBeScoredIsFlagged() {
        Bundle b = train(SyntheticData.generate(3, 2000, 40, 2), DetectorKind.AE);
        List<Row> rows = List.of(RowFactory.create(0.1, 0.2, 0.3), RowFactory.create(0.1, null, 0.3),
                RowFactory.create(0.1, Double.NaN, 0.3), RowFactory.create(Double.POSITIVE_INFINITY, 0.2, 0.3));
        org.apache.spark.sql.Dataset<Row> df = LocalSpark.session().createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField("f1", DataTypes.DoubleType, true),
                DataTypes.createStructField("f2", DataTypes.DoubleType, true),
                DataTypes.createStructField("f3", DataTypes.DoubleType, true))));
        List<Row> out = new ReconModel(b).transform(df).collectAsList();
        for (int i = 1; i < 4; i++) {
            assertTrue(out.get(i).getBoolean(4), "row " + i + " must be flagged: " + out.get(i));
            assertTrue(Double.isNaN(out.get(i).getDouble(3)) || Double.isInfinite(out.get(i).getDouble(3)), out.get(i).toString());
        }
    }

    /** A vector column (VectorAssembler's) scores as the named columns do; top-K features as the Detector explains. */
    @Test
    void aVectorColumnAndTopFeaturesInAPipelineThatSavesAndLoads() throws IOException {
        Dataset data = SyntheticData.generate(6, 2000, 40, 8);
        Bundle b = train(data, DetectorKind.AE);
        VectorAssembler va = new VectorAssembler().setInputCols(data.featureNames().toArray(new String[0]))
                .setOutputCol("features");
        ReconModel m = new ReconModel(b).setFeaturesCol("features").setTopK(2).setErrorCol("score");
        PipelineModel pm = new Pipeline().setStages(new PipelineStage[] {va, m}).fit(withId(data, 2));
        String path = tmp.resolve("pipeline").toString();
        pm.write().save(path);
        PipelineModel back = PipelineModel.load(path);
        List<Row> scored = sortedById(back.transform(withId(data, 2)));
        assertScoresAsTheDetector(b, data.values(), data.rows(), scored, "score", "recon_anomaly");
        try (CpuBackend be = new CpuBackend(1); Detector det = Detector.of(b, be)) {
            for (int i = 0; i < 50; i++) {
                float[] row = java.util.Arrays.copyOfRange(data.values(), i * 6, (i + 1) * 6);
                List<String> want = new ArrayList<>();
                for (Contribution c : det.explain(row, 2)) {
                    want.add(c.feature());
                }
                Row r = scored.get(i);
                assertEquals(want, r.getList(r.fieldIndex("recon_top_features")), "row " + i);
            }
        }
    }

    @Test
    void aSavedModelLoadsWithItsParametersAndATamperedBundleIsRefused() throws IOException {
        Bundle b = train(SyntheticData.generate(4, 2000, 40, 3), DetectorKind.AE);
        ReconModel m = new ReconModel(b).setAnomalyCol("flag");
        Path dir = tmp.resolve("model");
        m.write().save(dir.toString());
        ReconModel back = ReconModel.load(dir.toString());
        assertEquals(m.uid(), back.uid());
        assertEquals("flag", back.getOrDefault(back.anomalyCol()));
        assertArrayEquals(BundleFormat.encode(b), BundleFormat.encode(back.bundle()));
        Path file = dir.resolve(ReconModel.BUNDLE_FILE);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        Exception e = assertThrows(RuntimeException.class, () -> ReconModel.load(dir.toString()));
        assertTrue(e.getMessage().contains(ReconModel.BUNDLE_FILE), e.getMessage());
    }

    @Test
    void aMissingOrNonNumericColumnIsNamed() {
        Bundle b = train(SyntheticData.generate(3, 2000, 40, 2), DetectorKind.AE);
        ReconModel m = new ReconModel(b);
        org.apache.spark.sql.Dataset<Row> twoCols = LocalSpark.session().createDataFrame(
                List.of(RowFactory.create(0.1, 0.3)), DataTypes.createStructType(List.of(
                        DataTypes.createStructField("f1", DataTypes.DoubleType, true),
                        DataTypes.createStructField("f3", DataTypes.DoubleType, true))));
        assertEquals("no column 'f2', which the model was trained on; the DataFrame has [f1, f3]",
                assertThrows(IllegalArgumentException.class, () -> m.transform(twoCols)).getMessage());
        org.apache.spark.sql.Dataset<Row> text = twoCols.withColumn("f2", functions.lit("x"));
        assertEquals("column 'f2' is string; the model scores numeric columns",
                assertThrows(IllegalArgumentException.class, () -> m.transform(text)).getMessage());
    }
}
