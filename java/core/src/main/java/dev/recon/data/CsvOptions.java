package dev.recon.data;

import java.util.List;

/**
 * How to read a CSV file.
 *
 * @param label        the label column; null means {@link #DEFAULT_LABEL} where the file has it
 * @param normalValue  the label value of normal rows; null means {@code 0} where it occurs
 * @param anomalyValue the label value of anomalies; null means the one other value present
 * @param exclude      columns to skip entirely (identifiers, timestamps as text, ...)
 * @param labelRequired fail when the file has no label column
 * @param unlabelled    read no label column at all, even where the file has one (scoring)
 */
public record CsvOptions(String label, String normalValue, String anomalyValue, List<String> exclude,
                         boolean labelRequired, boolean unlabelled) {
    public static final String DEFAULT_LABEL = "Class";

    public CsvOptions {
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    public CsvOptions(String label, String normalValue, String anomalyValue, List<String> exclude,
                      boolean labelRequired) {
        this(label, normalValue, anomalyValue, exclude, labelRequired, false);
    }

    public static CsvOptions defaults() {
        return new CsvOptions(null, null, null, List.of(), false);
    }

    /** Only features: no label column, these columns skipped. */
    public static CsvOptions featuresOnly(List<String> exclude) {
        return new CsvOptions(null, null, null, exclude, false, true);
    }

    /** The label column to look for, and whether the user named it. */
    public String labelColumn() {
        return label != null ? label : DEFAULT_LABEL;
    }
}
