package dev.recon.cli;

import dev.recon.ReconException;
import dev.recon.Version;
import dev.recon.backend.Backend;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Dataset;
import dev.recon.io.AtomicFiles;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.model.ParameterLayout;
import dev.recon.pipeline.TrainJob;
import dev.recon.pipeline.TrainOptions;
import dev.recon.report.Numbers;
import dev.recon.report.ReportInput;
import dev.recon.report.ReportWriter;
import dev.recon.score.Detector;
import dev.recon.train.EpochStats;
import dev.recon.train.TrainListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a training job for {@code train} and {@code demo} and writes the run folder: the bundle
 * {@code model.recon}, {@code metrics.json} and the readable {@code report.txt}.
 */
final class TrainRunner {
    private TrainRunner() {
    }

    /** The run folder: the one asked for, else runs/&lt;timestamp&gt; (made unique). */
    static Path runDir(Path asked) {
        if (asked != null) {
            return asked;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path p = Path.of("runs", stamp);
        for (int i = 2; Files.exists(p); i++) {
            p = Path.of("runs", stamp + "-" + i);
        }
        return p;
    }

    static int run(String command, Dataset data, TrainOptions opt, Bundle resume, Path outDir, RunOptions run,
                   int defaultTsneRows, PrintStream out, PrintStream err) {
        CommonOptions common = run.common;
        DeviceOptions dev = run.device;
        boolean json = run.json;
        ReportWriter.Options reportOptions = run.report.options(defaultTsneRows);
        Path dir = runDir(outDir);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw ReconException.input("--out " + dir + ": exists and is not a folder");
        }
        if (data.labels() != null && 2L * data.anomalies() > data.rows() && !common.quiet) {
            // Recon trains on the normal rows: a majority of "anomalies" usually means the values are swapped
            err.printf(Locale.ROOT, "recon: warning: %s of %s rows (%.0f %%) carry the anomaly value %s of column %s; "
                    + "anomalies are the minority in anomaly detection: check --normal%n", Numbers.count(data.anomalies()),
                    Numbers.count(data.rows()), 100.0 * data.anomalies() / data.rows(), data.labels().anomalyValue(),
                    data.labels().column());
        }
        TrainJob.Outcome o;
        String device;
        int threads;
        try (Backend be = dev.open()) {
            device = be.name() + " (" + be.description() + (dev.note != null ? "; " + dev.note : "") + ")";
            threads = be.threads();
            TrainListener progress = ProgressListener.create(err, common.quiet);
            try {
                o = TrainJob.run(data, opt, be, progress, resume);
            } finally {
                ProgressListener.finish(progress);
            }
        }
        Path model = dir.resolve(BundleFormat.FILE_NAME);
        BundleFormat.write(o.bundle(), model);
        Map<String, Object> summary = summary(command, data, o, model, device, threads);
        long r0 = System.nanoTime();
        Double sps = meanSamplesPerSecond(o.bundle().state().history());
        ReportInput in;
        if (o.test() != null) {
            in = new ReportInput(command, data, o.bundle(), o.split().test(), o.testErrors(), o.testLabels(), o.test(),
                    "test", o.split().fit(), o.split().val(), device, sps);
        } else {
            in = unlabelledReport(command, data, o.bundle(), threads, device, sps);
        }
        ReportWriter.Written w = ReportWriter.write(dir, in, reportOptions, Json::compact);
        if (w.baseline() != null) {
            summary.put("baseline_iforest", w.baseline().metrics().toMap());
        }
        if (w.notWritten() != null) {
            System.err.println("recon: no " + ReportWriter.FILE_NAME + ": " + w.notWritten());
        }
        String reportNote = w.notWritten() != null ? "no report.html"
                : String.format(Locale.ROOT, "report.html in %.1f s", (System.nanoTime() - r0) / 1e9);
        Json.writeFile(dir.resolve("metrics.json"), summary);
        String report = report(command, data, o, device, dir);
        AtomicFiles.write(dir.resolve("report.txt"), report.getBytes(StandardCharsets.UTF_8));
        if (o.divergence() != null) {
            throw new ReconException(o.divergence() + "; kept the model of epoch " + o.bundle().state().epochsDone()
                    + " in " + model, false);
        }
        if (json) {
            out.println(Json.compact(summary));
        } else {
            out.print(report);
            out.println("wrote " + model + ", " + dir.resolve("metrics.json") + ", " + dir.resolve("report.txt")
                    + (w.notWritten() != null ? "" : ", " + dir.resolve(ReportWriter.FILE_NAME)) + " (" + reportNote + ")");
        }
        return ExitCodes.OK;
    }

