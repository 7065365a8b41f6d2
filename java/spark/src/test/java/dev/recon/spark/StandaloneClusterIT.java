package dev.recon.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.CsvOptions;
import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.pipeline.Features;
import dev.recon.pipeline.TrainJob;
import dev.recon.pipeline.TrainOptions;
import dev.recon.train.TrainListener;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on loopback (a master and two worker JVMs started from Spark's jars,
 * executors launched by the workers with recon-spark.jar shipped by {@code spark.jars}): a scoring
 * job equals the single-machine detector on the credit-card subset, and a training job on two
 * partitions gives, bit for bit, the model local[2] gives, near one machine's ROC-AUC.
 */
class StandaloneClusterIT {
    @TempDir
    Path tmp;

    private static SparkSession session(String master) {
        SparkSession.Builder b = SparkSession.builder().appName("recon-standalone-it").master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.log.level", "WARN");
        if (master.startsWith("spark://")) {
            b.config("spark.jars", System.getProperty("recon.spark.jar"))
                    .config("spark.executor.memory", "512m")
                    .config("spark.executor.cores", "1")
                    .config("spark.cores.max", "2")
                    .config("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector")
                    .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                    .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s");
        }
        return b.getOrCreate();
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void scoringAndTrainingJobsOnAStandaloneClusterMatchTheSingleMachine() throws Exception {
        Path cc = LocalSpark.creditCard();
        Bundle committed = BundleFormat.read(LocalSpark.repo().resolve("models/creditcard-subset/model.recon"));
        Dataset ds = CsvReader.read(cc, CsvOptions.defaults());
        Bundle clusterModel;
        try (LoopbackCluster cluster = new LoopbackCluster(Path.of(System.getProperty("recon.spark.home")), tmp, 2,
                System.getProperty("recon.spark.jvm.options", ""))) {
            SparkSession spark = session(cluster.masterUrl);
            try {
                assertEquals(2, spark.sparkContext().getExecutorMemoryStatus().size() - 1, "two executors besides the driver");
                org.apache.spark.sql.Dataset<Row> df = spark.read().option("header", "true").option("inferSchema", "true")
                        .csv(cc.toString());
                List<Row> scored = new ReconModel(committed).transform(df.coalesce(1)).collectAsList();
                ReconModelTest.assertScoresAsTheDetector(committed, Features.select(ds, committed.featureNames()), ds.rows(),
                        scored, "recon_error", "recon_anomaly");
                clusterModel = train(df.repartition(2));
            } finally {
                spark.stop();
            }
        }
        SparkSession local = session("local[2]");
        Bundle localModel;
        try {
            localModel = train(local.read().option("header", "true").option("inferSchema", "true").csv(cc.toString())
                    .repartition(2));
        } finally {
            local.stop();
        }
        assertArrayEquals(localModel.params(), clusterModel.params(), "the cluster's model is local[2]'s, bit for bit");
        Bundle one;
        try (CpuBackend be = new CpuBackend(2)) {
            one = TrainJob.run(ds, TrainOptions.defaults(), be, TrainListener.NONE).bundle();
        }
        double rocCluster = ((Number) clusterModel.metrics().get("roc_auc")).doubleValue();
        double rocOne = ((Number) one.metrics().get("roc_auc")).doubleValue();
        assertTrue(rocCluster > rocOne - 0.01, "ROC-AUC on the cluster " + rocCluster + ", one machine " + rocOne);
    }

    private static Bundle train(org.apache.spark.sql.Dataset<Row> df) {
        List<String> features = SparkMain.numericColumns(df, "Class");
        return new Recon().setInputCols(features.toArray(new String[0])).setLabelCol("Class").fit(df).bundle();
    }
}
