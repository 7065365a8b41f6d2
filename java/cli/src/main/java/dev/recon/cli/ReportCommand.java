package dev.recon.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recon report}: the HTML report for any bundle and labelled data. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write DIR/report.html for a model on labelled data: the data, the training history, error "
                + "histograms, ROC and precision-recall curves, confusion matrices, the top flagged rows, the latent "
                + "space, and an Isolation Forest baseline."})
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "BUNDLE", required = true, description = "Model bundle, or a run folder holding model.recon.")
    Path model;

    @Option(names = "--data", paramLabel = "FILE", required = true, description = "Labelled CSV file (.csv or .csv.gz).")
    Path data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--split", paramLabel = "test|all",
            description = "As for evaluate: test on the training data, all on other data by default.")
    String split;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder for report.html.")
    Path out;

    @Mixin
    BaselineOption baseline;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        Map<String, Object> m = EvaluateCommand.evaluate(model, data, dataOptions, split, out, baseline.enabled(), "report");
        System.out.println("wrote " + m.get("report"));
        return ExitCodes.OK;
    }
}
