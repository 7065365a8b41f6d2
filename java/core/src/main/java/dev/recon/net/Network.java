package dev.recon.net;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.model.AutoencoderSpec;

/**
 * The autoencoder executed on a {@link Backend}: one flat parameter buffer, one flat gradient
 * buffer at the same offsets, activations for up to {@link #maxRows()} rows. {@link #forward}
 * leaves every layer's output in place; {@link #backward} consumes them, so a backward pass
 * belongs to the forward pass just before it.
 */
public final class Network extends LayerStack {
    public Network(Backend be, AutoencoderSpec spec, int maxRows) {
        super(be, spec, maxRows);
        be.prepareNetwork(layout, act, maxRows);
    }

    /**
     * Output of layer {@code l} after {@link #forward}, (rows, out(l)); the latent code is layer
     * {@code spec.latentLayer()}. ({@link #errors} need not store the layers' outputs.)
     */
    public Buf activation(int l) {
        return acts[l];
    }

    public float[] downloadGrads() {
        float[] g = new float[layout.size()];
        be.download(g, 0, grads, 0, g.length);
        return g;
    }

    /**
     * Reconstruction of X. X is (rows, d) at offset 0 of its buffer; returns the output buffer,
     * (rows, d). Layer l: A_l = act_l(A_{l-1} W_l^T + b_l), with W_l (out, in).
     */
    @Override
    public Buf forward(Buf X, int rows) {
        check(rows);
        be.networkForward(acts, X, params, layout, act, rows);
        return acts[acts.length - 1];
    }

    /**
     * Gradients of the mean loss over the batch with respect to every parameter, into
     * {@link #grads()}, and the per-row errors into {@link #rowErrors()}. Needs the
     * {@link #forward} of the same X just before.
     */
    public void backward(Buf X, int rows) {
        backward(X, rows, rows, false);
    }

    /**
     * The backward pass of one part of a minibatch of {@code batchRows} rows: the loss is
     * normalised by the whole minibatch, and with {@code accumulate} the gradients are added to
     * those of the parts before (whose sums this part continues, in row order).
     */
    @Override
    public void backward(Buf X, int rows, int batchRows, boolean accumulate) {
        check(rows);
        // dZ_l, the gradient into each layer's affine map, from the loss down through the activations
        be.networkBackward(dZ, rowErr, X, acts, params, layout, act, spec.objective(), rows, batchRows);
        // db_l = column sums of dZ_l; dW_l (out, in) = dZ_l^T (out, rows) . A_{l-1} (rows, in)
        be.networkWeightGradients(grads, X, acts, dZ, layout, rows, accumulate);
    }

    /** Per-row (and, with featErr not null, per-feature) errors of X: forward, then compare. */
    public Buf errors(Buf X, int rows, Buf featErr) {
        return errors(X, rows, featErr, spec.objective());
    }

    /** {@link #errors(Buf, int, Buf)} under another objective of the same output (a scoring error). */
    @Override
    public Buf errors(Buf X, int rows, Buf featErr, dev.recon.model.Objective objective) {
        check(rows);
        be.networkErrors(rowErr, featErr, X, acts, params, layout, act, objective, rows);
        return rowErr;
    }

    @Override
    public Buf reconstruct(Buf X, int rows) {
        return forward(X, rows);
    }

    @Override
    public Buf decode(float[] codes, int rows) {
        check(rows);
        int e = spec.latentLayer();
        be.upload(acts[e], 0, codes, 0, rows * spec.latent());
        return layers(e + 1, layout.layers(), acts[e], rows);
    }

    @Override
    public void addLoss(Buf acc, int rows) {
        be.accumulateSum(acc, 0, rowErr, rows);
    }

    @Override
    public void validationLoss(Buf X, int rows) {
        errors(X, rows, null);
    }

    @Override
    public Buf latentCodes(Buf X, int rows) {
        forward(X, rows);
        return acts[spec.latentLayer()];
    }

    @Override
    public int latentStride() {
        return spec.latent();
    }

}
