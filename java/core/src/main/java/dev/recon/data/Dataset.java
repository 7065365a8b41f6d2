package dev.recon.data;

import java.util.Arrays;
import java.util.List;

/**
 * Numeric records in one row-major float array, (rows, features), with optional labels
 * (true = anomaly). Row r is the r-th data row of its source (blank lines skipped), which is
 * how messages and score output name it.
 */
public final class Dataset {
    private final String source;
    private final List<String> featureNames;
    private final float[] x;
    private final int rows;
    private final boolean[] anomaly;
    private final Labels labels;
    private final boolean synthetic;
    private ImageShape image;

    /**
     * @param anomaly null when the data has no label column
     * @param labels  the label column and its two values, null without labels
     */
    public Dataset(String source, List<String> featureNames, float[] x, int rows, boolean[] anomaly, Labels labels,
                   boolean synthetic) {
        this.source = source;
        this.featureNames = List.copyOf(featureNames);
        this.x = x;
        this.rows = rows;
        this.anomaly = anomaly;
        this.labels = labels;
        this.synthetic = synthetic;
        if ((long) rows * featureNames.size() > x.length) {
            throw new IllegalArgumentException("data array too small for " + rows + " rows");
        }
        if (anomaly != null && anomaly.length < rows) {
            throw new IllegalArgumentException("label array too small for " + rows + " rows");
        }
    }

    /** The same rows as images of {@code shape}: one feature per pixel and channel, values in [0, 1]. */
    public Dataset withImage(ImageShape shape) {
        if (shape.pixels() != features()) {
            throw new IllegalArgumentException(shape + " does not hold " + features() + " features");
        }
        Dataset d = new Dataset(source, featureNames, x, rows, anomaly, labels, synthetic);
        d.image = shape;
        return d;
    }

    /** The image shape where the rows are images, else null (tabular data). */
    public ImageShape image() {
        return image;
    }

    /** The label column: its name and the values that mean normal and anomalous. */
    public record Labels(String column, String normalValue, String anomalyValue) {
    }

    public String source() {
        return source;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public int features() {
        return featureNames.size();
    }

    public int rows() {
        return rows;
    }

    /** The values, (rows, features) row-major; do not modify. */
    public float[] values() {
        return x;
    }

    public float get(int row, int col) {
        return x[row * features() + col];
    }

    public boolean hasLabels() {
        return anomaly != null;
    }

    public Labels labels() {
        return labels;
    }

    public boolean isAnomaly(int row) {
        return anomaly[row];
    }

    public int anomalies() {
        int n = 0;
        if (anomaly != null) {
            for (int i = 0; i < rows; i++) {
                n += anomaly[i] ? 1 : 0;
            }
        }
        return n;
    }

    /** True for seeded synthetic data: every output that shows it says so. */
    public boolean synthetic() {
        return synthetic;
    }

    /** The given rows, in that order, as a (idx.length, features) array. */
    public float[] gather(int[] idx) {
        int d = features();
        float[] out = new float[idx.length * d];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(x, idx[i] * d, out, i * d, d);
        }
        return out;
    }

    /** Labels of the given rows (true = anomaly). */
    public boolean[] gatherLabels(int[] idx) {
        boolean[] out = new boolean[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = anomaly[idx[i]];
        }
        return out;
    }

    /** Row indices of all rows. */
    public int[] allRows() {
        int[] idx = new int[rows];
        Arrays.setAll(idx, i -> i);
        return idx;
    }
}
