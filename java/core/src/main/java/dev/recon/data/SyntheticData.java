package dev.recon.data;

import dev.recon.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Seeded synthetic anomaly data. Normal rows lie near a curved low-dimensional manifold
 * (a random linear map of a few latent factors, plus a smooth nonlinearity and small noise),
 * which an autoencoder can learn; anomalies leave it, either along random directions or by
 * breaking a few features' relation to the others. Labels: 0 normal, 1 anomaly.
 */
public final class SyntheticData {
    private SyntheticData() {
    }

    /** Column names of the credit-card file: Time, V1..V28, Amount. */
    public static List<String> creditCardNames() {
        List<String> names = new ArrayList<>();
        names.add("Time");
        for (int i = 1; i <= 28; i++) {
            names.add("V" + i);
        }
        names.add("Amount");
        return names;
    }

    /** Data shaped like the credit-card file: 30 features, label column Class. */
    public static Dataset creditCardShape(int rows, int anomalies, long seed) {
        return generate(creditCardNames(), rows, anomalies, seed, "synthetic credit-card-shaped data (seed " + seed + ")");
    }

    public static Dataset generate(int features, int rows, int anomalies, long seed) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= features; i++) {
            names.add("f" + i);
        }
        return generate(names, rows, anomalies, seed, "synthetic data (seed " + seed + ")");
    }

    /**
     * Seeded images with pixels in [0, 1]: normal ones (class 0) a fixed stripe pattern, every third
     * pixel bright, with a little noise; every {@code anomalyEvery}-th row (from row 0) uniform noise
     * (any other class).
     */
    public static Dataset images(ImageShape shape, int rows, int anomalyEvery, long seed) {
        int d = shape.pixels();
        Rng rng = new Rng(seed);
        float[] x = new float[rows * d];
        boolean[] anomaly = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            anomaly[r] = r % anomalyEvery == 0;
            for (int j = 0; j < d; j++) {
                double v = anomaly[r] ? rng.nextDouble() : (j % 3 == 0 ? 0.9 : 0.1) + 0.05 * rng.nextGaussian();
                x[r * d + j] = (float) Math.min(1, Math.max(0, v));
            }
        }
        return new Dataset("synthetic images (seed " + seed + ")", shape.featureNames(), x, rows, anomaly,
                new Dataset.Labels("class", "0", "any other class"), false).withImage(shape);
    }

    private static Dataset generate(List<String> names, int rows, int anomalies, long seed, String source) {
        int d = names.size();
        if (anomalies < 0 || anomalies > rows) {
            throw new IllegalArgumentException("anomalies must be in [0, rows]");
        }
        int k = Math.max(1, Math.min(6, d / 3));
        Rng rng = new Rng(seed);
        double[][] map = new double[d][k];
        double[] bend = new double[d];
        double[] offset = new double[d];
        double[] spread = new double[d];
        for (int j = 0; j < d; j++) {
            for (int c = 0; c < k; c++) {
                map[j][c] = rng.nextGaussian() / Math.sqrt(k);
            }
            bend[j] = 0.5 * rng.nextGaussian();
            offset[j] = 3 * rng.nextGaussian();
            spread[j] = 0.5 + 2 * rng.nextDouble();
        }
        // anomalies sit at random positions among the rows
        boolean[] anomaly = new boolean[rows];
        int placed = 0;
        while (placed < anomalies) {
            int r = rng.nextInt(rows);
            if (!anomaly[r]) {
                anomaly[r] = true;
                placed++;
            }
        }
        float[] x = new float[rows * d];
        double[] z = new double[k];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < k; c++) {
                z[c] = rng.nextGaussian();
            }
            int kind = anomaly[r] ? rng.nextInt(2) : -1;
            int broken = kind == 1 ? rng.nextInt(d) : -1;
            for (int j = 0; j < d; j++) {
                double v = 0;
                for (int c = 0; c < k; c++) {
                    v += map[j][c] * z[c];
                }
                v += bend[j] * Math.sin(2 * z[0]) + 0.05 * rng.nextGaussian();
                if (kind == 0) {
                    v += 1.2 * rng.nextGaussian();
                } else if (kind == 1 && (j == broken || j == (broken + 1) % d)) {
                    v = -v + (rng.nextDouble() < 0.5 ? 2.5 : -2.5);
                }
                x[r * d + j] = (float) (offset[j] + spread[j] * v);
            }
        }
        return new Dataset(source, names, x, rows, anomaly, new Dataset.Labels("Class", "0", "1"), true);
    }
}
