package dev.recon.data;

import dev.recon.VectorApi;

/**
 * z = (x - mean) / std per feature, fitted in double precision on training normals only.
 * std is the population standard deviation (scikit-learn's); a constant column gets scale 1,
 * so it maps to 0 instead of NaN.
 */
public record StandardScaler(double[] mean, double[] scale) {
    private static final Standardize LOOP = VectorApi.load("dev.recon.data.VectorStandardize", Standardize.class,
            new Standardize());

    public StandardScaler {
        mean = mean.clone();
        scale = scale.clone();
    }

    /** No scaling: mean 0 and scale 1 for every feature (images, whose pixels are already in [0, 1]). */
    public static StandardScaler identity(int features) {
        double[] one = new double[features];
        java.util.Arrays.fill(one, 1.0);
        return new StandardScaler(new double[features], one);
    }

    /** True where this scaler leaves every value as it is. */
    public boolean isIdentity() {
        for (int j = 0; j < mean.length; j++) {
            if (mean[j] != 0 || scale[j] != 1) {
                return false;
            }
        }
        return true;
    }

    public static StandardScaler fit(Dataset data, int[] rows) {
        int d = data.features();
        double[] mean = new double[d];
        double[] m2 = new double[d];
        float[] x = data.values();
        long n = 0;
        for (int r : rows) {
            n++;
            int o = r * d;
            for (int j = 0; j < d; j++) {
                // Welford: stable for columns such as Time, with large values and small spread
                double delta = x[o + j] - mean[j];
                mean[j] += delta / n;
                m2[j] += delta * (x[o + j] - mean[j]);
            }
        }
        return ofMoments(mean, m2, n);
    }

    /**
     * The scaler of {@code n} rows with these column means and sums of squared deviations
     * (Welford's, or merged from parts): population standard deviations, and scale 1 for a
     * column that does not vary.
     */
    public static StandardScaler ofMoments(double[] mean, double[] m2, long n) {
        int d = mean.length;
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double sd = n > 0 ? Math.sqrt(m2[j] / n) : 0;
            scale[j] = sd > 1e-12 * Math.max(1.0, Math.abs(mean[j])) ? sd : 1.0;
        }
        return new StandardScaler(mean.clone(), scale);
    }

    public int features() {
        return mean.length;
    }

    /** Scaled copy of a (rows, d) array. */
    public float[] transform(float[] x, int rows) {
        float[] out = new float[rows * mean.length];
        transform(x, 0, rows, out, 0);
        return out;
    }

    /** Scales {@code rows} rows of x, from row {@code fromRow}, into out from {@code outOff}. */
    public void transform(float[] x, int fromRow, int rows, float[] out, int outOff) {
        int d = mean.length;
        int lanes = LOOP.lanes();
        LOOP.rows(x, fromRow * d, out, outOff, rows, d, Standardize.repeated(mean, lanes),
                Standardize.repeated(scale, lanes));
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] scale() {
        return scale.clone();
    }
}
