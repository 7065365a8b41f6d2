package dev.recon.model;

/**
 * What the backends compute from the network's last, linear layer z and the input x: the
 * output function and the loss together, one fused operation per element. With a sigmoid
 * output the reconstruction is y = sigmoid(z); binary cross-entropy is then computed from the
 * logits, {@code max(z, 0) - z x + log(1 + e^-|z|)} with gradient {@code sigmoid(z) - x}, which
 * stays finite where y rounds to 0 or 1. The ordinal is the kernels' objective code.
 */
public enum Objective {
    /** y = z, (y - x)^2 */
    MSE(Activation.IDENTITY, Loss.MSE),
    /** y = z, |y - x| */
    MAE(Activation.IDENTITY, Loss.MAE),
    /** y = sigmoid(z), (y - x)^2 */
    SIGMOID_MSE(Activation.SIGMOID, Loss.MSE),
    /** y = sigmoid(z), |y - x| */
    SIGMOID_MAE(Activation.SIGMOID, Loss.MAE),
    /** y = sigmoid(z), binary cross-entropy from the logits */
    SIGMOID_BCE(Activation.SIGMOID, Loss.BCE);

    /** values() copies its array on every call: the training step asks for the objective without allocating. */
    private static final Objective[] ALL = values();

    private final Activation output;
    private final Loss loss;

    Objective(Activation output, Loss loss) {
        this.output = output;
        this.loss = loss;
    }

    public Activation output() {
        return output;
    }

    public Loss loss() {
        return loss;
    }

    /** True where the reconstruction is sigmoid(z) rather than z. */
    public boolean sigmoid() {
        return output == Activation.SIGMOID;
    }

    /** The kernels' code for it (0 to 4). */
    public int code() {
        return ordinal();
    }

    /** The objective of an output activation and a loss; binary cross-entropy needs the sigmoid output. */
    public static Objective of(Activation output, Loss loss) {
        for (Objective o : ALL) {
            if (o.output == output && o.loss == loss) {
                return o;
            }
        }
        throw new IllegalArgumentException(loss == Loss.BCE
                ? "the bce loss needs the sigmoid output (targets and reconstructions in [0, 1])"
                : "output activation " + output.id() + " is not one for a reconstruction (known: identity, sigmoid)");
    }
}
