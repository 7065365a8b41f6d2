package dev.recon.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.recon.data.Dataset;
import dev.recon.data.ImageShape;
import dev.recon.data.StandardScaler;
import dev.recon.eval.ThresholdPolicy;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.DetectorKind;
import dev.recon.model.KnnComponent;
import dev.recon.model.Loss;
import dev.recon.model.Objective;
import dev.recon.train.TrainConfig;
import dev.recon.train.TrainState;
import java.util.List;
import java.util.Map;

/**
 * A trained model and everything needed to use, judge and continue it: architecture, scaler,
 * feature names, threshold and its policy, training configuration and seed, fingerprint of
 * the training data, and the training state (best parameters, plus the last parameters and
 * optimizer moments for resuming). {@link BundleFormat} writes and reads it.
 *
 * @param labels   the label column of the training data, null when it had none
 * @param data     facts about the training data: source, rows, anomalies, fingerprint, split sizes
 * @param metrics  the test-split metrics at the end of training (JSON-ready), empty without labels
 * @param knn      the nearest-neighbour part of the default detector; null for the plain autoencoder
 * @param error    the loss a row's score is the mean of; null for the training loss
 */
public record Bundle(String engineVersion, AutoencoderSpec spec, List<String> featureNames, Dataset.Labels labels,
                     StandardScaler scaler, double threshold, ThresholdPolicy policy, TrainConfig config,
                     DataInfo data, TrainState state, String stopReason, Map<String, Object> metrics,
                     KnnComponent knn, Loss error) {

    public Bundle {
        featureNames = List.copyOf(featureNames);
        metrics = metrics == null ? Map.of() : metrics;
        if (featureNames.size() != spec.inputDim()) {
            throw new IllegalArgumentException("feature names do not match the input width");
        }
        if (knn != null && knn.features() != spec.inputDim()) {
            throw new IllegalArgumentException("nearest-neighbour rows do not match the input width");
        }
        error = error == spec.loss() ? null : error;
        if (error != null) {
            Objective.of(spec.output(), error);
        }
    }

    /** A bundle scored with its training loss. */
    public Bundle(String engineVersion, AutoencoderSpec spec, List<String> featureNames, Dataset.Labels labels,
                  StandardScaler scaler, double threshold, ThresholdPolicy policy, TrainConfig config, DataInfo data,
                  TrainState state, String stopReason, Map<String, Object> metrics, KnnComponent knn) {
        this(engineVersion, spec, featureNames, labels, scaler, threshold, policy, config, data, state, stopReason,
                metrics, knn, null);
    }

    /** A plain autoencoder's bundle. */
    public Bundle(String engineVersion, AutoencoderSpec spec, List<String> featureNames, Dataset.Labels labels,
                  StandardScaler scaler, double threshold, ThresholdPolicy policy, TrainConfig config, DataInfo data,
                  TrainState state, String stopReason, Map<String, Object> metrics) {
        this(engineVersion, spec, featureNames, labels, scaler, threshold, policy, config, data, state, stopReason,
                metrics, null, null);
    }

    public DetectorKind detector() {
        return knn == null ? DetectorKind.AE : DetectorKind.AE_KNN;
    }

    /**
     * The training data, as far as a bundle remembers it.
     *
     * @param image the images' shape where the rows were images (what sample and the report draw), else null
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DataInfo(String source, long rows, long anomalies, String fingerprint, boolean synthetic,
                           int fitRows, int valRows, int testRows,
                           @BundleHeader.MayBeNull @JsonInclude(JsonInclude.Include.NON_NULL) ImageShape image) {
        /** Tabular data. */
        public DataInfo(String source, long rows, long anomalies, String fingerprint, boolean synthetic, int fitRows,
                        int valRows, int testRows) {
            this(source, rows, anomalies, fingerprint, synthetic, fitRows, valRows, testRows, null);
        }
    }

    /** The loss a row's score is the mean of: the training loss unless the bundle says otherwise. */
    public Loss errorLoss() {
        return error != null ? error : spec.loss();
    }

    /** The output function and loss the scores are computed with. */
    public Objective errorObjective() {
        return Objective.of(spec.output(), errorLoss());
    }

    /** The parameters that score: those of the best validation epoch. */
    public float[] params() {
        return state.bestParams();
    }

    public Bundle withThreshold(double t, ThresholdPolicy p) {
        return new Bundle(engineVersion, spec, featureNames, labels, scaler, t, p, config, data, state, stopReason,
                metrics, knn, error);
    }

    public Bundle withError(Loss e) {
        return new Bundle(engineVersion, spec, featureNames, labels, scaler, threshold, policy, config, data, state,
                stopReason, metrics, knn, e);
    }

    public Bundle withMetrics(Map<String, Object> m) {
        return new Bundle(engineVersion, spec, featureNames, labels, scaler, threshold, policy, config, data, state,
                stopReason, m, knn, error);
    }

    public Bundle withKnn(KnnComponent k) {
        return new Bundle(engineVersion, spec, featureNames, labels, scaler, threshold, policy, config, data, state,
                stopReason, metrics, k, error);
    }
}
