package dev.recon.cli;

import java.nio.file.Path;
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
        EvaluateCommand.Evaluation e = EvaluateCommand.evaluate(in.model, in.data, dataOptions, in.split, out,
                baseline.enabled(), "report");
        System.out.println("wrote " + e.json().get("report"));
        return ExitCodes.OK;
    }
}
