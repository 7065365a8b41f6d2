package dev.recon.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** A model and labelled data to judge it on: the inputs of evaluate and report. */
final class ModelDataOptions {
    @Option(names = "--model", paramLabel = "BUNDLE", required = true, description = "Model bundle, or a run folder holding model.recon.")
    Path model;

    @Option(names = "--data", paramLabel = "FILE", required = true, description = "Labelled CSV file (.csv or .csv.gz).")
    Path data;

    @Option(names = "--split", paramLabel = "test|all",
            description = "test: the training run's held-out test split (needs the training data); all: every row. "
                    + "Default: test on the training data, all on other data.")
    String split;
}
