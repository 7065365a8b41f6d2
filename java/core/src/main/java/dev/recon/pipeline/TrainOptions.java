package dev.recon.pipeline;

import dev.recon.eval.ThresholdPolicy;
import dev.recon.model.Activation;
import dev.recon.model.Loss;
import dev.recon.train.TrainConfig;

/**
 * What the user asked for; null means "the default for this data" (see
 * {@link dev.recon.model.AutoencoderSpec#defaults} and {@link TrainConfig#defaultEpochs}).
 */
public record TrainOptions(int[] hidden, Integer latent, Activation activation, Loss loss, Integer epochs,
                           int batch, float lr, Integer patience, long seed, ThresholdPolicy threshold) {

    public static final long DEFAULT_SEED = 42;

    public static TrainOptions defaults() {
        return new TrainOptions(null, null, Activation.RELU, Loss.MSE, null, TrainConfig.DEFAULT_BATCH,
                TrainConfig.DEFAULT_LR, null, DEFAULT_SEED, ThresholdPolicy.DEFAULT);
    }


    public TrainOptions withEpochs(Integer e) {
        return new TrainOptions(hidden, latent, activation, loss, e, batch, lr, patience, seed, threshold);
    }


    public TrainOptions withThreshold(ThresholdPolicy t) {
        return new TrainOptions(hidden, latent, activation, loss, epochs, batch, lr, patience, seed, t);
    }
}
