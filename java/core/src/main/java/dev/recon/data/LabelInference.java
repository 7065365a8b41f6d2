package dev.recon.data;

import dev.recon.ReconException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The label policy, apart from the tokenizer: which column is the label when none is named,
 * and, for one file, the distinct label values in order of appearance (compared as numbers
 * where they are numbers, so "1" and "1.0" are one value), which of them is normal, and the
 * errors for a third value.
 */
final class LabelInference {
    /** Column names that mean "label", compared without case (besides the default, Class). */
    static final List<String> LABEL_NAMES = List.of("class", "label", "is_anomaly", "anomaly", "fraud", "outlier",
            "target");

    /** The first column named like a label and not excluded, or -1. */
    static int column(List<String> header, List<String> excluded) {
        for (int c = 0; c < header.size(); c++) {
            if (LABEL_NAMES.contains(header.get(c).trim().toLowerCase(Locale.ROOT)) && !excluded.contains(header.get(c))) {
                return c;
            }
        }
        return -1;
    }

    final List<String> values = new ArrayList<>(3);
    final String normal;
    final String anomaly;
    /** The column's name where Recon took it as the label by its name alone, else null. */
    final String inferredFrom;

    LabelInference(CsvOptions opt, String inferredFrom) {
        normal = opt.normalValue() == null ? null : canonical(opt.normalValue().trim());
        anomaly = opt.anomalyValue() == null ? null : canonical(opt.anomalyValue().trim());
        this.inferredFrom = inferredFrom;
    }

    byte id(String raw, java.util.function.Supplier<ReconException> third) {
        String v = canonical(raw);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).equals(v)) {
                return (byte) i;
            }
        }
        boolean allowed = values.size() < 2
                && (anomaly == null || v.equals(anomaly) || v.equals(normal != null ? normal : "0"));
        if (!allowed) {
            throw third.get();
        }
        values.add(v);
        return (byte) (values.size() - 1);
    }

    String thirdValue(String raw) {
        if (inferredFrom != null) {
            return "column " + inferredFrom + " was taken as the label by its name, but holds a third value "
                    + CsvReader.quote(raw) + " (seen: " + String.join(", ", values) + "); pass --no-label if it is a feature, "
                    + "or --label NAME";
        }
        return "label value " + CsvReader.quote(raw) + " is neither the normal value nor the anomaly value (seen: "
                + String.join(", ", values) + "); rows must carry exactly two label values"
                + (anomaly == null ? ": say which with --normal and --anomaly" : "");
    }

    /** Label values that mean "normal" in common anomaly data sets, compared without case. */
    static final java.util.List<String> NORMAL_WORDS = java.util.List.of("normal", "nominal", "n", "no", "false",
            "inlier", "benign", "legitimate", "negative", "ok", "good");

    /**
     * The normal value: --normal; else 0 where it occurs; else a word that means normal; else
     * the more frequent value (anomalies are the minority in anomaly detection).
     */
    Dataset.Labels resolve(String file, String column, int[] counts) {
        final String n;
        if (normal != null) {
            n = normal;
        } else if (values.contains("0")) {
            n = "0";
        } else {
            String word = values.stream().filter(v -> NORMAL_WORDS.contains(v.toLowerCase(Locale.ROOT))).findFirst()
                    .orElse(null);
            if (word != null) {
                n = word;
            } else {
                int most = 0;
                for (int i = 1; i < counts.length; i++) {
                    if (counts[i] > counts[most]) {
                        most = i;
                    }
                }
                if (counts.length == 2 && counts[0] == counts[1]) {
                    throw ReconException.input(file + ": label column " + column + " has values "
                            + String.join(", ", values) + " equally often and none is 0: say which is normal with --normal");
                }
                n = values.get(most);
            }
        }
        if (!values.contains(n)) {
            throw ReconException.input(file + ": the normal value " + CsvReader.quote(n) + " never occurs in label column "
                    + column + " (values: " + String.join(", ", values) + ")");
        }
        String a = anomaly;
        if (a == null) {
            a = values.stream().filter(x -> !x.equals(n)).findFirst().orElse(n.equals("0") ? "1" : "anomaly");
        }
        return new Dataset.Labels(column, n, a);
    }

    /** Numbers in one spelling ("1.0" and "1" are the same label); other text as it is. */
    static String canonical(String s) {
        double v = DecimalParser.parse(s.getBytes(StandardCharsets.ISO_8859_1), 0, s.length());
        if (Double.isNaN(v) || s.chars().anyMatch(ch -> ch > 127)) {
            return s;
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
