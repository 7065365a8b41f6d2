package dev.recon.pipeline;

import dev.recon.ReconException;
import dev.recon.data.Dataset;
import java.util.List;

/** Lines up a data set's columns with the features a model was trained on, by name. */
public final class Features {
    private Features() {
    }

    /** The error for a data file that lacks {@code column}, one of the model's {@code wanted} features. */
    public static ReconException missing(String source, String column, List<String> wanted) {
        return ReconException.input(source + ": no column '" + column + "', which the model was trained on (the model "
                + "expects " + wanted.size() + " features: " + abbreviate(wanted) + ")");
    }

    /**
     * The columns of {@code header} to skip when reading only the model's {@code wanted}
     * features (labels, identifiers and other extras); fails, before any row is read, when one
     * of them is missing, with the same error whichever it is.
     */
    public static List<String> extras(String source, List<String> header, List<String> wanted) {
        List<String> absent = absent(header, wanted);
        if (!absent.isEmpty()) {
            throw missing(source, absent.get(0), wanted);
        }
        List<String> skip = new java.util.ArrayList<>(header);
        skip.removeAll(wanted);
        return skip;
    }

    /** The {@code wanted} columns that {@code header} lacks, in the order of {@code wanted}. */
    public static List<String> absent(List<String> header, List<String> wanted) {
        java.util.Set<String> have = new java.util.HashSet<>(header);
        return wanted.stream().filter(f -> !have.contains(f)).toList();
    }

    /** The raw values of {@code wanted} columns, in that order, (rows, wanted.size()). */
    public static float[] select(Dataset data, List<String> wanted) {
        List<String> have = data.featureNames();
        int[] src = new int[wanted.size()];
        boolean identity = have.size() == wanted.size();
        for (int j = 0; j < wanted.size(); j++) {
            src[j] = have.indexOf(wanted.get(j));
            if (src[j] < 0) {
                throw missing(data.source(), wanted.get(j), wanted);
            }
            identity &= src[j] == j;
        }
        if (identity) {
            return data.values();
        }
        int d = have.size();
        int w = wanted.size();
        float[] x = data.values();
        float[] out = new float[data.rows() * w];
        for (int r = 0; r < data.rows(); r++) {
            for (int j = 0; j < w; j++) {
                out[r * w + j] = x[r * d + src[j]];
            }
        }
        return out;
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 10 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 10)) + ", ...";
    }
}
