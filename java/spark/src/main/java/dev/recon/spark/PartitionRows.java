package dev.recon.spark;

import dev.recon.Rng;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * One partition's rows for training, read once and cached: raw feature values (rows, d)
 * row-major, each row's role in the split, and its label where the data has one. The split is
 * the single-machine protocol row by row: an anomaly is a test row; a normal row is a test row
 * with probability 0.2 (labelled data only), else a validation row with probability 0.1, else
 * fitted, drawn from the seed, the partition and the row's place in it. {@code anomaly} is null
 * without a label column.
 */
record PartitionRows(int partition, int rows, int d, float[] x, byte[] role, boolean[] anomaly) implements Serializable {
    static final byte FIT = 0;
    static final byte VAL = 1;
    static final byte TEST = 2;

    /** How a label value reads: the normal value, or anything else (an anomaly). */
    record LabelRule(int column, String name, String normalValue) implements Serializable {
        boolean isAnomaly(Object v, int partition, int row) {
            if (v == null) {
                throw new IllegalArgumentException("label column '" + name + "' is null in row " + row + " of partition "
                        + partition + "; every training row needs its label");
            }
            if (v instanceof Number n) {
                try {
                    return n.doubleValue() != Double.parseDouble(normalValue);
                } catch (NumberFormatException e) {
                    return true;
                }
            }
            return !v.toString().equals(normalValue);
        }
    }

    static PartitionRows read(int partition, Iterator<Row> it, int[] columns, List<String> names, LabelRule label,
                              long seed) {
        int d = columns.length;
        float[] x = new float[1024 * d];
        byte[] role = new byte[1024];
        boolean[] anomaly = label == null ? null : new boolean[1024];
        Rng rng = Rng.derive(seed, 0x5_9A4CL + partition);
        int n = 0;
        while (it.hasNext()) {
            Row r = it.next();
            if (n == role.length) {
                x = Arrays.copyOf(x, 2 * x.length);
                role = Arrays.copyOf(role, 2 * role.length);
                anomaly = anomaly == null ? null : Arrays.copyOf(anomaly, 2 * anomaly.length);
            }
            for (int j = 0; j < d; j++) {
                Object o = r.get(columns[j]);
                float v = o instanceof Number num ? num.floatValue() : Float.NaN;
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("column '" + names.get(j) + "' holds " + o + " in row " + n
                            + " of partition " + partition + "; Recon trains on finite numbers only");
                }
                x[n * d + j] = v;
            }
            boolean isAnomaly = label != null && label.isAnomaly(r.get(label.column()), partition, n);
            if (anomaly != null) {
                anomaly[n] = isAnomaly;
            }
            double u = rng.nextDouble();
            double w = rng.nextDouble();
            role[n] = isAnomaly || (label != null && u < dev.recon.data.Split.TEST_FRACTION) ? TEST
                    : w < dev.recon.data.Split.VAL_FRACTION ? VAL : FIT;
            n++;
        }
        return new PartitionRows(partition, n, d, Arrays.copyOf(x, n * d), Arrays.copyOf(role, n),
                anomaly == null ? null : Arrays.copyOf(anomaly, n));
    }

    int count(byte r) {
        int c = 0;
        for (byte b : role) {
            c += b == r ? 1 : 0;
        }
        return c;
    }

    long anomalies() {
        long c = 0;
        if (anomaly != null) {
            for (boolean a : anomaly) {
                c += a ? 1 : 0;
            }
        }
        return c;
    }

    /** The raw rows of one role, (count, d) row-major. */
    float[] gather(byte r) {
        float[] out = new float[count(r) * d];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            if (role[i] == r) {
                System.arraycopy(x, i * d, out, k * d, d);
                k++;
            }
        }
        return out;
    }

    /** The labels of the test rows, in {@link #gather}'s order. */
    boolean[] testLabels() {
        boolean[] out = new boolean[count(TEST)];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            if (role[i] == TEST) {
                out[k++] = anomaly != null && anomaly[i];
            }
        }
        return out;
    }

    /** Column moments of the training normals (fitted and validation rows), for the scaler. */
    Moments moments() {
        Moments m = new Moments(d);
        for (int i = 0; i < rows; i++) {
            if (role[i] != TEST) {
                m.add(x, i * d);
            }
        }
        return m;
    }
}
