package dev.recon.cli;

import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.pipeline.TrainOptions;
import dev.recon.report.ReportWriter;
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
    RunOptions run;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Bundle from = resume != null ? BundleFormat.read(resume) : null;
        TrainOptions opt = model.toOptions();
        if (from != null) {
            refuseConflicts(from);
        }
        if (from != null && model.threshold == null) {
            opt = opt.withThreshold(null);
        }
        Dataset ds = dataOptions.read(data, from, false);
        String note = dataOptions.inferredLabelNote(ds, "train");
        if (note != null && !run.common.quiet) {
            System.err.println(note);
        }
        return TrainRunner.run("train", ds, opt, from, out, run, ReportWriter.DEFAULT_TSNE_ROWS, System.out,
                System.err);
    }

    /**
     * A resumed run continues with the model's own architecture and settings: an option given
     * with another value would be silently ignored, so it is refused, named with both values.
     */
    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
    }

    private void refuseConflicts(Bundle b) {
        picocli.CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        java.util.List<String> conflicts = new java.util.ArrayList<>();
        java.util.function.BiConsumer<String, Object[]> check = (name, given) -> {
            if (pr.hasMatchedOption(name) && !java.util.Objects.equals(given[0], given[1])) {
                conflicts.add(name + " " + given[0] + " (the model's: " + given[1] + ")");
            }
        };
        String hidden = model.hidden == null ? null : model.hidden.stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.joining(","));
        String had = java.util.Arrays.stream(b.spec().hidden()).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining(","));
        check.accept("--hidden", new Object[] {hidden, had});
        check.accept("--latent", new Object[] {model.latent, b.spec().latent()});
        check.accept("--activation", new Object[] {model.activation.toLowerCase(java.util.Locale.ROOT),
            b.spec().hiddenActivation().toString().toLowerCase(java.util.Locale.ROOT)});
        check.accept("--loss", new Object[] {lower(model.loss), b.spec().loss().id()});
        check.accept("--output", new Object[] {lower(model.output), b.spec().output().id()});
        check.accept("--error", new Object[] {lower(model.error), b.errorLoss().id()});
        dev.recon.model.Vae vae = b.spec().vae();
        check.accept("--kind", new Object[] {lower(model.kind), vae == null ? "ae" : "vae"});
        check.accept("--beta", new Object[] {model.beta, vae == null ? null : vae.beta()});
        check.accept("--kl-warmup", new Object[] {model.klWarmup, vae == null ? null : vae.klWarmup()});
        check.accept("--score", new Object[] {lower(model.score), vae == null ? null : vae.score().id()});
        check.accept("--samples", new Object[] {model.samples, vae == null ? null : vae.samples()});
        check.accept("--batch", new Object[] {model.batch, b.config().batch()});
        check.accept("--lr", new Object[] {model.lr, b.config().lr()});
        check.accept("--patience", new Object[] {model.patience, b.config().patience()});
        check.accept("--seed", new Object[] {model.seed, b.config().seed()});
        check.accept("--init", new Object[] {lower(model.init), b.config().init().id()});
        check.accept("--detector", new Object[] {lower(model.detector), b.detector().id()});
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("--resume continues with the model's own settings; these differ: "
                    + String.join(", ", conflicts) + " (leave them out)");
        }
    }
}
