package dev.recon.cli;

import dev.recon.eval.ThresholdPolicy;
import dev.recon.model.Activation;
import dev.recon.model.DetectorKind;
import dev.recon.model.Init;
import dev.recon.model.Loss;
import dev.recon.model.Vae;
import dev.recon.pipeline.TrainOptions;
import java.util.List;
import picocli.CommandLine.Option;

/** The architecture and optimisation options of train and demo. */
final class ModelOptions {
    @Option(names = "--hidden", paramLabel = "W,W", split = ",",
            description = "Encoder hidden widths; the decoder mirrors them (default: 128,64, scaled down for narrow data; "
                    + "128,64 with --detector ae).")
    List<Integer> hidden;

    @Option(names = "--latent", paramLabel = "N",
            description = "Latent width (default: 16, or about half the feature count for narrow data; min(16, features - 1) "
                    + "with --detector ae).")
    Integer latent;

    @Option(names = "--activation", paramLabel = "relu", defaultValue = "relu",
            description = "Hidden activation (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--loss", paramLabel = "mse|mae|bce",
            description = "Reconstruction loss; bce (binary cross-entropy) needs the sigmoid output and values in [0, 1] "
                    + "(default: mse for tables, bce for images).")
    String loss;

    @Option(names = "--output", paramLabel = "identity|sigmoid",
            description = "The reconstruction's output activation; sigmoid keeps it in [0, 1], for images "
                    + "(default: identity for tables, sigmoid for images and with --loss bce).")
    String output;

    @Option(names = "--error", paramLabel = "mse|mae|bce",
            description = "The score: the mean of this loss over a row's features, which may differ from the training "
                    + "loss (default: the training loss for tables; mae for images, as binary cross-entropy ranks "
                    + "images by brightness).")
    String error;

    @Option(names = "--kind", paramLabel = "ae|vae", defaultValue = "ae",
            description = "ae (default): an autoencoder; vae: a variational autoencoder (mean and log-variance codes, "
                    + "a sampled latent, a KL term).")
    String kind;

    @Option(names = "--beta", paramLabel = "B", defaultValue = "1",
            description = "VAE: the KL term's weight (default: ${DEFAULT-VALUE}, the ELBO).")
    double beta;

    @Option(names = "--kl-warmup", paramLabel = "EPOCHS", defaultValue = "0",
            description = "VAE: raise the KL weight linearly from 0 to --beta over this many epochs (default: none).")
    int klWarmup;

    @Option(names = "--score", paramLabel = "recon|elbo", defaultValue = "recon",
            description = "VAE: score rows by the reconstruction error of the decoded mean (recon, default) or by the "
                    + "negative ELBO over --samples draws (elbo).")
    String score;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "16",
            description = "VAE with --score elbo: seeded draws per row (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs (default: 20; more for small data sets, to reach 800 optimizer steps).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "256", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--patience", paramLabel = "N",
            description = "Stop after N epochs without validation gain; 0 = never (default: max(5, epochs/10)).")
    Integer patience;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed for split, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--init", paramLabel = "he|torch",
            description = "Initial weights: he (He-normal weights, zero biases) or torch (PyTorch's default for nn.Linear: "
                    + "weights and biases uniform in +-1/sqrt(fan_in)) (default: he; torch with --detector ae).")
    String init;

    @Option(names = "--detector", paramLabel = "ae-knn|ae",
            description = "ae-knn (default for tables): the autoencoder's error plus the distance to the 5th nearest of up "
                    + "to 20,000 training normals kept in the bundle; ae (default for images): the autoencoder alone "
                    + "(for tables the reference project's: hidden 128,64, latent min(16, features - 1), PyTorch's "
                    + "initialisation; no training rows in the bundle).")
    String detector;

    @Option(names = "--threshold", paramLabel = "POLICY",
            description = "best-f1 | val-quantile:Q | fpr:F | mean-std:K (default: val-quantile:0.995).")
    String threshold;

    TrainOptions toOptions() {
        if (activation.equalsIgnoreCase("identity")) {
            throw new IllegalArgumentException("--activation identity would make the model linear; use relu");
        }
        int[] h = null;
        if (hidden != null) {
            h = hidden.stream().mapToInt(Integer::intValue).toArray();
            for (int w : h) {
                if (w < 1) {
                    throw new IllegalArgumentException("--hidden: every width must be at least 1, got " + hidden);
                }
            }
        }
        if (latent != null && latent < 1) {
            throw new IllegalArgumentException("--latent must be at least 1, got " + latent);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        if (epochs != null && epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (!(lr > 0) || Float.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }
        if (patience != null && patience < 0) {
            throw new IllegalArgumentException("--patience must be 0 (off) or more, got " + patience);
        }
        Loss l = loss == null ? null : Loss.parse(loss);
        Activation out = null;
        if (output != null) {
            out = Activation.parse(output);
            if (out == Activation.RELU) {
                throw new IllegalArgumentException("--output: expected identity or sigmoid, got '" + output + "'");
            }
            if (l == Loss.BCE && out != Activation.SIGMOID) {
                throw new IllegalArgumentException("--loss bce needs --output sigmoid (binary cross-entropy compares "
                        + "values in [0, 1])");
            }
        }
        if (Activation.parse(activation) == Activation.SIGMOID) {
            throw new IllegalArgumentException("--activation sigmoid: hidden layers take relu; sigmoid is an --output");
        }
        Vae vae = null;
        if (kind.equalsIgnoreCase("vae")) {
            vae = new Vae(beta, klWarmup, Vae.Score.parse(score), samples);
        } else if (!kind.equalsIgnoreCase("ae")) {
            throw new IllegalArgumentException("--kind: expected ae or vae, got '" + kind + "'");
        }
        return new TrainOptions(h, latent, Activation.parse(activation), l, epochs, batch, lr, patience, seed,
                threshold == null ? ThresholdPolicy.DEFAULT : ThresholdPolicy.parse(threshold),
                detector == null ? null : DetectorKind.parse(detector), init == null ? null : Init.parse(init), out,
                error == null ? null : Loss.parse(error), vae);
    }

}
