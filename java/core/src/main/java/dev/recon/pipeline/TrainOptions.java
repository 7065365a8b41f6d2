package dev.recon.pipeline;

import dev.recon.data.Dataset;
import dev.recon.eval.ThresholdPolicy;
import dev.recon.model.Activation;
import dev.recon.model.DetectorKind;
import dev.recon.model.Init;
import dev.recon.model.Loss;
import dev.recon.model.Vae;
import dev.recon.train.TrainConfig;

/**
 * What the user asked for; null means "the default for this data and detector" (see
 * {@link #forData}, {@link dev.recon.model.AutoencoderSpec#defaults}, {@link TrainConfig#defaultEpochs}
 * and {@link #initFor}).
 *
 * @param output the reconstruction's output activation: identity or sigmoid
 * @param error  the loss a row's score is the mean of (the scoring error); null for the data's default
 * @param vae    null for a plain autoencoder, else the variational autoencoder's settings
 */
public record TrainOptions(int[] hidden, Integer latent, Activation activation, Loss loss, Integer epochs,
                           int batch, float lr, Integer patience, long seed, ThresholdPolicy threshold,
                           DetectorKind detector, Init init, Activation output, Loss error, Vae vae) {

    public static final long DEFAULT_SEED = 42;

    /** Without an output activation of its own: the data's default. */
    public TrainOptions(int[] hidden, Integer latent, Activation activation, Loss loss, Integer epochs, int batch,
                        float lr, Integer patience, long seed, ThresholdPolicy threshold, DetectorKind detector,
                        Init init) {
        this(hidden, latent, activation, loss, epochs, batch, lr, patience, seed, threshold, detector, init, null, null,
                null);
    }

    /** The default detector. */
    public TrainOptions(int[] hidden, Integer latent, Activation activation, Loss loss, Integer epochs, int batch,
                        float lr, Integer patience, long seed, ThresholdPolicy threshold) {
        this(hidden, latent, activation, loss, epochs, batch, lr, patience, seed, threshold, null, null);
    }

    /**
     * The options with the data's defaults filled in. Tables: the ae-knn detector, a linear
     * reconstruction and MSE. Images (pixels in [0, 1]): the plain autoencoder with a sigmoid
     * output and binary cross-entropy, as the Keras image autoencoder Recon follows.
     */
    public TrainOptions forData(Dataset data) {
        boolean image = data.image() != null;
        DetectorKind k = detector != null ? detector : image ? DetectorKind.AE : DetectorKind.DEFAULT;
        Activation out = output != null ? output
                : loss == Loss.BCE || image && loss == null ? Activation.SIGMOID : Activation.IDENTITY;
        Loss l = loss != null ? loss : out == Activation.SIGMOID ? Loss.BCE : Loss.MSE;
        // binary cross-entropy's floor is each pixel's own entropy, larger for mid-grey images than for
        // dark ones, which ranks images by brightness; the seed scores by the mean absolute error instead
        Loss e = error != null ? error : image ? Loss.MAE : l;
        return new TrainOptions(hidden, latent, activation, l, epochs, batch, lr, patience, seed, threshold, k, init,
                out, e, vae);
    }

    /**
     * The initialisation: the one asked for, else PyTorch's default for the plain autoencoder
     * (the reference's model, built as the reference builds it) and He for the default detector.
     */
    public Init initFor(DetectorKind kind) {
        return init != null ? init : kind == DetectorKind.AE ? Init.TORCH : TrainConfig.DEFAULT_INIT;
    }

    public static TrainOptions defaults() {
        return new TrainOptions(null, null, Activation.RELU, null, null, TrainConfig.DEFAULT_BATCH,
                TrainConfig.DEFAULT_LR, null, DEFAULT_SEED, ThresholdPolicy.DEFAULT, null, null, null, null, null);
    }

    public TrainOptions withEpochs(Integer e) {
        return with(e, threshold, seed, detector);
    }

    public TrainOptions withThreshold(ThresholdPolicy t) {
        return with(epochs, t, seed, detector);
    }

    public TrainOptions withSeed(long s) {
        return with(epochs, threshold, s, detector);
    }

    public TrainOptions withDetector(DetectorKind k) {
        return with(epochs, threshold, seed, k);
    }

    private TrainOptions with(Integer e, ThresholdPolicy t, long s, DetectorKind k) {
        return new TrainOptions(hidden, latent, activation, loss, e, batch, lr, patience, s, t, k, init, output, error, vae);
    }
}
