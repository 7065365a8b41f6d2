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

    @Option(names = "--no-label", description = "Read no label column, even one named Class, label, target, ...: "
            + "every column but the excluded ones is a feature.")
    boolean noLabel;

    @Option(names = "--exclude", paramLabel = "COL", split = ",",
            description = "Columns to ignore, e.g. identifiers (comma-separated).")
    List<String> exclude = new ArrayList<>();

    CsvOptions csv(boolean labelRequired) {
        checkNoLabel(labelRequired);
        return new CsvOptions(label, normal, anomaly, exclude, labelRequired, noLabel);
    }

    private void checkNoLabel(boolean labelRequired) {
        if (noLabel && (label != null || normal != null || anomaly != null)) {
            throw new IllegalArgumentException("--no-label cannot go with --label, --normal or --anomaly");
        }
        if (noLabel && labelRequired) {
            throw new IllegalArgumentException("--no-label: this command needs labels");
        }
    }

    /**
     * One line for stderr where Recon took a column as the label by its name alone (no --label),
     * else null: the user should know, and how to say otherwise.
     */
    String inferredLabelNote(dev.recon.data.Dataset ds, String command) {
        if (label != null || ds.labels() == null || ds.labels().column().equals(CsvOptions.DEFAULT_LABEL)) {
            return null;
        }
        return "recon " + command + ": took column " + ds.labels().column() + " as the label by its name (normal value "
                + ds.labels().normalValue() + "); pass --label NAME or --no-label to say otherwise";
    }

    /** Reading data for a model: its label column and normal value unless the user says otherwise. */
    CsvOptions csvFor(dev.recon.io.Bundle b, boolean labelRequired) {
        String l = label;
        String n = normal;
        String a = anomaly;
        checkNoLabel(labelRequired);
        if (b.labels() != null && !noLabel) {
            l = l != null ? l : b.labels().column();
            n = n != null ? n : b.labels().normalValue();
        }
        return new CsvOptions(l, n, a, exclude, labelRequired, noLabel);
    }
}
