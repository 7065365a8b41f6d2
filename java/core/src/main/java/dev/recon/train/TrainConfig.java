package dev.recon.train;

import dev.recon.model.Init;

/**
 * Optimisation settings. Adam's constants follow PyTorch's defaults. {@code patience} 0 turns
 * early stopping off.
 */
public record TrainConfig(int epochs, int batch, float lr, int patience, long seed,
                          float beta1, float beta2, float eps, Init init) {

    public static final int REFERENCE_EPOCHS = 20;
    public static final int DEFAULT_BATCH = 256;
    public static final float DEFAULT_LR = 1e-3f;
    /** Fewer optimizer steps than this underfit: small data sets get more epochs by default. */
    public static final int MIN_DEFAULT_STEPS = 800;
    public static final int MAX_DEFAULT_EPOCHS = 500;
    public static final Init DEFAULT_INIT = Init.HE;

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        if (!(lr > 0f) || Float.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("--patience must be 0 (off) or more, got " + patience);
        }
        if (init == null) {
            throw new IllegalArgumentException("no initialisation given");
        }
    }

    public TrainConfig(int epochs, int batch, float lr, int patience, long seed) {
        this(epochs, batch, lr, patience, seed, 0.9f, 0.999f, 1e-8f, DEFAULT_INIT);
    }

    public TrainConfig(int epochs, int batch, float lr, int patience, long seed, Init init) {
        this(epochs, batch, lr, patience, seed, 0.9f, 0.999f, 1e-8f, init);
    }

    /**
     * The reference's 20 epochs where that gives at least {@link #MIN_DEFAULT_STEPS} optimizer
     * steps; otherwise as many epochs as reach that, up to {@link #MAX_DEFAULT_EPOCHS}.
     */
    public static int defaultEpochs(int trainRows, int batch) {
        int stepsPerEpoch = Math.max(1, (trainRows + batch - 1) / batch);
        int needed = (MIN_DEFAULT_STEPS + stepsPerEpoch - 1) / stepsPerEpoch;
        return Math.max(REFERENCE_EPOCHS, Math.min(MAX_DEFAULT_EPOCHS, needed));
    }

    /** Early stopping waits this long by default: long enough not to cut the reference's 20 epochs short on noise. */
    public static int defaultPatience(int epochs) {
        return Math.max(5, epochs / 10);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batch, lr, patience, seed, beta1, beta2, eps, init);
    }
}
