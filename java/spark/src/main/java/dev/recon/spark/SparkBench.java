package dev.recon.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.CsvOptions;
import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.model.DetectorKind;
import dev.recon.pipeline.TrainJob;
import dev.recon.pipeline.TrainOptions;
import dev.recon.train.TrainListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The Spark benchmarks of BENCHMARKS.md ({@code bench/spark/bench.sh} runs them): scoring
 * throughput on local[1], local[2] and a loopback cluster of two one-core workers, and data-parallel
 * training on 1, 2 and 4 partitions against one machine. Writes one JSON object.
 *
 * <pre>SparkBench score MODEL CSV ROWS WORKDIR SPARK_HOME JVM_OPTIONS
 * SparkBench train CSV LABEL SEEDS WORKDIR
 * SparkBench scale CSV ROWS EPOCHS WORKDIR SPARK_HOME JVM_OPTIONS</pre>
 */
public final class SparkBench {
    private SparkBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> out = switch (args[0]) {
            case "score" -> score(args[1], args[2], Long.parseLong(args[3]), Path.of(args[4]), Path.of(args[5]), args[6]);
            case "train" -> train(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
            case "scale" -> scale(args[1], Long.parseLong(args[2]), Integer.parseInt(args[3]), Path.of(args[4]),
                    Path.of(args[5]), args[6]);
            default -> throw new IllegalArgumentException("score, train or scale");
        };
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }

    static SparkSession session(String master, Map<String, String> conf) {
        SparkSession.Builder b = SparkSession.builder().appName("recon-spark-bench").master(master)
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.log.level", "WARN");
        conf.forEach(b::config);
        return b.getOrCreate();
    }

    /** The CSV's rows repeated up to {@code rows}, as Parquet (and as one CSV file for recon score). */
    static Path replicate(String csv, long rows, Path work, boolean alsoCsv) throws Exception {
        Path parquet = work.resolve("rows-" + rows + ".parquet");
        if (Files.exists(parquet)) {
            return parquet;
        }
        SparkSession spark = session("local[2]", Map.of());
        try {
            write(spark, csv, rows, work, parquet, alsoCsv);
        } finally {
            spark.stop();
        }
        return parquet;
    }

    private static void write(SparkSession spark, String csv, long rows, Path work, Path parquet, boolean alsoCsv) {
        org.apache.spark.sql.Dataset<Row> src = spark.read().option("header", "true").option("inferSchema", "true").csv(csv)
                .cache();
        long n = src.count();
        org.apache.spark.sql.Dataset<Row> all = src;
        for (long have = n; have < rows; have += n) {
            all = all.union(src);
        }
        all = all.limit((int) rows);
        all.repartition(4).write().parquet(parquet.toString());
        if (alsoCsv) {
            spark.read().parquet(parquet.toString()).coalesce(1).write().option("header", "true")
                    .csv(work.resolve("rows-" + rows + "-csv").toString());
        }
    }

