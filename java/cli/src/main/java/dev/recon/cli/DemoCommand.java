package dev.recon.cli;

import dev.recon.data.CsvOptions;
import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.data.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code recon demo}: the flagship run on the credit-card fraud data, found in a fixed order;
 * synthetic data of the same shape, loudly labelled, where there is none.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train on the credit-card fraud data with the reference settings, evaluate and write the "
                + "run folder.",
                "Data, first found: --data FILE; data/creditcard.csv; data/creditcard.csv.gz; "
                        + "../shared/data/creditcard/creditcard.csv.gz. With none of them, seeded synthetic data of "
                        + "the same shape, labelled SYNTHETIC everywhere."})
final class DemoCommand implements Callable<Integer> {
    static final int SYNTHETIC_ROWS = 284_807;
    static final int SYNTHETIC_ANOMALIES = 492;

    @Option(names = "--data", paramLabel = "FILE", description = "Credit-card CSV to use instead of the search order.")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/<timestamp>).")
    Path out;

    @Mixin
    ModelOptions model;

    @Mixin
    RunOptions run;

    /** Where the demo looks for the credit-card file, in order, relative to the repository root. */
    static List<Path> searchOrder(Path home) {
        return List.of(home.resolve("data/creditcard.csv"), home.resolve("data/creditcard.csv.gz"),
                home.resolve("../shared/data/creditcard/creditcard.csv.gz").normalize());
    }

    static Path home() {
        String h = System.getProperty("recon.home");
        return Path.of(h != null ? h : ".").toAbsolutePath().normalize();
    }

    /** The path as a user would type it from here. */
    static Path relative(Path p) {
        try {
            return Path.of("").toAbsolutePath().relativize(p);
        } catch (IllegalArgumentException e) {
            return p;
        }
    }

    @Override
    public Integer call() {
        Dataset ds;
        Path file = data;
        if (file == null) {
            file = searchOrder(home()).stream().filter(Files::isRegularFile).findFirst().map(DemoCommand::relative)
                    .orElse(null);
        }
        if (file != null) {
            ds = CsvReader.read(file, new CsvOptions(null, null, null, List.of(), true));
        } else {
            System.err.println("recon demo: NO CREDIT-CARD DATA FOUND; running on SYNTHETIC data of the same shape.");
            System.err.println("  Looked for: " + searchOrder(home()));
            System.err.println("  Get the real file (creditcard.csv, 284,807 rows) from Kaggle's 'creditcardfraud' "
                    + "data set (ULB Machine Learning Group, ODbL) and put it at data/creditcard.csv.");
            ds = SyntheticData.creditCardShape(SYNTHETIC_ROWS, SYNTHETIC_ANOMALIES, model.seed);
        }
        return TrainRunner.run("demo", ds, model.toOptions(), null, out, run, 0, System.out,
                System.err);
    }
}