    /**
     * The report's input for data without labels: the errors of every row (the report then shows
     * them against the threshold, the top rows and the latent space). {@code data} holds the
     * model's features, in its order.
     */
    static ReportInput unlabelledReport(String command, Dataset data, Bundle bundle, int threads, String device,
                                        Double samplesPerSecond) {
        double[] errors;
        try (CpuBackend cpu = new CpuBackend(threads); Detector det = Detector.of(bundle, cpu)) {
            errors = det.errors(data.values(), data.rows());
        }
        return new ReportInput(command, data, bundle, data.allRows(), errors, null, null, "all", null, null, device,
                samplesPerSecond);
    }

    static Map<String, Object> summary(String command, Dataset data, TrainJob.Outcome o, Path model, String device,
                                       int threads) {
        Bundle b = o.bundle();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recon_version", Version.get());
        m.put("command", command);
        m.put("synthetic", data.synthetic());
        m.put("model", model.toString());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", data.source());
        d.put("rows", data.rows());
        d.put("features", data.features());
        d.put("anomalies", data.hasLabels() ? data.anomalies() : null);
        d.put("label", data.labels() == null ? null : data.labels().column());
        d.put("fingerprint", b.data().fingerprint());
        m.put("data", d);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seed", b.config().seed());
        s.put("fit_rows", o.split().fit().length);
        s.put("val_rows", o.split().val().length);
        s.put("test_rows", o.split().test().length);
        m.put("split", s);
        m.put("architecture", b.spec().describe());
        m.put("parameters", new ParameterLayout(b.spec()).size());
        m.put("detector", BundleFormat.detector(b));
        m.put("bundle_bytes", bundleBytes(model));
        m.put("device", device);
        m.put("threads", threads);
        m.put("epochs", b.config().epochs());
        m.put("epochs_run", b.state().epochsDone());
        m.put("best_epoch", b.state().bestEpoch());
        m.put("best_val_loss", b.state().bestValLoss());
        m.put("stop_reason", b.stopReason());
        m.put("batch", b.config().batch());
        m.put("lr", b.config().lr());
        m.put("patience", b.config().patience());
        m.put("threshold_policy", b.policy().toString());
        double sec = o.result().seconds();
        m.put("train_seconds", Double.isFinite(sec) ? sec : null);
        m.put("train_samples_per_s", meanSamplesPerSecond(b.state().history()));
        if (o.test() != null) {
            m.putAll(o.test().toMap());
        } else {
            m.put("threshold", b.threshold());
        }
        List<Map<String, Object>> hist = new ArrayList<>();
        for (EpochStats e : b.state().history()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("epoch", e.epoch());
            h.put("train_loss", e.trainLoss());
            h.put("val_loss", e.valLoss());
            h.put("seconds", Double.isFinite(e.seconds()) ? e.seconds() : null);
            hist.add(h);
        }
        m.put("history", hist);
        return m;
    }

