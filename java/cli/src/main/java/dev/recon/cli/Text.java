package dev.recon.cli;

import static dev.recon.report.Numbers.count;
import static dev.recon.report.Numbers.num;
import static dev.recon.report.Numbers.sci;

import dev.recon.eval.Confusion;
import dev.recon.eval.EvalReport;
import java.util.Locale;

/** Human-readable metric tables for stdout and report.txt ({@link dev.recon.report.Numbers} formats the numbers). */
public final class Text {
    private Text() {
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
