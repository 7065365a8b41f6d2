package dev.recon.pipeline;

import dev.recon.ReconException;
import dev.recon.Version;
import dev.recon.backend.Backend;
import dev.recon.data.Dataset;
import dev.recon.data.Fingerprint;
import dev.recon.data.Split;
import dev.recon.data.StandardScaler;
import dev.recon.eval.EvalReport;
import dev.recon.eval.ThresholdPolicy;
import dev.recon.io.Bundle;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.DetectorKind;
import dev.recon.model.KnnComponent;
import dev.recon.score.Detector;
import dev.recon.score.NearestNeighbours;
import dev.recon.train.DivergenceException;
import dev.recon.train.TrainConfig;
import dev.recon.train.TrainListener;
import dev.recon.train.TrainResult;
import dev.recon.train.TrainState;
import dev.recon.train.Trainer;
import java.util.Map;

/**
 * Data in, bundle out: split, fit the scaler on training normals, train, choose the threshold,
 * evaluate on the held-out test split (when there are labels), and assemble the bundle. The
 * same code serves {@code train}, {@code demo} and the Java API.
 */
public final class TrainJob {
    /** Fewer normal rows than this cannot give a training and a validation set worth the name. */
    public static final int MIN_NORMAL_ROWS = 20;

    private TrainJob() {
    }

    /**
     * The result of training.
     *
     * @param test       metrics on the test split; null without labels or without a test split
     * @param testErrors errors of the test rows (held-out normals, then anomalies), for reports
     * @param divergence why training stopped early on a NaN loss, or null; the bundle is then the last good epoch's
     */
    public record Outcome(Bundle bundle, Split split, EvalReport test, double[] testErrors, boolean[] testLabels,
                          double[] valErrors, TrainResult result, String divergence) {
    }

    public static Outcome run(Dataset data, TrainOptions o, Backend be, TrainListener listener) {
        return run(data, o, be, listener, null);
    }

