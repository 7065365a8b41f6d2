package dev.recon.model;

import java.util.Arrays;

/**
 * The shape of a symmetric MLP autoencoder: {@code input -> hidden... -> latent -> reversed
 * hidden... -> input}. Hidden layers use {@link #hiddenActivation}; the latent code and the last
 * layer are linear (as in the reference project), and {@link #output} is applied to the last
 * layer with the loss, as one {@link Objective}: identity, or a sigmoid for data in [0, 1].
 * With {@link #vae} not null the network is a variational autoencoder: its latent layer is
 * twice as wide (means, then log-variances) and the decoder reads a sample of the latent width.
 */
public record AutoencoderSpec(int inputDim, int[] hidden, int latent, Activation hiddenActivation, Loss loss,
                              Activation output, Vae vae) {

    public static final int[] REFERENCE_HIDDEN = {128, 64};
    public static final int REFERENCE_LATENT = 16;

    /** A network with a linear reconstruction. */
    public AutoencoderSpec(int inputDim, int[] hidden, int latent, Activation hiddenActivation, Loss loss) {
        this(inputDim, hidden, latent, hiddenActivation, loss, Activation.IDENTITY);
    }

    /** A plain (not variational) autoencoder. */
    public AutoencoderSpec(int inputDim, int[] hidden, int latent, Activation hiddenActivation, Loss loss,
                           Activation output) {
        this(inputDim, hidden, latent, hiddenActivation, loss, output, null);
    }

    /** The same network, variational with {@code v} (or plain where v is null). */
    public AutoencoderSpec withVae(Vae v) {
        return new AutoencoderSpec(inputDim, hidden, latent, hiddenActivation, loss, output, v);
    }

    public boolean variational() {
        return vae != null;
    }

    public AutoencoderSpec {
        hidden = hidden.clone();
        if (hiddenActivation == Activation.SIGMOID) {
            throw new IllegalArgumentException("hidden layers take relu or identity; sigmoid is an output activation");
        }
        Objective.of(output, loss);
        if (inputDim < 1) {
            throw new IllegalArgumentException("input needs at least one feature");
        }
        if (latent < 1) {
            throw new IllegalArgumentException("latent size must be at least 1, got " + latent);
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden widths must be at least 1, got " + Arrays.toString(hidden));
            }
        }
    }

    /**
     * The reference architecture (hidden 128,64, latent 16) where the input is wide enough,
     * scaled down where it is not: a latent layer as wide as the input could learn the
     * identity and reconstruct anomalies as well as normals. Explicit widths win over these.
     */
    public static AutoencoderSpec defaults(int inputDim, int[] hiddenOrNull, Integer latentOrNull,
                                           Activation act, Loss loss) {
        return defaults(inputDim, hiddenOrNull, latentOrNull, act, loss, Activation.IDENTITY);
    }

    /** {@link #defaults(int, int[], Integer, Activation, Loss)} with an output activation. */
    public static AutoencoderSpec defaults(int inputDim, int[] hiddenOrNull, Integer latentOrNull,
                                           Activation act, Loss loss, Activation output) {
        int latent = latentOrNull != null ? latentOrNull : defaultLatent(inputDim);
        int[] hidden = hiddenOrNull != null ? hiddenOrNull : defaultHidden(inputDim, latent);
        return new AutoencoderSpec(inputDim, hidden, latent, act, loss, output);
    }

    /** The image autoencoder's hidden width and latent size (784-128-32-128-784 on 28x28 images). */
    public static final int[] IMAGE_HIDDEN = {128};
    public static final int IMAGE_LATENT = 32;

    /**
     * The Keras image autoencoder's shape for images of any size: one hidden layer of 128 and a
     * latent code of 32 (at most the input width less one). Explicit widths win.
     */
    public static AutoencoderSpec image(int inputDim, int[] hiddenOrNull, Integer latentOrNull, Activation act,
                                        Loss loss, Activation output) {
        int latent = latentOrNull != null ? latentOrNull : Math.max(1, Math.min(IMAGE_LATENT, inputDim - 1));
        int[] hidden = hiddenOrNull != null ? hiddenOrNull : IMAGE_HIDDEN.clone();
        return new AutoencoderSpec(inputDim, hidden, latent, act, loss, output);
    }

    /**
     * The reference project's shape on any width: hidden 128,64 and latent {@code min(16, d - 1)}
     * (at least 1), as its re-implementation in {@code ../shared/peers} builds it. Explicit
     * widths win.
     */
    public static AutoencoderSpec reference(int inputDim, int[] hiddenOrNull, Integer latentOrNull, Activation act,
                                            Loss loss) {
        return reference(inputDim, hiddenOrNull, latentOrNull, act, loss, Activation.IDENTITY);
    }

    /** {@link #reference(int, int[], Integer, Activation, Loss)} with an output activation. */
    public static AutoencoderSpec reference(int inputDim, int[] hiddenOrNull, Integer latentOrNull, Activation act,
                                            Loss loss, Activation output) {
        int latent = latentOrNull != null ? latentOrNull : Math.max(1, Math.min(REFERENCE_LATENT, inputDim - 1));
        int[] hidden = hiddenOrNull != null ? hiddenOrNull : REFERENCE_HIDDEN.clone();
        return new AutoencoderSpec(inputDim, hidden, latent, act, loss, output);
    }

    static int defaultLatent(int d) {
        if (d <= 1) {
            return 1;
        }
        int latent = (int) Math.ceil(0.55 * d);
        return Math.max(1, Math.min(Math.min(REFERENCE_LATENT, latent), d - 1));
    }

    static int[] defaultHidden(int d, int latent) {
        int h1 = Math.min(REFERENCE_HIDDEN[0], Math.max(16, 8 * d));
        int h2 = Math.min(REFERENCE_HIDDEN[1], Math.max(8, 4 * d));
        return new int[] {Math.max(h1, latent), Math.max(h2, latent)};
    }

    /** Layer widths from input to output: {@code [d, h1, .., latent, .., h1, d]}. */
    public int[] widths() {
        int n = hidden.length;
        int[] w = new int[2 * n + 3];
        w[0] = inputDim;
        for (int i = 0; i < n; i++) {
            w[1 + i] = hidden[i];
            w[w.length - 2 - i] = hidden[i];
        }
        w[n + 1] = latent;
        w[w.length - 1] = inputDim;
        return w;
    }

    public int layers() {
        return 2 * hidden.length + 2;
    }

    /** Activation after layer {@code l} (0-based). */
    public Activation activation(int l) {
        int latentLayer = hidden.length;
        return (l == latentLayer || l == layers() - 1) ? Activation.IDENTITY : hiddenActivation;
    }

    /** The output function and loss the backends apply to the last layer. */
    public Objective objective() {
        return Objective.of(output, loss);
    }

    /** Index of the layer whose output is the latent code. */
    public int latentLayer() {
        return hidden.length;
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        int[] w = widths();
        for (int i = 0; i < w.length; i++) {
            sb.append(i == 0 ? "" : "-").append(w[i]);
        }
        return (vae == null ? "" : "VAE ") + sb + " " + hiddenActivation.id()
                + (output == Activation.IDENTITY ? "" : ", " + output.id() + " output") + ", " + loss.id()
                + (vae == null ? "" : ", beta " + vae.beta());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AutoencoderSpec s && s.inputDim == inputDim && Arrays.equals(s.hidden, hidden)
                && s.latent == latent && s.hiddenActivation == hiddenActivation && s.loss == loss && s.output == output
                && java.util.Objects.equals(s.vae, vae);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * inputDim + Arrays.hashCode(hidden)) + latent;
    }

    @Override
    public String toString() {
        return describe();
    }
}
