package dev.recon.eval;

import java.util.Arrays;

/**
 * The operating points of a score: for each distinct score value t, from the highest down,
 * the true and false positives when flagging {@code score >= t}. Ties form one point, as in
 * scikit-learn's {@code roc_curve} and {@code precision_recall_curve}.
 */
public final class Curve {
    final double[] thresholds;
    final long[] tp;
    final long[] fp;
    final long positives;
    final long negatives;

    private Curve(double[] thresholds, long[] tp, long[] fp, long positives, long negatives) {
        this.thresholds = thresholds;
        this.tp = tp;
        this.fp = fp;
        this.positives = positives;
        this.negatives = negatives;
    }

    /**
     * The curve of {@code score} against {@code positive}. A NaN score (a row the model could not
     * reconstruct) ranks as +infinity, the most anomalous: it is flagged, never called normal.
     */
    public static Curve of(double[] raw, boolean[] positive) {
        int n = raw.length;
        if (positive.length != n) {
            throw new IllegalArgumentException("scores and labels differ in length");
        }
        double[] score = new double[n];
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            score[i] = Double.isNaN(raw[i]) ? Double.POSITIVE_INFINITY : raw[i];
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(score[b], score[a]));
        double[] th = new double[n];
        long[] tps = new long[n];
        long[] fps = new long[n];
        int points = 0;
        long t = 0;
        long f = 0;
        for (int i = 0; i < n; i++) {
            int r = boxed[i];
            if (positive[r]) {
                t++;
            } else {
                f++;
            }
            if (i == n - 1 || score[boxed[i + 1]] != score[r]) {
                th[points] = score[r];
                tps[points] = t;
                fps[points] = f;
                points++;
            }
        }
        return new Curve(Arrays.copyOf(th, points), Arrays.copyOf(tps, points), Arrays.copyOf(fps, points), t, f);
    }

    public int points() {
        return thresholds.length;
    }

    public double threshold(int i) {
        return thresholds[i];
    }

    /** True-positive rate (recall) at point i. */
    public double tpr(int i) {
        return positives == 0 ? Double.NaN : tp[i] / (double) positives;
    }

    public double fpr(int i) {
        return negatives == 0 ? Double.NaN : fp[i] / (double) negatives;
    }

    public double precision(int i) {
        long flagged = tp[i] + fp[i];
        return flagged == 0 ? 0 : tp[i] / (double) flagged;
    }

    /** Area under the ROC curve by the trapezoidal rule; NaN with only one class. */
    public double rocAuc() {
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double area = 0;
        long prevTp = 0;
        long prevFp = 0;
        for (int i = 0; i < points(); i++) {
            area += (fp[i] - prevFp) * (tp[i] + prevTp) / 2.0;
            prevTp = tp[i];
            prevFp = fp[i];
        }
        return area / ((double) positives * negatives);
    }

    /** Average precision: the sum over points of (recall gain) * precision, scikit-learn's definition. */
    public double averagePrecision() {
        if (positives == 0) {
            return Double.NaN;
        }
        double ap = 0;
        long prevTp = 0;
        for (int i = 0; i < points(); i++) {
            ap += (tp[i] - prevTp) / (double) positives * precision(i);
            prevTp = tp[i];
        }
        return ap;
    }

    /** The point of highest F1; among equal F1 the lowest threshold, as scikit-learn's argmax picks. */
    public int bestF1Point() {
        int best = -1;
        double bestF1 = -1;
        for (int i = 0; i < points(); i++) {
            double f1 = f1(i);
            if (f1 >= bestF1) {
                bestF1 = f1;
                best = i;
            }
            if (tp[i] == positives) {
                break; // scikit-learn's curve stops at full recall
            }
        }
        return best;
    }

    public double f1(int i) {
        double p = precision(i);
        double r = positives == 0 ? 0 : tp[i] / (double) positives;
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Highest recall among points whose false-positive rate is at most {@code maxFpr}. */
    public double recallAtFpr(double maxFpr) {
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double best = 0;
        for (int i = 0; i < points(); i++) {
            if (fpr(i) <= maxFpr) {
                best = Math.max(best, tpr(i));
            }
        }
        return best;
    }
}
