package dev.recon.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import java.nio.charset.StandardCharsets;

/**
 * Parses a decimal number from ASCII bytes without creating a String. Numbers with at most
 * 17 significant digits and a small decimal exponent take Clinger's fast path (one exact
 * multiplication or division by an exact power of ten, hence correctly rounded); everything
 * else is checked here for syntax and handed to {@link Double#parseDouble}. Runs of eight
 * digits are read as one little-endian long and converted together (the SWAR steps of Lemire's
 * fast_float), which takes the same digits as the byte loop, in the same order.
 */
final class DecimalParser {
    private static final double[] POW10 = new double[23];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Below this, eight more digits keep the mantissa under the byte loop's limit at every step. */
    private static final long EIGHT_MORE = 1_000_000_000L;

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
            if (mant < EIGHT_MORE && i + 8 <= e) {
                long v = (long) LONGS.get(b, i);
                if (eightDigits(v)) {
                    mant = mant * 100_000_000L + eightDigitValue(v);
                    i += 8;
                    continue;
                }
            }
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
                if (mant < EIGHT_MORE && i + 8 <= e) {
                    long v = (long) LONGS.get(b, i);
                    if (eightDigits(v)) {
                        mant = mant * 100_000_000L + eightDigitValue(v);
                        exp10 -= 8;
                        i += 8;
                        continue;
                    }
                }
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

    /** Whether all eight bytes of {@code v} are ASCII digits. */
    private static boolean eightDigits(long v) {
        return (((v + 0x4646464646464646L) | (v - 0x3030303030303030L)) & 0x8080808080808080L) == 0;
    }

    /** The value of eight ASCII digits read little-endian (the first digit in the lowest byte). */
    private static long eightDigitValue(long v) {
        long x = v - 0x3030303030303030L;
        x = x * 10 + (x >>> 8);
        x = ((x & 0x000000FF000000FFL) * 0x000F424000000064L + ((x >>> 16) & 0x000000FF000000FFL) * 0x0000271000000001L) >>> 32;
        return x & 0xFFFFFFFFL;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
