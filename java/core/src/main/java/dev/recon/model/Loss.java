package dev.recon.model;

/**
 * Reconstruction losses. A row's error is the mean over its features of the per-feature
 * loss; the training loss is the mean of the row errors over the batch.
 */
public enum Loss implements Identified {
    /** (y - x)^2 */
    MSE,
    /** |y - x| */
    MAE,
    /** -(x log y + (1 - x) log(1 - y)), binary cross-entropy: targets in [0, 1], a sigmoid output. */
    BCE;

    public static Loss parse(String s) {
        return Ids.parse(values(), Loss::id, s, "unknown loss '%s' (known: mse, mae, bce)");
    }
}
