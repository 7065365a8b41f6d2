package dev.recon.pipeline;

import dev.recon.ReconException;
import dev.recon.data.Dataset;
import dev.recon.data.Fingerprint;
import dev.recon.data.Split;
import dev.recon.eval.EvalReport;
import dev.recon.io.Bundle;
import dev.recon.score.Detector;
import dev.recon.score.Scores;

/**
 * Judges a bundle on labelled data. {@code test} re-creates the training run's split (same seed,
 * same data, checked by fingerprint) and scores its held-out test rows; {@code all} scores every row.
 */
public final class EvaluateJob {
    private EvaluateJob() {
    }

    /** What was evaluated and how it scored. */
    public record Result(String split, int[] rows, double[] errors, boolean[] labels, EvalReport report) {
    }

    /** @param split "test", "all", or null for "test when this is the training data, else all" */
    public static Result run(Detector det, Dataset data, String split) {
        Bundle b = det.bundle();
        if (!data.hasLabels()) {
            throw ReconException.input(data.source() + ": no label column; evaluate needs labels (name the column with --label)");
        }
        boolean same = b.data().fingerprint().equals(Fingerprint.of(data));
        String which = split != null ? split : same ? "test" : "all";
        int[] rows;
        if (which.equals("test")) {
            if (!same) {
                throw ReconException.input(data.source() + ": --split test needs the data the model was trained on "
                        + "(fingerprints differ); use --split all");
            }
            rows = Split.of(data, b.config().seed()).test();
        } else if (which.equals("all")) {
            rows = data.allRows();
        } else {
            throw ReconException.input("--split: expected test or all, got '" + split + "'");
        }
        float[] raw = Features.select(data, b.featureNames());
        int d = b.featureNames().size();
        float[] picked = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(raw, rows[i] * d, picked, i * d, d);
        }
        Scores s = det.score(picked, rows.length);
        boolean[] labels = data.gatherLabels(rows);
        return new Result(which, rows, s.errors(), labels, EvalReport.of(s.errors(), labels, b.threshold()));
    }
}
