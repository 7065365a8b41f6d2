package dev.recon.cli;

import dev.recon.eval.Confusion;
import dev.recon.eval.EvalReport;
import java.util.Locale;

/** Human-readable tables for stdout and report.txt. */
public final class Text {
    private Text() {
    }

    public static String num(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    public static String sci(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    public static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** A file size: bytes, kB or MB (powers of 1000). */
    public static String bytes(long v) {
        return v < 10_000 ? v + " bytes" : v < 1_000_000 ? String.format(Locale.ROOT, "%.0f kB", v / 1e3)
                : String.format(Locale.ROOT, "%.1f MB", v / 1e6);
    }

    static String metrics(String title, EvalReport r, String policy) {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append(" (").append(count(r.rows())).append(" rows, ").append(count(r.anomalies()))
                .append(" anomalies)\n");
        row(sb, "ROC-AUC", num(r.rocAuc()));
        row(sb, "PR-AUC (average precision)", num(r.prAuc()));
        row(sb, "recall at FPR 0.1%", num(r.recallAtFpr001()));
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "  %-30s %12s %10s %8s %8s %9s   %s%n", "threshold", "value", "precision",
                "recall", "F1", "flagged", "confusion [[tn, fp], [fn, tp]]"));
        line(sb, "deployed (" + policy + ")", r.threshold(), r.atThreshold());
        line(sb, "best F1 (on these labels)", r.bestF1Threshold(), r.atBestF1());
        return sb.toString();
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append(String.format(Locale.ROOT, "  %-30s %s%n", k, v));
    }

    private static void line(StringBuilder sb, String name, double thr, Confusion c) {
        sb.append(String.format(Locale.ROOT, "  %-30s %12s %10s %8s %8s %9s   [[%d, %d], [%d, %d]]%n", name, sci(thr),
                num(c.precision()), num(c.recall()), num(c.f1()), count(c.flagged()), c.tn(), c.fp(), c.fn(), c.tp()));
    }
}
