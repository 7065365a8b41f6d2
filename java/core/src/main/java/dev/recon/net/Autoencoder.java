package dev.recon.net;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.backend.IntBuf;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Objective;
import dev.recon.model.ParameterLayout;

/**
 * A network the trainer and the detector drive: the plain autoencoder ({@link Network}) or the
 * variational one ({@link VaeNetwork}). Parameters and gradients are flat buffers at
 * {@link #layout()}'s offsets; a backward pass belongs to the forward pass just before it.
 */
public interface Autoencoder {
    /** The network {@code spec} describes, for up to {@code maxRows} rows a pass. */
    static Autoencoder of(Backend be, AutoencoderSpec spec, int maxRows) {
        return spec.variational() ? new VaeNetwork(be, spec, maxRows) : new Network(be, spec, maxRows);
    }

    AutoencoderSpec spec();

    ParameterLayout layout();

    int maxRows();

    Buf params();

    Buf grads();

    void setParams(float[] p);

    float[] downloadParams();

    /** The last layer's output for X (rows, d): the reconstruction, or its logits under a sigmoid objective. */
    Buf forward(Buf X, int rows);

    /**
     * {@link #forward} of the part of a minibatch that starts at row {@code rowOffset}: a VAE
     * draws each part's own noise.
     */
    default Buf forwardPart(Buf X, int rows, int rowOffset) {
        return forward(X, rows);
    }

    /**
     * The gradients of the mean training loss over a minibatch of {@code batchRows} rows of
     * which this pass holds {@code rows}, after {@link #forward} of the same X; added to those of
     * the parts before with {@code accumulate}.
     */
    void backward(Buf X, int rows, int batchRows, boolean accumulate);

    /**
     * The last layer's output for X without noise (a VAE decodes its means): the reconstruction,
     * or its logits under a sigmoid objective.
     */
    Buf reconstruct(Buf X, int rows);

    /** The decoder alone, for latent codes (rows, latent) given on the host: the last layer's output. */
    Buf decode(float[] codes, int rows);

    /** Per-row (and, with featErr not null, per-feature) errors of X under {@code objective}. */
    Buf errors(Buf X, int rows, Buf featErr, Objective objective);

    /**
     * acc[0] += the training loss of each row of the last {@link #backward} or
     * {@link #validationLoss}, summed.
     */
    void addLoss(Buf acc, int rows);

    /** The training loss of each row of X without noise (the validation loss), for {@link #addLoss}. */
    void validationLoss(Buf X, int rows);

    /** The latent codes of X: (rows, {@link #latentStride()}) with the code in the first latent columns. */
    Buf latentCodes(Buf X, int rows);

    /** Floats from one row's latent code to the next's in {@link #latentCodes}. */
    int latentStride();

    /** Where a training step reads its step number from (the VAE's noise): the trainer's counter. */
    default void useStepCounter(IntBuf step, long seed) {
    }

    /** The KL term's weight this epoch (a VAE's warm-up); plain autoencoders have none. */
    default void setKlWeight(double w) {
    }
}
