package dev.recon.cli;

import dev.recon.ReconException;
import dev.recon.data.CsvOptions;
import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.io.Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How to read the data: a CSV file (which column holds labels and what they mean), IDX images
 * with their label file, or a folder of PNG images with a subfolder per class.
 */
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

    @Option(names = "--labels", paramLabel = "FILE",
            description = "For IDX images: the IDX label file, with --normal-class.")
    Path labels;

    @Option(names = "--normal-class", paramLabel = "CLASS",
            description = "For images: the normal class (a label number of --labels, or a subfolder of a PNG folder); "
                    + "every other class is an anomaly.")
    String normalClass;

    /**
     * The data at {@code data}: a folder of PNGs, an IDX image file, or CSV; for a model's data
     * (model not null) its label column and normal value or class unless the user says otherwise.
     */
    Dataset read(Path data, Bundle model, boolean labelRequired) {
        if (!DataFiles.isImages(data)) {
            if (labels != null || normalClass != null) {
                throw new IllegalArgumentException((labels != null ? "--labels" : "--normal-class") + " is for image "
                        + "data (IDX files or a folder of PNGs); for a CSV file use --label COLUMN and --normal VALUE");
            }
            return CsvReader.read(data, model != null ? csvFor(model, labelRequired) : csv(labelRequired));
        }
        String normal = normalClass;
        if (normal == null && model != null && model.labels() != null && (labels != null || Files.isDirectory(data))) {
            normal = model.labels().normalValue();
        }
        Dataset ds = DataFiles.images(data, labels, normal);
        if (labelRequired && !ds.hasLabels()) {
            throw ReconException.input(data + ": this command needs labels: pass --labels FILE --normal-class CLASS for "
                    + "IDX images, or --normal-class SUBFOLDER for a folder of PNGs");
        }
        return ds;
    }

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
    String inferredLabelNote(Dataset ds, String command) {
        if (label != null || ds.labels() == null || ds.labels().column().equals(CsvOptions.DEFAULT_LABEL)) {
            return null;
        }
        return "recon " + command + ": took column " + ds.labels().column() + " as the label by its name (normal value "
                + ds.labels().normalValue() + "); pass --label NAME or --no-label to say otherwise";
    }

    /** Reading data for a model: its label column and normal value unless the user says otherwise. */
    CsvOptions csvFor(Bundle b, boolean labelRequired) {
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
