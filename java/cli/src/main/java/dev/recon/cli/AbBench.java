package dev.recon.cli;

import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Dataset;
import dev.recon.data.StandardScaler;
import dev.recon.data.SyntheticData;
import dev.recon.eval.ThresholdPolicy;
import dev.recon.io.Bundle;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Loss;
import dev.recon.score.Detector;
import dev.recon.train.TrainConfig;
import dev.recon.train.TrainListener;
import dev.recon.train.Trainer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Two builds of Recon measured against each other in one JVM: each jar in a class loader of its
 * own, passes in alternation (A B, B A, ...), so that both see the same host. On a shared machine
 * whose speed drifts by 2x within minutes, separate runs do not compare; this is how changes to
 * the CPU backend are measured ({@code bench/ab-jars.sh}). Each jar supplies its own passes
 * ({@link EpochPass}, {@link ScorePass}), so the runner never compiles against another build's
 * internals; both jars must be from a build that has this class.
 */
public final class AbBench {
    /** What one comparison measured: samples/s per pass for A and B, in the order run. */
    record Result(double[] a, double[] b) {
        double medianRatio() {
            double[] r = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = b[i] / a[i];
            }
            return median(r);
        }
    }

    private AbBench() {
    }

    /** Usage: {@code java --add-modules jdk.incubator.vector -cp recon.jar dev.recon.cli.AbBench A.jar B.jar [epoch|score] [batch] [pairs] [threads] [rows]}. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: AbBench A.jar B.jar [epoch|score (epoch)] [batch (4096)] [pairs (16)] "
                    + "[threads (all cores)] [rows (227000)]");
            System.exit(ExitCodes.BAD_INPUT);
        }
        String pass = args.length > 2 ? args[2] : "epoch";
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 4096;
        int pairs = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : Runtime.getRuntime().availableProcessors();
        int rows = args.length > 6 ? Integer.parseInt(args[6]) : 227_000;
        Result r = run(Path.of(args[0]), Path.of(args[1]), pass, batch, pairs, threads, rows);
        for (int i = 0; i < 2; i++) {
            double[] s = (i == 0 ? r.a() : r.b()).clone();
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "%s: best pass %,.0f samples/s, median %,.0f%n", i == 0 ? "A" : "B",
                    s[pairs - 1], median(s));
        }
        double[] ratio = new double[pairs];
        for (int k = 0; k < pairs; k++) {
            ratio[k] = r.b()[k] / r.a()[k];
        }
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "B / A per pair: median %.3f (min %.3f, max %.3f), %s passes, batch %d, "
                + "%d threads, %d pairs%n", r.medianRatio(), ratio[0], ratio[pairs - 1], pass, batch, threads, pairs);
        System.exit(0);
    }

    static Result run(Path jarA, Path jarB, String pass, int batch, int pairs, int threads, int rows) throws Exception {
        String name = switch (pass) {
            case "epoch" -> EpochPass.class.getName();
            case "score" -> ScorePass.class.getName();
            default -> throw new IllegalArgumentException("pass: expected epoch or score, got '" + pass + "'");
        };
        DoubleSupplier[] v = new DoubleSupplier[2];
        Path[] jars = {jarA, jarB};
        for (int i = 0; i < 2; i++) {
            if (!Files.isRegularFile(jars[i])) {
                throw new IllegalArgumentException(jars[i] + ": no such jar");
            }
            URL[] path = {jars[i].toUri().toURL()};
            ClassLoader cl = new URLClassLoader(path, ClassLoader.getPlatformClassLoader());
            v[i] = (DoubleSupplier) cl.loadClass(name).getConstructor(int.class, int.class, int.class)
                    .newInstance(batch, threads, rows);
        }
        for (int w = 0; w < 3; w++) { // the JIT compiler settles on both before anything counts
            v[0].getAsDouble();
            v[1].getAsDouble();
        }
        double[][] r = new double[2][pairs];
        for (int k = 0; k < pairs; k++) {
            for (int i = 0; i < 2; i++) {
                int j = k % 2 == 0 ? i : 1 - i;
                r[j][k] = v[j].getAsDouble();
            }
        }
        return new Result(r[0], r[1]);
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** {@code recon bench}'s data: credit-card-shaped rows, scaled, plus 2,048 validation rows. */
    private static float[] scaledRows(int rows) {
        Dataset data = SyntheticData.creditCardShape(rows + 2048, Math.max(1, rows / 500), 7);
        return StandardScaler.fit(data, data.allRows()).transform(data.values(), data.rows());
    }

    /** One training epoch of the default autoencoder per call; returns samples/s. */
    public static final class EpochPass implements DoubleSupplier {
        private final Trainer trainer;
        private final float[] train;
        private final float[] val;
        private final int rows;

        public EpochPass(int batch, int threads, int rows) {
            float[] all = scaledRows(rows);
            this.rows = rows;
            train = Arrays.copyOf(all, rows * 30);
            val = Arrays.copyOfRange(all, rows * 30, (rows + 2048) * 30);
            AutoencoderSpec spec = AutoencoderSpec.defaults(30, null, null, Activation.RELU, Loss.MSE);
            trainer = new Trainer(new CpuBackend(threads), spec, new TrainConfig(1, batch, 1e-3f, 0, 1));
        }

        @Override
        public double getAsDouble() {
            long t0 = System.nanoTime();
            trainer.train(train, rows, val, 2048, trainer.initialState(), TrainListener.NONE);
            return rows / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * One scoring pass per call through the public {@link Detector} (scaler included), as
     * {@code recon bench} times it; returns samples/s. The batch is unused.
     */
    public static final class ScorePass implements DoubleSupplier {
        private final Detector detector;
        private final float[] raw;
        private final int rows;

        public ScorePass(int batch, int threads, int rows) {
            this.rows = rows;
            Dataset data = SyntheticData.creditCardShape(rows, Math.max(1, rows / 500), 7);
            AutoencoderSpec spec = AutoencoderSpec.defaults(30, null, null, Activation.RELU, Loss.MSE);
            TrainConfig cfg = new TrainConfig(1, 256, 1e-3f, 0, 1);
            // one backend: the trainer only draws the initial weights, the detector scores on it
            CpuBackend be = new CpuBackend(threads);
            Trainer trainer = new Trainer(be, spec, cfg);
            Bundle b = new Bundle("ab", spec, data.featureNames(), null, StandardScaler.fit(data, data.allRows()),
                    Double.MAX_VALUE, ThresholdPolicy.DEFAULT, cfg,
                    new Bundle.DataInfo("ab", rows, 0, "", true, rows, 0, 0), trainer.initialState(), "", Map.of());
            detector = Detector.of(b, be);
            raw = data.values();
        }

        @Override
        public double getAsDouble() {
            long t0 = System.nanoTime();
            detector.errors(raw, rows);
            return rows / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