    private static Map<String, Object> score(String model, String csv, long rows, Path work, Path sparkHome,
                                             String jvmOptions) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        Path parquet = replicate(csv, rows, work, true);
        ReconModel m = ReconModel.fromBundle(model);
        for (String master : List.of("local[1]", "local[2]")) {
            out.put(master, scoreRun(session(master, Map.of()), m, parquet));
        }
        try (LoopbackCluster cluster = new LoopbackCluster(sparkHome, work.resolve("cluster"), 2, "3g", jvmOptions)) {
            out.put("loopback cluster, 2 executors x 1 core", scoreRun(session(cluster.masterUrl, clusterConf(2)), m,
                    parquet));
        }
        out.put("rows", rows);
        out.put("detector", m.bundle().detector().id());
        return out;
    }

    /** Best of two: read Parquet, score, and write Parquet; and the same into Spark's no-op sink. */
    private static Map<String, Object> scoreRun(SparkSession spark, ReconModel m, Path parquet) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        try {
            long rows = spark.read().parquet(parquet.toString()).count();
            double noop = Double.MAX_VALUE;
            double toParquet = Double.MAX_VALUE;
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                m.transform(spark.read().parquet(parquet.toString())).write().format("noop").mode(SaveMode.Overwrite).save();
                noop = Math.min(noop, (System.nanoTime() - t0) / 1e9);
                Path o = Files.createTempDirectory("recon-bench-out");
                long t1 = System.nanoTime();
                m.transform(spark.read().parquet(parquet.toString())).write().mode(SaveMode.Overwrite).parquet(o.toString());
                toParquet = Math.min(toParquet, (System.nanoTime() - t1) / 1e9);
            }
            r.put("rows_per_s_scoring", rows / noop);
            r.put("rows_per_s_parquet_to_parquet", rows / toParquet);
        } finally {
            spark.stop();
        }
        return r;
    }

    /** Data-parallel training on 1, 2 and 4 partitions against one machine, on local[2], per detector and seed. */
    private static Map<String, Object> train(Path csv, String label, int seeds) throws Exception {
        Dataset ds = CsvReader.read(csv, CsvOptions.defaults());
        SparkSession spark = session("local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            org.apache.spark.sql.Dataset<Row> df = spark.read().option("header", "true").option("inferSchema", "true")
                    .csv(csv.toString()).cache();
            df.count();
            List<String> features = SparkMain.numericColumns(df, label);
            for (DetectorKind kind : List.of(DetectorKind.AE_KNN, DetectorKind.AE)) {
                for (int seed = 1; seed <= seeds; seed++) {
                    Map<String, Object> s = new LinkedHashMap<>();
                    long t0 = System.nanoTime();
                    Bundle one;
                    try (CpuBackend be = new CpuBackend(2)) {
                        one = TrainJob.run(ds, TrainOptions.defaults().withDetector(kind).withSeed(seed), be,
                                TrainListener.NONE).bundle();
                    }
                    s.put("one machine", run(one, (System.nanoTime() - t0) / 1e9));
                    for (int p : new int[] {1, 2, 4}) {
                        Recon.Trained t = new Recon().setInputCols(features.toArray(new String[0])).setLabelCol(label)
                                .setDetector(kind.id()).setSeed(seed).train(df.repartition(p), csv.toString(), x -> { });
                        s.put(p + " partitions", run(t.model().bundle(), t.seconds()));
                    }
                    out.put(kind.id() + ", seed " + seed, s);
                }
            }
        } finally {
            spark.stop();
        }
        return out;
    }

    private static Map<String, Object> run(Bundle b, double seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("roc_auc", b.metrics().get("roc_auc"));
        r.put("pr_auc", b.metrics().get("pr_auc"));
        r.put("epochs", b.state().epochsDone());
        r.put("seconds", seconds);
        return r;
    }

    /**
     * Training wall time on a large set, two partitions: on a loopback cluster of one and of two
     * one-core workers (one executor thread each, spark.task.cpus=1, one Recon thread a task), and
     * on local[1] and local[2].
     */
    private static Map<String, Object> scale(String csv, long rows, int epochs, Path work, Path sparkHome,
                                             String jvmOptions) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        Path parquet = replicate(csv, rows, work, false);
        for (int workers : new int[] {1, 2}) {
            try (LoopbackCluster cluster = new LoopbackCluster(sparkHome, work.resolve("cluster-" + workers), workers, "3g",
                    jvmOptions)) {
                out.put("loopback cluster, " + workers + " executor(s) x 1 core", scaleRun(session(cluster.masterUrl,
                        clusterConf(workers)), parquet, epochs, csv));
            }
        }
        for (String master : List.of("local[1]", "local[2]")) {
            out.put(master, scaleRun(session(master, Map.of("spark.task.cpus", "1")), parquet, epochs, csv));
        }
        out.put("rows", rows);
        return out;
    }

    private static Map<String, Object> scaleRun(SparkSession spark, Path parquet, int epochs, String source) {
        try {
            org.apache.spark.sql.Dataset<Row> df = spark.read().parquet(parquet.toString());
            List<String> features = new ArrayList<>(SparkMain.numericColumns(df, "Class"));
            Recon.Trained t = new Recon().setInputCols(features.toArray(new String[0])).setLabelCol("Class")
                    .setDetector("ae").setEpochs(epochs).setPatience(0).setThreads(1).train(df.repartition(2), source,
                            x -> { });
            Map<String, Object> r = run(t.model().bundle(), t.seconds());
            r.put("partitions", t.partitions());
            r.put("epoch_seconds", t.history().stream().map(e -> e.seconds()).toList());
            return r;
        } finally {
            spark.stop();
        }
    }

    /** A cluster session: recon-spark.jar shipped, executors of one core each, all of them registered before work starts. */
    static Map<String, String> clusterConf(int executors) {
        return Map.of("spark.jars", SparkBench.class.getProtectionDomain().getCodeSource().getLocation().getPath(),
                "spark.executor.memory", "2g", "spark.executor.cores", "1", "spark.task.cpus", "1",
                "spark.cores.max", String.valueOf(executors),
                "spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector",
                "spark.scheduler.minRegisteredResourcesRatio", "1.0");
    }
}