    private static Long bundleBytes(Path model) {
        try {
            return java.nio.file.Files.size(model);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** One line: what the score is, and what the bundle keeps. */
    static String describeDetector(Bundle b, Path model) {
        Long bytes = bundleBytes(model);
        String size = bytes == null ? "" : "bundle " + Numbers.bytes(bytes);
        if (b.knn() == null) {
            return "ae: " + errorName(b) + (size.isEmpty() ? "" : "; " + size);
        }
        return String.format(Locale.ROOT, "ae-knn: error / %s + d^2 / %s, d = distance to the %s nearest of %s training "
                + "normals (kept in the bundle, scaled%s)", Numbers.sci(b.knn().aeScale()), Numbers.sci(b.knn().knnScale()),
                ordinal(b.knn().k()), Numbers.count(b.knn().rows()), size.isEmpty() ? "" : "; " + size);
    }

    /** What a row's error is: the mean of the scoring loss, or a VAE's negative ELBO. */
    static String errorName(Bundle b) {
        if (b.spec().variational() && b.spec().vae().score() == dev.recon.model.Vae.Score.ELBO) {
            return "the negative ELBO (nats, " + b.spec().vae().samples() + " samples)";
        }
        String recon = b.spec().variational() ? "the decoded mean's " : "the ";
        return recon + "reconstruction error (mean " + b.errorLoss().id() + " over the features)";
    }

    private static String ordinal(int k) {
        return k + (k % 100 >= 11 && k % 100 <= 13 ? "th" : switch (k % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        });
    }

    private static Double meanSamplesPerSecond(List<EpochStats> history) {
        double samples = 0;
        double sec = 0;
        for (EpochStats e : history) {
            if (Double.isFinite(e.seconds())) {
                sec += e.seconds();
                samples += e.samplesPerSecond() * e.seconds();
            }
        }
        return sec > 0 ? samples / sec : null;
    }

    static String report(String command, Dataset data, TrainJob.Outcome o, String device, Path dir) {
        Bundle b = o.bundle();
        StringBuilder sb = new StringBuilder();
        if (data.synthetic()) {
            sb.append("*** SYNTHETIC DATA: these results say nothing about real transactions ***\n");
        }
        sb.append("recon ").append(command).append(" ").append(Version.get()).append('\n');
        sb.append(String.format(Locale.ROOT, "%-10s %s: %s rows, %d feature%s", "data", data.source(),
                Numbers.count(data.rows()), data.features(), data.features() == 1 ? "" : "s"));
        if (data.hasLabels()) {
            sb.append(String.format(Locale.ROOT, ", %s anomalies (label %s, normal %s)", Numbers.count(data.anomalies()),
                    data.labels().column(), data.labels().normalValue()));
        } else {
            sb.append(", no labels");
        }
        sb.append('\n');
        int testNormals = (int) (o.split().test().length - (data.hasLabels() ? data.anomalies() : 0));
        String test = data.hasLabels() ? String.format(Locale.ROOT, "test %s normal + %s anomalies", Numbers.count(testNormals),
                Numbers.count(data.anomalies())) : "no test split (no labels)";
        sb.append(String.format(Locale.ROOT, "%-10s fit %s, validation %s, %s (seed %d)%n", "split",
                Numbers.count(o.split().fit().length), Numbers.count(o.split().val().length), test, b.config().seed()));
        sb.append(String.format(Locale.ROOT, "%-10s %s, %s parameters%n", "model", b.spec().describe(),
                Numbers.count(new ParameterLayout(b.spec()).size())));
        Double sps = meanSamplesPerSecond(b.state().history());
        sb.append(String.format(Locale.ROOT, "%-10s %d epochs, batch %d, Adam lr %s, patience %d on %s%n", "training",
                b.state().epochsDone(), b.config().batch(), Float.toString(b.config().lr()), b.config().patience(),
                device));
        sb.append(String.format(Locale.ROOT, "%-10s %s; best epoch %d (validation loss %s)%s%n", "", b.stopReason(),
                b.state().bestEpoch(), Numbers.num(b.state().bestValLoss()),
                sps != null ? String.format(Locale.ROOT, "; %s samples/s", Numbers.count(Math.round(sps))) : ""));
        sb.append(String.format(Locale.ROOT, "%-10s %s%n", "detector", describeDetector(b, dir.resolve(BundleFormat.FILE_NAME))));
        sb.append(String.format(Locale.ROOT, "%-10s %s (%s); a row is an anomaly when its score is at or above it%n",
                "threshold", Numbers.sci(b.threshold()), b.policy()));
        sb.append('\n');
        if (o.test() != null) {
            sb.append(Text.metrics("test split", o.test(), b.policy().toString()));
            sb.append('\n');
        }
        sb.append("epoch   train loss   val loss\n");
        for (EpochStats e : b.state().history()) {
            sb.append(String.format(Locale.ROOT, "%5d   %10.6f   %8.6f%s%n", e.epoch(), e.trainLoss(), e.valLoss(),
                    e.epoch() == b.state().bestEpoch() ? "  <- best" : ""));
        }
        sb.append('\n');
        return sb.toString();
    }
}
