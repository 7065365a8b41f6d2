package dev.recon.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one scored, labelled set, under the JSON keys of the CLI contract. The
 * deployed threshold flags {@code error >= threshold}.
 */
public record EvalReport(long rows, long anomalies, double rocAuc, double prAuc, double bestF1,
                         double bestF1Threshold, Confusion atBestF1, double threshold, Confusion atThreshold,
                         double recallAtFpr001) {

    public static final double FPR_POINT = 0.001;

    public static EvalReport of(double[] score, boolean[] anomaly, double threshold) {
        Curve c = Curve.of(score, anomaly);
        int best = c.bestF1Point();
        double bestThr = c.threshold(best);
        long anomalies = 0;
        for (boolean a : anomaly) {
            anomalies += a ? 1 : 0;
        }
        return new EvalReport(score.length, anomalies, c.rocAuc(), c.averagePrecision(), c.f1(best), bestThr,
                Confusion.at(score, anomaly, bestThr), threshold, Confusion.at(score, anomaly, threshold),
                c.recallAtFpr(FPR_POINT));
    }

    /** The contract's keys, in a stable order. NaN (one class only) becomes null. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roc_auc", num(rocAuc));
        m.put("pr_auc", num(prAuc));
        m.put("best_f1", num(bestF1));
        m.put("best_f1_threshold", num(bestF1Threshold));
        m.put("threshold", num(threshold));
        m.put("precision", atThreshold.precision());
        m.put("recall", atThreshold.recall());
        m.put("f1", atThreshold.f1());
        m.put("confusion", atThreshold.matrix());
        m.put("flagged", atThreshold.flagged());
        m.put("recall_at_fpr_0.001", num(recallAtFpr001));
        m.put("rows", rows);
        m.put("anomalies", anomalies);
        return m;
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
