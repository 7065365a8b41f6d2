package dev.recon.eval;

/** Counts when flagging {@code score >= threshold}; anomalies are the positive class. */
public record Confusion(long tn, long fp, long fn, long tp) {

    public static Confusion at(double[] score, boolean[] anomaly, double threshold) {
        long tn = 0;
        long fp = 0;
        long fn = 0;
        long tp = 0;
        for (int i = 0; i < score.length; i++) {
            // fail closed: a NaN score is flagged
            boolean flag = !(score[i] < threshold);
            if (anomaly[i]) {
                if (flag) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (flag) {
                fp++;
            } else {
                tn++;
            }
        }
        return new Confusion(tn, fp, fn, tp);
    }

    public long flagged() {
        return tp + fp;
    }

    /** 0 when nothing is flagged (scikit-learn's zero_division=0). */
    public double precision() {
        return flagged() == 0 ? 0 : tp / (double) flagged();
    }

    public double recall() {
        return tp + fn == 0 ? 0 : tp / (double) (tp + fn);
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** [[tn, fp], [fn, tp]], scikit-learn's layout. */
    public long[][] matrix() {
        return new long[][] {{tn, fp}, {fn, tp}};
    }
}
