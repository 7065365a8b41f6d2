package dev.recon.train;

/** Progress callbacks. {@link #onStep} runs in the hot loop: it must not allocate or block. */
public interface TrainListener {
    TrainListener NONE = new TrainListener() {
    };

    /** Called once before the first step with the epochs and steps this run will take at most. */
    default void onStart(int firstEpoch, int lastEpoch, int stepsPerEpoch, int trainRows) {
    }

    default void onStep(int epoch, int step) {
    }

    default void onEpoch(EpochStats stats, boolean best) {
    }
}
