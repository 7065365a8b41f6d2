package dev.recon.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CurveTest {
    @Test
    void oneClassGivesUndefinedAucNotAnError() {
        EvalReport r = EvalReport.of(new double[] {0.1, 0.2}, new boolean[] {false, false}, 0.15);
        assertTrue(Double.isNaN(r.rocAuc()));
        assertEquals(null, r.toMap().get("roc_auc"));
        assertEquals(1L, r.atThreshold().fp());
    }

    @Test
    void contractKeysArePresent() {
        EvalReport r = EvalReport.of(new double[] {0.1, 0.2, 0.9}, new boolean[] {false, false, true}, 0.5);
        for (String k : new String[] {"roc_auc", "pr_auc", "best_f1", "best_f1_threshold", "threshold", "precision",
            "recall", "f1", "confusion", "flagged", "recall_at_fpr_0.001", "rows", "anomalies"}) {
            assertTrue(r.toMap().containsKey(k), k);
        }
        assertEquals(1.0, r.rocAuc());
        assertEquals(1L, r.toMap().get("flagged"));
    }

    /** A NaN score (a row the network overflowed on) ranks as the most anomalous and is flagged. */
    @Test
    void aNaNScoreRanksAsMostAnomalousAndIsFlagged() {
        double[] s = {0.1, 0.2, Double.NaN, 0.3};
        boolean[] y = {false, false, true, false};
        EvalReport r = EvalReport.of(s, y, 0.25);
        assertEquals(1.0, r.rocAuc(), "the NaN row, the only anomaly, is ranked first");
        assertEquals(1L, r.atThreshold().tp(), "flagged at the deployed threshold");
        assertEquals(2L, r.atThreshold().flagged());
        // and a normal row with a NaN score is a false positive, never a true negative
        EvalReport n = EvalReport.of(new double[] {Double.NaN, 0.1, 0.9}, new boolean[] {false, false, true}, 0.5);
        assertEquals(1L, n.atThreshold().fp());
        assertEquals(0.5, n.rocAuc(), 1e-12, "NaN normal above the anomaly: one of two pairs out of order");
    }
}
