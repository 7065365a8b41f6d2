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

    /** Floats this implementation handles at a time: the repeated values must fill whole runs of them. */
    int lanes() {
        return 1;
    }

    /** The features' values repeated over {@link #period} elements: whole runs of {@code lanes} floats. */
    static double[] repeated(double[] perFeature, int lanes) {
        int d = perFeature.length;
        double[] r = new double[period(d, lanes)];
        for (int i = 0; i < r.length; i++) {
            r[i] = perFeature[i % d];
        }
        return r;
    }

    /** Elements over which the features' pattern repeats in whole runs of {@code lanes}: lcm(d, lanes). */
    static int period(int d, int lanes) {
        int a = d;
        int b = lanes;
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return d / a * lanes;
    }
}
