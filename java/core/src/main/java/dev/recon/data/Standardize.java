package dev.recon.data;

/**
 * The loop of {@link StandardScaler#transform}: out = (float) ((x - mean) / scale) per element,
 * in double precision. Two implementations give the same bits; this one is plain Java.
 */
class Standardize {
    /**
     * Rows [0, rows) of x (rows, d) from {@code xOff}, scaled into out from {@code outOff};
     * {@code mean} and {@code scale} hold the d features' values repeated to a length that is a
     * multiple of d (see {@link #period}).
     */
    void rows(float[] x, int xOff, float[] out, int outOff, int rows, int d, double[] mean, double[] scale) {
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            for (int j = 0; j < d; j++) {
                out[outOff + o + j] = (float) ((x[xOff + o + j] - mean[j]) / scale[j]);
            }
        }
    }

    /** The features' values repeated over {@link #period} elements, a whole number of vectors. */
    static double[] repeated(double[] perFeature) {
        int d = perFeature.length;
        double[] r = new double[period(d)];
        for (int i = 0; i < r.length; i++) {
            r[i] = perFeature[i % d];
        }
        return r;
    }

    /** Elements over which the features' pattern repeats and whole vectors of sixteen fit: lcm(d, 16). */
    static int period(int d) {
        int a = d;
        int b = 16;
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return d / a * 16;
    }
}
