package dev.recon.spark;

import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Init;
import dev.recon.model.Loss;
import dev.recon.train.TrainConfig;
import java.io.Serializable;

/**
 * What every training task needs to rebuild the network and its optimizer on an executor: the
 * plain autoencoder of {@code recon train --detector ae} (the reference's shape, PyTorch's
 * initialisation, Adam), as primitives that Spark can ship.
 */
record TrainSettings(int[] hidden, Integer latent, Loss loss, int epochs, int batch, float lr, int patience,
                     long seed, int threads) implements Serializable {

    AutoencoderSpec spec(int d) {
        return AutoencoderSpec.reference(d, hidden, latent, Activation.RELU, loss);
    }

    TrainConfig config() {
        return new TrainConfig(epochs, batch, lr, patience, seed, Init.TORCH);
    }
}
