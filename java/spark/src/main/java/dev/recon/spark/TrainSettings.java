package dev.recon.spark;

import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.DetectorKind;
import dev.recon.model.Init;
import dev.recon.model.Loss;
import dev.recon.train.TrainConfig;
import java.io.Serializable;

/**
 * What every training task needs to rebuild the network and its optimizer on an executor, as
 * {@code recon train} builds them: for {@code --detector ae} the reference's shape and PyTorch's
 * initialisation, for the default detector Recon's shape and He's; Adam either way. Primitives
 * that Spark can ship.
 */
record TrainSettings(DetectorKind detector, int[] hidden, Integer latent, Loss loss, int epochs, int batch, float lr,
                     int patience, long seed, int threads) implements Serializable {

    AutoencoderSpec spec(int d) {
        return detector == DetectorKind.AE ? AutoencoderSpec.reference(d, hidden, latent, Activation.RELU, loss)
                : AutoencoderSpec.defaults(d, hidden, latent, Activation.RELU, loss);
    }

    TrainConfig config() {
        return new TrainConfig(epochs, batch, lr, patience, seed,
                detector == DetectorKind.AE ? Init.TORCH : TrainConfig.DEFAULT_INIT);
    }
}
