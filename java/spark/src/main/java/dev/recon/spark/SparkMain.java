package dev.recon.spark;

import dev.recon.ReconException;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recon spark score|train}: Recon on a Spark cluster for people who do not write Spark
 * code. Reads CSV (with a header) or Parquet, writes Parquet (scores) or a bundle (training).
 * Run by {@code spark-submit --class dev.recon.spark.SparkMain recon-spark.jar ...}, or by the
 * {@code recon spark} launcher, which runs it in local mode on the Spark jars Maven brings.
 */
@Command(name = "recon spark", mixinStandardHelpOptions = true, subcommands = {SparkMain.Score.class,
    SparkMain.Train.class}, description = "Score or train on Apache Spark.")
public final class SparkMain {
    private static final int BAD_INPUT = 2;
    private static final int FAILURE = 1;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, c, pr) -> {
            if (debug) {
                ex.printStackTrace(err);
            }
            Throwable cause = reason(ex);
            boolean bad = cause instanceof IllegalArgumentException
                    || cause instanceof ReconException re && re.badInput()
                    || cause.getClass().getName().equals("org.apache.spark.sql.AnalysisException");
            err.println("recon spark " + c.getCommandName() + ": " + firstLine(cause.getMessage())
                    + (bad || debug ? "" : " (run with --debug for the stack trace)"));
            return bad ? BAD_INPUT : FAILURE;
        });
        return cl.execute(args);
    }

    /** The innermost cause Recon or the user can act on: an executor's error arrives wrapped by Spark. */
    static Throwable reason(Throwable t) {
        Throwable found = t;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ReconException || c instanceof IllegalArgumentException) {
                found = c;
            }
        }
        return found;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "failed";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Options of both commands: the input, and where Spark runs. */
    static final class SessionOptions {
        @Option(names = "--data", required = true, paramLabel = "PATH", description = "CSV with a header, or Parquet.")
        String data;

        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master (default: spark-submit's, else local[*]); the recon launcher runs local[N] "
                        + "only and needs SPARK_HOME for a cluster.")
        String master;

        @Option(names = "--partitions", paramLabel = "N",
                description = "Repartition the input into N partitions first (default: as read).")
        Integer partitions;

        @Option(names = "--debug", description = "Print stack traces with errors.")
        boolean debug;

        /** True where this command started its session, and so stops it; an embedding application's stays. */
        boolean owned;

        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        PrintWriter out() {
            return command.commandLine().getOut();
        }

        PrintWriter err() {
            return command.commandLine().getErr();
        }

        SparkSession session(String app) {
            owned = SparkSession.getActiveSession().isEmpty();
            SparkSession.Builder b = SparkSession.builder().appName(app);
            if (master != null) {
                b.master(master);
            } else if (System.getProperty("spark.master") == null) {
                b.master("local[*]");
            }
            return b.getOrCreate();
        }

        void stop(SparkSession spark) {
            if (owned) {
                spark.stop();
            }
        }

        Dataset<Row> read(SparkSession spark) {
            try {
                Path p = new Path(data);
                if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
                    throw new IllegalArgumentException("--data " + data + ": no such file or folder");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("--data " + data + ": " + e.getMessage(), e);
            }
            Dataset<Row> df = isCsv(data)
                    ? spark.read().option("header", "true").option("inferSchema", "true").csv(data)
                    : spark.read().parquet(data);
            return partitions != null ? df.repartition(partitions) : df;
        }
    }

    static boolean isCsv(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".csv") || p.endsWith(".csv.gz");
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = "Score every row of a CSV or Parquet input with a Recon bundle and write Parquet: the input's "
                    + "columns, recon_error and recon_anomaly (true at or above the threshold, or unscorable).")
    static final class Score implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "model.recon or a run folder.")
        String model;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Parquet output (must not exist).")
        String out;

        @Option(names = "--explain", paramLabel = "K", defaultValue = "0",
                description = "Also list each row's K features with the largest reconstruction error.")
        int explain;

        @Mixin
        SessionOptions session;

        @Override
        public Integer call() {
            if (explain < 0) {
                throw new IllegalArgumentException("--explain: expected 0 or more, got " + explain);
            }
            ReconModel m = ReconModel.fromBundle(model).setTopK(explain);
            SparkSession spark = session.session("recon spark score");
            try {
                long t0 = System.nanoTime();
                Dataset<Row> scored = m.transform(session.read(spark));
                scored.write().mode("errorifexists").parquet(out);
                Dataset<Row> written = spark.read().parquet(out);
                long rows = written.count();
                long flagged = written.filter(written.col(m.getOrDefault(m.anomalyCol()))).count();
                double sec = (System.nanoTime() - t0) / 1e9;
                session.out().printf(Locale.ROOT, "scored %d rows in %.1f s (%.0f rows/s), %d flagged; "
                        + "wrote %s%n", rows, sec, rows / sec, flagged, out);
                return 0;
            } finally {
                session.stop(spark);
            }
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train data-parallel on a CSV or Parquet input's normal rows and write "
                    + "DIR/model.recon (a bundle recon score and recon serve read) and DIR/spark-model (ReconModel).")
    static final class Train implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (must not exist).")
        String out;

        @Option(names = "--features", split = ",", paramLabel = "COL",
                description = "Feature columns (default: every numeric column but the label).")
        List<String> features;

        @Option(names = "--label", paramLabel = "COL", description = "Label column (optional).")
        String label;

        @Option(names = "--detector", paramLabel = "ae-knn|ae", defaultValue = "ae-knn",
                description = "ae-knn (Recon's default: the reconstruction error plus the distance to the nearest "
                        + "training normals) or ae (the reconstruction error alone) (default: ${DEFAULT-VALUE}).")
        String detector;

        @Option(names = "--normal", paramLabel = "VALUE", defaultValue = "0",
                description = "The label of a normal row (default: ${DEFAULT-VALUE}).")
        String normal;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "0",
                description = "Epochs (default: about 800 optimizer steps per partition).")
        int epochs;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
                description = "Recon's threads per task (default: spark.task.cpus).")
        int threads;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--threshold", paramLabel = "POLICY", defaultValue = "val-quantile:0.995",
                description = "Threshold policy (default: ${DEFAULT-VALUE}).")
        String threshold;

        @Mixin
        SessionOptions session;

        @Override
        public Integer call() throws IOException {
            SparkSession spark = session.session("recon spark train");
            try {
                Dataset<Row> df = session.read(spark);
                Path dir = new Path(out);
                FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
                if (fs.exists(dir)) {
                    throw new IllegalArgumentException("--out " + out + ": exists; choose a new folder");
                }
                List<String> cols = features != null ? features : numericColumns(df, label);
                Recon est = new Recon().setInputCols(cols.toArray(new String[0])).setDetector(detector).setEpochs(epochs)
                        .setThreads(threads)
                        .setSeed(seed).setThreshold(threshold).setNormalValue(normal);
                if (label != null) {
                    est.setLabelCol(label);
                }
                PrintWriter err = session.err();
                Recon.Trained t = est.train(df, session.data, line -> err.println("recon spark train: " + line));
                Bundle b = t.model().bundle();
                fs.mkdirs(dir);
                try (OutputStream o = fs.create(new Path(dir, BundleFormat.FILE_NAME), false)) {
                    o.write(BundleFormat.encode(b));
                }
                t.model().write().save(new Path(dir, "spark-model").toString());
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("model", new Path(dir, BundleFormat.FILE_NAME).toString());
                summary.put("rows", b.data().rows());
                summary.put("partitions", t.partitions());
                summary.put("epochs", b.state().epochsDone());
                summary.put("seconds", t.seconds());
                summary.put("stop", b.stopReason());
                summary.put("detector", b.detector().id());
                summary.put("threshold", b.threshold());
                if (!b.metrics().isEmpty()) {
                    summary.put("test", b.metrics());
                }
                session.out().println(new com.fasterxml.jackson.databind.ObjectMapper()
                        .writeValueAsString(summary));
                return 0;
            } finally {
                session.stop(spark);
            }
        }
    }

    /** Every numeric column but the label: what a CSV of features and a class column holds. */
    static List<String> numericColumns(Dataset<Row> df, String label) {
        List<String> cols = new ArrayList<>();
        for (StructField f : df.schema().fields()) {
            if (f.dataType() instanceof NumericType && !f.name().equals(label)) {
                cols.add(f.name());
            }
        }
        if (cols.isEmpty()) {
            throw new IllegalArgumentException("no numeric column to train on");
        }
        return cols;
    }
}
