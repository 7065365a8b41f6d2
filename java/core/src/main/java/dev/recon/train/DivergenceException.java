package dev.recon.train;

import dev.recon.ReconException;

/**
 * The loss became NaN or infinite. Carries the state at the end of the last good epoch (null
 * when the first epoch already diverged) so that the caller can keep that model.
 */
public final class DivergenceException extends ReconException {
    private final transient TrainState lastGood;

    public DivergenceException(String message, TrainState lastGood) {
        super(message, false);
        this.lastGood = lastGood;
    }

    public TrainState lastGood() {
        return lastGood;
    }
}
