package dev.recon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.ReconException;
import dev.recon.backend.Backend;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Dataset;
import dev.recon.data.SyntheticData;
import dev.recon.eval.ThresholdPolicy;
import dev.recon.score.Detector;
import dev.recon.train.TrainListener;
import org.junit.jupiter.api.Test;

class TrainJobTest {
    static TrainJob.Outcome run(Dataset d, TrainOptions o) {
        try (CpuBackend be = new CpuBackend(2)) {
            return TrainJob.run(d, o, be, TrainListener.NONE);
        }
    }

    @Test
    void defaultsLearnSyntheticAnomaliesAtAnyWidth() {
        for (int features : new int[] {3, 12, 40}) {
            Dataset d = SyntheticData.generate(features, 3000, 150, features);
            TrainJob.Outcome o = run(d, TrainOptions.defaults());
            assertTrue(o.test().rocAuc() > 0.9, features + " features: ROC-AUC " + o.test().rocAuc());
            int latent = o.bundle().spec().latent();
            assertTrue(latent < features, "latent " + latent + " must be narrower than " + features + " features");
            // small data gets more epochs than the reference's 20
            assertTrue(o.bundle().config().epochs() > 20);
        }
    }

    @Test
    void thresholdPoliciesAreStoredAndApplied() {
        Dataset d = SyntheticData.generate(8, 2000, 100, 2);
        TrainOptions base = TrainOptions.defaults().withEpochs(5);
        TrainJob.Outcome q = run(d, base.withThreshold(ThresholdPolicy.parse("val-quantile:0.9")));
        assertEquals(ThresholdPolicy.quantile(q.valErrors(), 0.9), q.bundle().threshold());
        assertEquals("val-quantile:0.9", q.bundle().policy().toString());
        TrainJob.Outcome b = run(d, base.withThreshold(ThresholdPolicy.parse("best-f1")));
        assertEquals(b.test().bestF1Threshold(), b.bundle().threshold());
        assertEquals(b.test().bestF1(), b.test().atThreshold().f1(), 1e-12);
        TrainJob.Outcome f = run(d, base.withThreshold(ThresholdPolicy.parse("fpr:0.01")));
        long flaggedVal = java.util.Arrays.stream(f.valErrors()).filter(e -> e >= f.bundle().threshold()).count();
        assertTrue(flaggedVal <= 0.01 * f.valErrors().length);
    }

    @Test
    void unlabelledDataTrainsOnEveryRowAndHasNoMetrics() {
        Dataset l = SyntheticData.generate(5, 600, 0, 4);
        Dataset d = new Dataset("u.csv", l.featureNames(), l.values(), l.rows(), null, null, false);
        TrainJob.Outcome o = run(d, TrainOptions.defaults().withEpochs(3));
        assertNull(o.test());
        assertEquals(600, o.split().fit().length + o.split().val().length);
        assertTrue(Double.isFinite(o.bundle().threshold()));
        // refused before any training: the listener never hears of a first step
        TrainListener noTraining = new TrainListener() {
            @Override
            public void onStart(int firstEpoch, int lastEpoch, int stepsPerEpoch, int trainRows) {
                throw new AssertionError("training started before the policy was checked");
            }
        };
        ReconException e;
        try (CpuBackend be = new CpuBackend(1)) {
            e = assertThrows(ReconException.class, () -> TrainJob.run(d,
                    TrainOptions.defaults().withEpochs(3).withThreshold(ThresholdPolicy.parse("best-f1")), be, noTraining));
        }
        assertTrue(e.getMessage().contains("best-f1 needs labelled data"));
    }

    @Test
    void tooFewRowsIsBadInput() {
        Dataset d = SyntheticData.generate(4, 30, 15, 4);
        ReconException e = assertThrows(ReconException.class, () -> run(d, TrainOptions.defaults()));
        assertTrue(e.badInput());
        // the counts a user can check: rows in the file, normal rows, what the split leaves
        assertTrue(e.getMessage().endsWith("too few normal rows to train on: the file has 30 rows, 15 of them normal; "
                + "the split keeps 12 of those (10 to fit, 2 to validate; the rest are test rows), and training needs "
                + "at least 20"), e.getMessage());
    }

    @Test
    void evaluateRecreatesTheTestSplit() {
        Dataset d = SyntheticData.generate(8, 2000, 100, 2);
        TrainJob.Outcome o = run(d, TrainOptions.defaults().withEpochs(4));
        try (CpuBackend be = new CpuBackend(1)) {
            EvaluateJob.Result r = EvaluateJob.run(Detector.of(o.bundle(), be), d, null);
            assertEquals("test", r.split());
            assertEquals(o.test().toMap().toString().replaceAll("\\[J@\\w+", ""), r.report().toMap().toString().replaceAll("\\[J@\\w+", ""));
            assertEquals(o.test().atThreshold(), r.report().atThreshold());
            EvaluateJob.Result all = EvaluateJob.run(Detector.of(o.bundle(), be), d, "all");
            assertEquals(2000, all.report().rows());
            Dataset other = SyntheticData.generate(8, 500, 20, 3);
            assertEquals("all", EvaluateJob.run(Detector.of(o.bundle(), be), other, null).split());
            assertThrows(ReconException.class, () -> EvaluateJob.run(Detector.of(o.bundle(), be), other, "test"));
        }
    }

    /** A large minibatch processed in parts of 512 rows trains the same model, bit for bit, as in one pass. */
    @Test
    void minibatchInPartsIsBitIdenticalToOnePass() {
        Dataset d = SyntheticData.generate(8, 6000, 100, 5);
        TrainOptions o = new TrainOptions(null, null, dev.recon.model.Activation.RELU, dev.recon.model.Loss.MSE, 3, 1500,
                1e-3f, 0, 3, ThresholdPolicy.DEFAULT);
        float[] parts;
        float[] whole;
        try (CpuBackend be = new CpuBackend(2)) {
            assertEquals(512, be.preferredPassRows());
            parts = TrainJob.run(d, o, be, TrainListener.NONE).bundle().params();
        }
        try (Backend be = FaultyBackend.wrap(new CpuBackend(2), Long.MAX_VALUE, Integer.MAX_VALUE)) {
            whole = TrainJob.run(d, o, be, TrainListener.NONE).bundle().params();
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(whole, parts);
    }

    @Test
    void divergenceKeepsTheLastGoodEpoch() {
        Dataset d = SyntheticData.generate(8, 2000, 100, 2);
        // 1,368 fit rows at batch 256: 6 steps an epoch; the parameters turn NaN in the third epoch
        try (Backend be = FaultyBackend.wrap(new CpuBackend(2), 14)) {
            TrainJob.Outcome o = TrainJob.run(d, TrainOptions.defaults().withEpochs(5), be, TrainListener.NONE);
            assertTrue(o.divergence().startsWith("training diverged in epoch 3"), o.divergence());
            assertEquals(2, o.bundle().state().epochsDone());
            for (float p : o.bundle().params()) {
                assertTrue(Float.isFinite(p));
            }
            assertTrue(o.test().rocAuc() > 0.5);
        }
        try (Backend be = FaultyBackend.wrap(new CpuBackend(2), 1)) {
            ReconException e = assertThrows(ReconException.class,
                    () -> TrainJob.run(d, TrainOptions.defaults().withEpochs(5), be, TrainListener.NONE));
            assertTrue(e.getMessage().startsWith("training diverged in epoch 1"));
        }
    }
}
