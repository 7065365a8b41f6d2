package dev.recon.cli;

import dev.recon.data.CsvOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How to read the CSV file: which column holds labels and what they mean. */
final class DataOptions {
    @Option(names = "--label", paramLabel = "COL",
            description = "Label column (default: Class, where the file has it; else the data is unlabelled).")
    String label;

    @Option(names = "--normal", paramLabel = "VALUE",
            description = "Label value of normal rows (default: 0; else a word meaning normal; else the most frequent value).")
    String normal;

    @Option(names = "--anomaly", paramLabel = "VALUE",
            description = "Label value of anomalies (default: the one other value in the column).")
    String anomaly;

    @Option(names = "--exclude", paramLabel = "COL", split = ",",
            description = "Columns to ignore, e.g. identifiers (comma-separated).")
    List<String> exclude = new ArrayList<>();

    CsvOptions csv(boolean labelRequired) {
        return new CsvOptions(label, normal, anomaly, exclude, labelRequired);
    }

    /** Reading data for a model: its label column and normal value unless the user says otherwise. */
    CsvOptions csvFor(dev.recon.io.Bundle b, boolean labelRequired) {
        String l = label;
        String n = normal;
        String a = anomaly;
        if (b.labels() != null) {
            l = l != null ? l : b.labels().column();
            n = n != null ? n : b.labels().normalValue();
        }
        return new CsvOptions(l, n, a, exclude, labelRequired);
    }
}
