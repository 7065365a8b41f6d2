package dev.recon.eval;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the deployed threshold is chosen; rows whose error is at or above it are flagged.
 * <ul>
 * <li>{@code val-quantile:Q}: the Q-quantile of the validation normals' errors (linear
 * interpolation, NumPy's default), so about 1 - Q of normal rows are flagged;</li>
 * <li>{@code fpr:F}: the lowest threshold that flags at most a fraction F of the validation
 * normals;</li>
 * <li>{@code mean-std:K}: mean + K standard deviations of the validation normals' errors;</li>
 * <li>{@code best-f1}: the threshold of highest F1 on the labelled test split. This looks at the
 * test labels, as the reference project did, so the F1 it reports is optimistic.</li>
 * </ul>
 */
public record ThresholdPolicy(Kind kind, double value) {

    public enum Kind {
        BEST_F1("best-f1"), VAL_QUANTILE("val-quantile"), FPR("fpr"), MEAN_STD("mean-std");

        final String id;

        Kind(String id) {
            this.id = id;
        }
    }

    public static final ThresholdPolicy DEFAULT = new ThresholdPolicy(Kind.VAL_QUANTILE, 0.995);

    public static ThresholdPolicy parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("best-f1")) {
            return new ThresholdPolicy(Kind.BEST_F1, Double.NaN);
        }
        int colon = t.indexOf(':');
        String name = colon < 0 ? t : t.substring(0, colon);
        for (Kind k : Kind.values()) {
            if (k != Kind.BEST_F1 && k.id.equals(name)) {
                if (colon < 0) {
                    throw new IllegalArgumentException("--threshold " + s + ": needs a value, e.g. " + example(k));
                }
                double v;
                try {
                    v = Double.parseDouble(t.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--threshold " + s + ": not a number after ':'");
                }
                boolean ok = switch (k) {
                    case VAL_QUANTILE -> v > 0 && v <= 1;
                    case FPR -> v >= 0 && v < 1;
                    case MEAN_STD -> Double.isFinite(v);
                    default -> false;
                };
                if (!ok) {
                    throw new IllegalArgumentException("--threshold " + s + ": value out of range, e.g. " + example(k));
                }
                return new ThresholdPolicy(k, v);
            }
        }
        throw new IllegalArgumentException("--threshold " + s
                + ": unknown policy (known: best-f1, val-quantile:Q, fpr:F, mean-std:K)");
    }

    private static String example(Kind k) {
        return switch (k) {
            case VAL_QUANTILE -> "val-quantile:0.995";
            case FPR -> "fpr:0.001";
            case MEAN_STD -> "mean-std:3";
            default -> "best-f1";
        };
    }

    public boolean needsLabels() {
        return kind == Kind.BEST_F1;
    }

    /**
     * The threshold for this policy. {@code val} are validation normals' errors; {@code test} and
     * {@code anomaly} the labelled test split (used by best-f1 only).
     */
    public double choose(double[] val, double[] test, boolean[] anomaly) {
        // scores are never negative: a threshold of 0 would flag a row the model reproduces exactly
        // (all-duplicate training data gives only zero scores), so the least threshold is the
        // smallest positive number
        return Math.max(chosen(val, test, anomaly), Double.MIN_VALUE);
    }

    private double chosen(double[] val, double[] test, boolean[] anomaly) {
        switch (kind) {
            case BEST_F1: {
                if (test == null || test.length == 0) {
                    throw new IllegalArgumentException("--threshold best-f1 needs labelled data with anomalies; "
                            + "use val-quantile:Q, fpr:F or mean-std:K");
                }
                Curve c = Curve.of(test, anomaly);
                return c.threshold(c.bestF1Point());
            }
            case VAL_QUANTILE: {
                double q = quantile(val, value);
                // tied scores (rows that repeat) can sit at the quantile: "at or above" would then flag
                // the whole tie, far more than the fraction asked for; step just above it instead
                long atOrAbove = Arrays.stream(val).filter(v -> v >= q).count();
                return atOrAbove > Math.ceil((1 - value) * val.length) + 1 ? Math.nextUp(q) : q;
            }
            case FPR: {
                double[] s = val.clone();
                Arrays.sort(s);
                int allowed = (int) Math.floor(value * s.length + 1e-9);
                if (allowed >= s.length) {
                    return s[0];
                }
                // flag at most `allowed` rows: sit just above the (allowed+1)-th largest error
                return Math.nextUp(s[s.length - 1 - allowed]);
            }
            case MEAN_STD: {
                double mean = 0;
                for (double e : val) {
                    mean += e;
                }
                mean /= val.length;
                double var = 0;
                for (double e : val) {
                    var += (e - mean) * (e - mean);
                }
                return mean + value * Math.sqrt(var / val.length);
            }
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /** NumPy's default (linear) quantile. */
    public static double quantile(double[] x, double q) {
        double[] s = x.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        double frac = pos - lo;
        return s[lo] + (s[hi] - s[lo]) * frac;
    }

    @Override
    public String toString() {
        return kind == Kind.BEST_F1 ? kind.id : kind.id + ":" + stripZeros(value);
    }

    private static String stripZeros(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
