package dev.recon.cli;

import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.pipeline.TrainOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recon train}: train on the normal rows of a CSV file and write a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an autoencoder on the normal rows of a CSV file, choose the threshold, evaluate on "
                + "the held-out test split (when the data has labels) and write DIR/model.recon, "
                + "DIR/metrics.json and DIR/report.txt."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "FILE", required = true, description = "CSV file (.csv or .csv.gz) with a header row.")
    Path data;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/<timestamp>).")
    Path out;

    @Mixin
    ModelOptions model;

    @Option(names = "--resume", paramLabel = "BUNDLE",
            description = "Continue training this bundle (or run folder) on the same data up to --epochs in total.")
    Path resume;

    @Mixin
    DeviceOptions device;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of the tables.")
    boolean json;

    @Mixin
    BaselineOption baseline;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Bundle from = resume != null ? BundleFormat.read(resume) : null;
        TrainOptions opt = model.toOptions();
        if (from != null && model.threshold == null) {
            opt = opt.withThreshold(null);
        }
        Dataset ds = CsvReader.read(data, from != null ? dataOptions.csvFor(from, false) : dataOptions.csv(false));
        String note = dataOptions.inferredLabelNote(ds);
        if (note != null && !common.quiet) {
            System.err.println(note);
        }
        return TrainRunner.run("train", ds, opt, from, out, device, common, json, baseline.enabled(), System.out,
                System.err);
    }
}