    /** Trains, or with {@code resume} not null continues that bundle's training to {@code o.epochs()} epochs. */
    public static Outcome run(Dataset data, TrainOptions asked, Backend be, TrainListener listener, Bundle resume) {
        TrainOptions o = asked.forData(data);
        String fingerprint = Fingerprint.of(data);
        long seed = resume != null ? resume.config().seed() : o.seed();
        if (resume != null && !resume.data().fingerprint().equals(fingerprint)) {
            throw ReconException.input(data.source() + ": not the data the model was trained on (fingerprints differ); "
                    + "--resume continues training on the same data only");
        }
        Split split = Split.of(data, seed);
        // a policy that cannot work on this data is refused before any training, not after it
        ThresholdPolicy policy = resume != null && o.threshold() == null ? resume.policy() : o.threshold();
        if (policy.needsLabels() && (split.test().length == 0 || data.anomalies() == 0)) {
            throw ReconException.input("--threshold best-f1 needs labelled data with anomalies; "
                    + "use val-quantile:Q, fpr:F or mean-std:K");
        }
        int normals = split.fit().length + split.val().length;
        if (normals < MIN_NORMAL_ROWS) {
            long inFile = data.rows() - data.anomalies();
            throw ReconException.input(data.source() + ": too few normal rows to train on: the file has "
                    + data.rows() + " rows, " + inFile + " of them normal; the split keeps " + normals + " of those ("
                    + split.fit().length + " to fit, " + split.val().length + " to validate; the rest are test rows)"
                    + ", and training needs at least " + MIN_NORMAL_ROWS);
        }
        // a sigmoid output and binary cross-entropy need targets in [0, 1]: pixels are, and so must a
        // table's values be, unscaled (z-scores are not)
        boolean unitRange = data.image() != null || o.output() == dev.recon.model.Activation.SIGMOID;
        if (resume == null && data.image() == null && unitRange) {
            for (float v : data.values()) {
                if (!(v >= 0f && v <= 1f)) {
                    throw ReconException.input(data.source() + ": --output sigmoid (and --loss bce) needs every value "
                            + "in [0, 1], which this data's are not (found " + v + "); use --output identity");
                }
            }
        }
        StandardScaler scaler = resume != null ? resume.scaler()
                : unitRange ? StandardScaler.identity(data.features())
                : StandardScaler.fit(data, split.trainNormals());
        int d = data.features();
        float[] fit = scaler.transform(data.gather(split.fit()), split.fit().length);
        float[] val = scaler.transform(data.gather(split.val()), split.val().length);

        AutoencoderSpec spec;
        TrainConfig cfg;
        TrainState start;
        if (resume != null) {
            spec = resume.spec();
            int epochs = o.epochs() != null ? o.epochs() : resume.config().epochs();
            if (epochs <= resume.state().epochsDone()) {
                throw ReconException.input("--epochs " + epochs + ": the model has already trained "
                        + resume.state().epochsDone() + " epochs; ask for more to resume");
            }
            cfg = resume.config().withEpochs(epochs);
            start = resume.state();
        } else {
            try {
                spec = data.image() != null
                        ? AutoencoderSpec.image(d, o.hidden(), o.latent(), o.activation(), o.loss(), o.output())
                        : o.detector() == DetectorKind.AE
                        ? AutoencoderSpec.reference(d, o.hidden(), o.latent(), o.activation(), o.loss(), o.output())
                        : AutoencoderSpec.defaults(d, o.hidden(), o.latent(), o.activation(), o.loss(), o.output());
                spec = spec.withVae(o.vae());
                dev.recon.model.Objective.of(spec.output(), o.error());
                int epochs = o.epochs() != null ? o.epochs() : TrainConfig.defaultEpochs(split.fit().length, o.batch());
                int patience = o.patience() != null ? o.patience() : TrainConfig.defaultPatience(epochs);
                cfg = new TrainConfig(epochs, o.batch(), o.lr(), patience, seed, o.initFor(o.detector()));
            } catch (IllegalArgumentException e) {
                throw ReconException.input(e.getMessage());
            }
            start = null;
        }
        Trainer trainer = new Trainer(be, spec, cfg);
        if (start == null) {
            start = trainer.initialState();
        }
        TrainResult result;
        String divergence = null;
        try {
            result = trainer.train(fit, split.fit().length, val, split.val().length, start, listener);
        } catch (DivergenceException e) {
            if (e.lastGood() == null || e.lastGood().epochsDone() == 0) {
                throw e;
            }
            divergence = e.getMessage();
            result = new TrainResult(e.lastGood(), "diverged after epoch " + e.lastGood().epochsDone(), Double.NaN);
        }
        Bundle.DataInfo info = new Bundle.DataInfo(data.source(), data.rows(), data.anomalies(), fingerprint,
                data.synthetic(), split.fit().length, split.val().length, split.test().length, data.image());
        Bundle bundle = new Bundle(Version.get(), spec, data.featureNames(), data.labels(), scaler, Double.NaN, policy,
                cfg, info, result.state(), result.stopReason(), Map.of(), null, resume != null ? resume.error() : o.error());

        float[] valRaw = data.gather(split.val());
        double[] valErr;
        try (Detector ae = Detector.of(bundle, be)) {
            valErr = ae.errors(valRaw, split.val().length);
        }
        DetectorKind kind = resume != null ? resume.detector() : o.detector();
        if (kind == DetectorKind.AE_KNN) {
            // the reference rows are fitted rows only: the validation rows' distances are those of unseen normals
            NearestNeighbours nn = NearestNeighbours.sample(fit, split.fit().length, d, NearestNeighbours.DEFAULT_K,
                    NearestNeighbours.MAX_REFERENCE_ROWS, seed);
            java.util.concurrent.ForkJoinPool threads = new java.util.concurrent.ForkJoinPool(Detector.neighbourThreads(be));
            double[] distance;
            try {
                distance = nn.kthDistance(val, split.val().length, threads);
            } finally {
                threads.shutdown();
            }
            KnnComponent knn = new KnnComponent(nn.k(), nn.size(), d, nn.rows(), KnnComponent.scaleOf(valErr, false),
                    KnnComponent.scaleOf(distance, true));
            bundle = bundle.withKnn(knn);
            // the validation rows' scores from the two parts already at hand: what the Detector gives
            for (int i = 0; i < valErr.length; i++) {
                valErr[i] = knn.combine(valErr[i], distance[i]);
            }
        }
        double[] testErr = new double[0];
        boolean[] testLab = new boolean[0];
        if (split.test().length > 0) {
            try (Detector det = Detector.of(bundle, be)) {
                testErr = det.errors(data.gather(split.test()), split.test().length);
            }
            testLab = data.gatherLabels(split.test());
        }
        double threshold = policy.choose(valErr, testErr, testLab);
        bundle = bundle.withThreshold(threshold, policy);
        EvalReport test = null;
        if (testErr.length > 0) {
            test = EvalReport.of(testErr, testLab, threshold);
            bundle = bundle.withMetrics(test.toMap());
        }
        return new Outcome(bundle, split, test, testErr, testLab, valErr, result, divergence);
    }
}
