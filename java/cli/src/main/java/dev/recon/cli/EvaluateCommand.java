package dev.recon.cli;

import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.pipeline.EvaluateJob;
import dev.recon.report.ReportInput;
import dev.recon.report.ReportWriter;
import dev.recon.score.Detector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recon evaluate}: the metrics of a model on labelled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score labelled data with a model and print ROC-AUC, average precision, the best-F1 threshold, "
                + "and precision, recall, F1 and the confusion matrix at the model's threshold."})
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelDataOptions in;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for report.html (default: runs/<timestamp>).")
    Path out;

    @Mixin
    ReportOptions baseline;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of the table.")
    boolean json;

    @Mixin
    CommonOptions common;

    /** What evaluate found: the JSON object it prints, the model, and the scored rows. */
    record Evaluation(Map<String, Object> json, Bundle bundle, EvaluateJob.Result result) {
    }

    /** Evaluates, writes report.html into the run folder, and returns what was evaluated and the metrics JSON. */
    static Evaluation evaluate(Path model, Path data, DataOptions dataOptions, String split, Path out,
                                        ReportWriter.Options report, String command) {
        if (split != null && !split.equals("test") && !split.equals("all")) {
            throw new IllegalArgumentException("--split: expected test or all, got '" + split + "'");
        }
        Bundle b = BundleFormat.read(model);
        Dataset ds = dataOptions.read(data, b, true);
        EvaluateJob.Result r;
        try (Detector det = Detector.of(b, new dev.recon.backend.cpu.CpuBackend(dev.recon.backend.Backends.defaultThreads()))) {
            r = EvaluateJob.run(det, ds, split);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", BundleFormat.resolve(model).toString());
        m.put("data", ds.source());
        m.put("split", r.split());
        m.put("threshold_policy", b.policy().toString());
        m.putAll(r.report().toMap());
        // the training rows are known only on the training data (same fingerprint)
        boolean same = b.data().fingerprint().equals(dev.recon.data.Fingerprint.of(ds));
        dev.recon.data.Split sp = same ? dev.recon.data.Split.of(ds, b.config().seed()) : null;
        Path dir = TrainRunner.runDir(out);
        ReportInput in = new ReportInput(command, ds, b, r.rows(), r.errors(), r.labels(), r.report(), r.split(),
                sp == null ? null : sp.fit(), sp == null ? null : sp.val(), null, null);
        ReportWriter.Written w = ReportWriter.write(dir, in, report, Json::compact);
        if (w.baseline() != null) {
            m.put("baseline_iforest", w.baseline().metrics().toMap());
        }
        if (w.notWritten() != null) {
            System.err.println("recon: no " + ReportWriter.FILE_NAME + ": " + w.notWritten());
        } else {
            m.put("report", dir.resolve(ReportWriter.FILE_NAME).toString());
        }
        return new Evaluation(m, b, r);
    }

    @Override
    public Integer call() {
        Evaluation e = evaluate(in.model, in.data, dataOptions, in.split, out, baseline.options(ReportWriter.DEFAULT_TSNE_ROWS), "evaluate");
        Map<String, Object> m = e.json();
        Bundle b = e.bundle();
        EvaluateJob.Result r = e.result();
        if (json) {
            System.out.println(Json.compact(m));
        } else {
            if (b.data().synthetic()) {
                System.out.println("*** model trained on SYNTHETIC data ***");
            }
            System.out.println("model " + BundleFormat.resolve(in.model) + " (" + b.detector().id() + ": "
                    + b.spec().describe() + ")");
            System.out.print(Text.metrics(m.get("data") + ", split " + r.split(), r.report(), b.policy().toString()));
            System.out.println("wrote " + m.get("report"));
        }
        return ExitCodes.OK;
    }
}
