package dev.recon.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recon report}: the HTML report for any bundle and data, labelled or not. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write DIR/report.html for a model on data: the data, the training history, error "
                + "histograms, ROC and precision-recall curves, confusion matrices, the top flagged rows, the latent "
                + "space, and an Isolation Forest baseline; on unlabelled data, what can be shown without labels "
                + "(the errors of every row against the threshold, the top rows, the latent space)."})
final class ReportCommand implements Callable<Integer> {
    @Mixin
    ModelDataOptions in;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder for report.html.")
    Path out;

    @Mixin
    BaselineOption baseline;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        dev.recon.io.Bundle b = dev.recon.io.BundleFormat.read(in.model);
        java.util.List<String> header = dev.recon.data.CsvReader.header(in.data);
        String labelColumn = dataOptions.label != null ? dataOptions.label
                : b.labels() != null ? b.labels().column() : dev.recon.data.CsvOptions.DEFAULT_LABEL;
        if (!dataOptions.noLabel && header.contains(labelColumn)) {
            EvaluateCommand.Evaluation e = EvaluateCommand.evaluate(in.model, in.data, dataOptions, in.split, out,
                    baseline.enabled(), "report");
            System.out.println("wrote " + e.json().get("report"));
            return ExitCodes.OK;
        }
        // no labels: as train does on unlabelled data, the errors of every row, read from the model's
        // columns alone (identifiers and other extras are skipped, as score skips them)
        java.util.List<String> skip = new java.util.ArrayList<>(header);
        skip.removeAll(b.featureNames());
        dev.recon.data.Dataset ds = dev.recon.data.CsvReader.read(in.data, dev.recon.data.CsvOptions.featuresOnly(skip));
        float[] raw = dev.recon.pipeline.Features.select(ds, b.featureNames());
        dev.recon.data.Dataset mine = new dev.recon.data.Dataset(ds.source(), b.featureNames(), raw, ds.rows(), null, null,
                ds.synthetic());
        double[] errors;
        try (dev.recon.backend.cpu.CpuBackend cpu = new dev.recon.backend.cpu.CpuBackend(
                dev.recon.backend.Backends.defaultThreads())) {
            errors = dev.recon.score.Detector.of(b, cpu).errors(raw, ds.rows());
        }
        java.nio.file.Path dir = TrainRunner.runDir(out);
        dev.recon.report.ReportInput ri = new dev.recon.report.ReportInput("report", mine, b, mine.allRows(), errors,
                null, null, "all", null, null, null, null);
        dev.recon.report.ReportWriter.Written w = dev.recon.report.ReportWriter.write(dir, ri, false, Json::compact);
        if (w.notWritten() != null) {
            throw new dev.recon.ReconException("no " + dev.recon.report.ReportWriter.FILE_NAME + ": " + w.notWritten(),
                    false);
        }
        System.out.println("wrote " + dir.resolve(dev.recon.report.ReportWriter.FILE_NAME));
        return ExitCodes.OK;
    }
}
