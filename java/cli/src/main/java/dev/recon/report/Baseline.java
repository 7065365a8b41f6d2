package dev.recon.report;

import dev.recon.baseline.IsolationForest;
import dev.recon.data.Dataset;
import dev.recon.eval.EvalReport;

/** The Isolation Forest baseline's scores, metrics and threshold on the evaluated rows. */
public record Baseline(double[] scores, EvalReport metrics, double threshold) {
    /** Isolation Forest settings of Liu et al. and scikit-learn's defaults. */
    public static final int IFOREST_TREES = 100;
    public static final int IFOREST_SAMPLE = 256;

    /**
     * Fits the Isolation Forest on the model's training rows and scores the evaluated rows; null
     * without the training and validation rows, or without labels.
     */
    public static Baseline fit(ReportInput in) {
        if (in.trainRows() == null || in.trainRows().length < 2 || in.valRows() == null || in.valRows().length == 0
                || in.labels() == null) {
            return null;
        }
        Dataset d = in.data();
        float[] train = d.gather(in.trainRows());
        IsolationForest f = IsolationForest.fit(train, in.trainRows().length, d.features(), IFOREST_TREES,
                IFOREST_SAMPLE, in.bundle().config().seed());
        double[] s = f.score(d.gather(in.evalRows()), in.evalRows().length);
        // the model's own policy: validation quantiles from the validation rows, best-f1 from these labels
        double[] val = f.score(d.gather(in.valRows()), in.valRows().length);
        double threshold = in.bundle().policy().choose(val, s, in.labels());
        return new Baseline(s, EvalReport.of(s, in.labels(), threshold), threshold);
    }
}
