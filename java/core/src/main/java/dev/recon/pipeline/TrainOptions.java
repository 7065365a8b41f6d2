package dev.recon.pipeline;

import dev.recon.eval.ThresholdPolicy;
import dev.recon.model.Activation;
import dev.recon.model.DetectorKind;
import dev.recon.model.Init;
import dev.recon.model.Loss;
import dev.recon.train.TrainConfig;

/**
 * What the user asked for; null means "the default for this data and detector" (see
 * {@link dev.recon.model.AutoencoderSpec#defaults}, {@link TrainConfig#defaultEpochs} and
 * {@link #initFor}).
 */
public record TrainOptions(int[] hidden, Integer latent, Activation activation, Loss loss, Integer epochs,
                           int batch, float lr, Integer patience, long seed, ThresholdPolicy threshold,
                           DetectorKind detector, Init init) {

    public static final long DEFAULT_SEED = 42;

    public TrainOptions {
        detector = detector == null ? DetectorKind.DEFAULT : detector;
    }

    /** The default detector. */
    public TrainOptions(int[] hidden, Integer latent, Activation activation, Loss loss, Integer epochs, int batch,
                        float lr, Integer patience, long seed, ThresholdPolicy threshold) {
        this(hidden, latent, activation, loss, epochs, batch, lr, patience, seed, threshold, DetectorKind.DEFAULT,
                null);
    }

    /**
     * The initialisation: the one asked for, else PyTorch's default for the plain autoencoder
     * (the reference's model, built as the reference builds it) and He for the default detector.
     */
    public Init initFor(DetectorKind kind) {
        return init != null ? init : kind == DetectorKind.AE ? Init.TORCH : TrainConfig.DEFAULT_INIT;
    }

    public static TrainOptions defaults() {
        return new TrainOptions(null, null, Activation.RELU, Loss.MSE, null, TrainConfig.DEFAULT_BATCH,
                TrainConfig.DEFAULT_LR, null, DEFAULT_SEED, ThresholdPolicy.DEFAULT, DetectorKind.DEFAULT, null);
    }

    public TrainOptions withEpochs(Integer e) {
        return new TrainOptions(hidden, latent, activation, loss, e, batch, lr, patience, seed, threshold, detector, init);
    }

    public TrainOptions withThreshold(ThresholdPolicy t) {
        return new TrainOptions(hidden, latent, activation, loss, epochs, batch, lr, patience, seed, t, detector, init);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(hidden, latent, activation, loss, epochs, batch, lr, patience, s, threshold, detector, init);
    }

    public TrainOptions withInit(Init i) {
        return new TrainOptions(hidden, latent, activation, loss, epochs, batch, lr, patience, seed, threshold, detector, i);
    }

    public TrainOptions withDetector(DetectorKind k) {
        return new TrainOptions(hidden, latent, activation, loss, epochs, batch, lr, patience, seed, threshold, k, init);
    }
}
