package dev.recon.train;

import java.util.List;

/**
 * Everything needed to continue training exactly where it stopped: the last parameters and
 * Adam's moments, the step counter, and the early-stopping bookkeeping. Saved in the bundle,
 * so that train, save, load, resume gives the same model, bit for bit, as training straight
 * through.
 */
public record TrainState(int epochsDone, long steps, float[] params, float[] adamM, float[] adamV,
                         float[] bestParams, int bestEpoch, double bestValLoss, int epochsWithoutGain,
                         List<EpochStats> history) {

    public TrainState {
        history = List.copyOf(history);
    }
}
