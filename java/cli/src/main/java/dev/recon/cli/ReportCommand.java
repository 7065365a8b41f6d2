package dev.recon.cli;

import dev.recon.ReconException;
import dev.recon.backend.Backends;
import dev.recon.data.CsvOptions;
import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.pipeline.Features;
import dev.recon.report.ReportInput;
import dev.recon.report.ReportWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    ReportOptions baseline;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        Bundle b = BundleFormat.read(in.model);
        if (DataFiles.isImages(in.data)) {
            return images(b);
        }
        List<String> header = CsvReader.header(in.data);
        String labelColumn = dataOptions.label != null ? dataOptions.label
                : b.labels() != null ? b.labels().column() : CsvOptions.DEFAULT_LABEL;
        if (!dataOptions.noLabel && header.contains(labelColumn)) {
            return labelled();
        }
        // no labels: as train does on unlabelled data, the errors of every row, read from the model's
        // columns alone (identifiers and other extras are skipped, as score skips them)
        List<String> skip = new ArrayList<>(header);
        skip.removeAll(b.featureNames());
        Dataset ds = CsvReader.read(in.data, CsvOptions.featuresOnly(skip));
        float[] raw = Features.select(ds, b.featureNames());
        Dataset mine = new Dataset(ds.source(), b.featureNames(), raw, ds.rows(), null, null, ds.synthetic());
        return unlabelled(b, mine);
    }

    /** Labelled data: the report evaluate writes. */
    private Integer labelled() {
        EvaluateCommand.Evaluation e = EvaluateCommand.evaluate(in.model, in.data, dataOptions, in.split, out,
                baseline.options(ReportWriter.DEFAULT_TSNE_ROWS), "report");
        System.out.println("wrote " + e.json().get("report"));
        return ExitCodes.OK;
    }

    /** Every row's error, without labels, as train reports unlabelled data. */
    private Integer unlabelled(Bundle b, Dataset mine) {
        Path dir = TrainRunner.runDir(out);
        ReportInput ri = TrainRunner.unlabelledReport("report", mine, b, Backends.defaultThreads(), null, null);
        ReportWriter.Written w = ReportWriter.write(dir, ri, new ReportWriter.Options(false, baseline.options(ReportWriter.DEFAULT_TSNE_ROWS).tsneRows()), Json::compact);
        if (w.notWritten() != null) {
            throw new ReconException("no " + ReportWriter.FILE_NAME + ": " + w.notWritten(),
                    false);
        }
        System.out.println("wrote " + dir.resolve(ReportWriter.FILE_NAME));
        return ExitCodes.OK;
    }

    /** Images: labelled where --labels or --normal-class say so (as evaluate), else every image's error. */
    private Integer images(Bundle b) {
        if (dataOptions.labels == null && dataOptions.normalClass == null) {
            Dataset ds = DataFiles.images(in.data, null, null);
            Features.select(ds, b.featureNames());
            return unlabelled(b, ds);
        }
        return labelled();
    }
}

