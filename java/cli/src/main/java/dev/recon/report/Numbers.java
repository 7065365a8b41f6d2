package dev.recon.report;

import java.util.Locale;

/** Numbers for people: in the report, on stdout and in report.txt. */
public final class Numbers {
    private Numbers() {
    }

    /** Four decimals (metrics); "n/a" for a value that is not a finite number. */
    public static String num(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Six significant digits (scores, thresholds); "n/a" for a value that is not a finite number. */
    public static String sci(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** A count with thousands separators. */
    public static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** A file size: bytes, kB or MB (powers of 1000). */
    public static String bytes(long v) {
        return v < 10_000 ? v + " bytes" : v < 1_000_000 ? String.format(Locale.ROOT, "%.0f kB", v / 1e3)
                : String.format(Locale.ROOT, "%.1f MB", v / 1e6);
    }
}
