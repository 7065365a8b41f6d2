package dev.recon.score;

import java.util.List;
import java.util.Locale;

/**
 * The CSV of scored rows that {@code recon score} writes and {@code recon serve} returns:
 * {@code row,score,anomaly}, then with explanations {@code topI_feature,topI_share} for I = 1..K,
 * then {@code reason} (empty, or why a row is flagged without a finite score).
 */
public final class ScoreCsv {
    private ScoreCsv() {
    }

    /** The header line, with its newline, for {@code k} top features. */
    public static String header(int k) {
        StringBuilder sb = new StringBuilder("row,score,anomaly");
        for (int i = 1; i <= k; i++) {
            sb.append(",top").append(i).append("_feature,top").append(i).append("_share");
        }
        return sb.append(",reason\n").toString();
    }

    /** Appends one row's line, with its newline; {@code top} is null without explanations. */
    public static void appendRow(StringBuilder sb, long row, double score, boolean anomaly, List<Contribution> top) {
        sb.append(row).append(',').append((float) score).append(',').append(anomaly ? 1 : 0);
        if (top != null) {
            for (Contribution c : top) {
                sb.append(',').append(field(c.feature())).append(',').append(String.format(Locale.ROOT, "%.4f", c.share()));
            }
        }
        sb.append(',').append(Double.isFinite(score) ? "" : "non-finite score").append('\n');
    }

    private static String field(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
