package dev.recon.data;

import java.nio.charset.StandardCharsets;

/**
 * Parses a decimal number from ASCII bytes without creating a String. Numbers with at most
 * 17 significant digits and a small decimal exponent take Clinger's fast path (one exact
 * multiplication or division by an exact power of ten, hence correctly rounded); everything
 * else is checked here for syntax and handed to {@link Double#parseDouble}.
 */
final class DecimalParser {
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private DecimalParser() {
    }

    /**
     * The value of {@code b[s..e)}, which must be a plain decimal such as {@code -1.5e-3}; NaN
     * when it is not one (the caller then explains why).
     */
    static double parse(byte[] b, int s, int e) {
        int i = s;
        if (i >= e) {
            return Double.NaN;
        }
        boolean neg = false;
        if (b[i] == '-' || b[i] == '+') {
            neg = b[i] == '-';
            i++;
        }
        long mant = 0;
        int exp10 = 0;
        boolean exact = true;
        boolean anyDigit = false;
        while (i < e && isDigit(b[i])) {
            anyDigit = true;
            if (mant < 100_000_000_000_000_00L) {
                mant = mant * 10 + (b[i] - '0');
            } else {
                exp10++;
                exact = false;
            }
            i++;
        }
        if (i < e && b[i] == '.') {
            i++;
            while (i < e && isDigit(b[i])) {
                anyDigit = true;
                if (mant < 100_000_000_000_000_00L) {
                    mant = mant * 10 + (b[i] - '0');
                    exp10--;
                } else if (b[i] != '0') {
                    exact = false;
                }
                i++;
            }
        }
        if (!anyDigit) {
            return Double.NaN;
        }
        if (i < e && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean eneg = false;
            if (i < e && (b[i] == '-' || b[i] == '+')) {
                eneg = b[i] == '-';
                i++;
            }
            if (i >= e || !isDigit(b[i])) {
                return Double.NaN;
            }
            int ex = 0;
            while (i < e && isDigit(b[i])) {
                if (ex < 100_000) {
                    ex = ex * 10 + (b[i] - '0');
                }
                i++;
            }
            exp10 += eneg ? -ex : ex;
        }
        if (i != e) {
            return Double.NaN;
        }
        double v;
        if (mant == 0) {
            v = 0.0;
        } else if (exact && mant < (1L << 53) && exp10 >= -22 && exp10 <= 22) {
            v = exp10 < 0 ? mant / POW10[-exp10] : mant * POW10[exp10];
        } else {
            return Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
        }
        return neg ? -v : v;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
