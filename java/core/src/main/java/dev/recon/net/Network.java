package dev.recon.net;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.ParameterLayout;

/**
 * The autoencoder executed on a {@link Backend}: one flat parameter buffer, one flat gradient
 * buffer at the same offsets, activations for up to {@link #maxRows()} rows. {@link #forward}
 * leaves every layer's output in place; {@link #backward} consumes them, so a backward pass
 * belongs to the forward pass just before it.
 */
public final class Network {
    private final Backend be;
    private final AutoencoderSpec spec;
    private final ParameterLayout layout;
    private final int maxRows;
    private final Buf params;
    private final Buf grads;
    private final Buf[] acts;
    private final Buf gradA;
    private final Buf gradB;
    private final Buf rowErr;

    public Network(Backend be, AutoencoderSpec spec, int maxRows) {
        this.be = be;
        this.spec = spec;
        this.layout = new ParameterLayout(spec);
        this.maxRows = maxRows;
        params = be.alloc(layout.size());
        grads = be.alloc(layout.size());
        acts = new Buf[layout.layers()];
        for (int l = 0; l < acts.length; l++) {
            acts[l] = be.alloc((long) maxRows * layout.out(l));
        }
        gradA = be.alloc((long) maxRows * layout.maxWidth());
        gradB = be.alloc((long) maxRows * layout.maxWidth());
        rowErr = be.alloc(maxRows);
    }

    public AutoencoderSpec spec() {
        return spec;
    }

    public ParameterLayout layout() {
        return layout;
    }

    public int maxRows() {
        return maxRows;
    }

    public Backend backend() {
        return be;
    }

    public Buf params() {
        return params;
    }

    public Buf grads() {
        return grads;
    }

    /** Per-row errors of the last {@link #backward} or {@link #errors}: (rows). */
    public Buf rowErrors() {
        return rowErr;
    }

    /** Output of layer {@code l}, (rows, out(l)); the latent code is layer {@code spec.latentLayer()}. */
    public Buf activation(int l) {
        return acts[l];
    }

    public void setParams(float[] p) {
        be.upload(params, 0, p, 0, layout.size());
    }

    public float[] downloadParams() {
        float[] p = new float[layout.size()];
        be.download(p, 0, params, 0, p.length);
        return p;
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
    public Buf forward(Buf X, int rows) {
        check(rows);
        Buf in = X;
        for (int l = 0; l < layout.layers(); l++) {
            int nIn = layout.in(l);
            int nOut = layout.out(l);
            // A_l (rows, out) = act_l(A_{l-1} (rows, in) . W_l^T + b_l), W_l is (out, in)
            be.denseForward(acts[l], in, params, layout.weight(l), params, layout.bias(l), rows, nOut, nIn,
                    spec.activation(l));
            in = acts[l];
        }
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
    public void backward(Buf X, int rows, int batchRows, boolean accumulate) {
        check(rows);
        int last = layout.layers() - 1;
        Buf dOut = gradA;
        Buf dIn = gradB;
        be.lossGradient(dOut, rowErr, acts[last], X, rows, spec.inputDim(), batchRows, spec.loss());
        // dZ_last = dA_last * act_last'(A_last): nothing to do for the linear output
        be.activationBackward(dOut, acts[last], rows, spec.inputDim(), spec.activation(last));
        for (int l = last; l >= 0; l--) {
            int nIn = layout.in(l);
            int nOut = layout.out(l);
            Buf aIn = l == 0 ? X : acts[l - 1];
            // here dOut is dZ_l: the gradient into layer l's affine map
            // db_l (out) = column sums of dZ_l (rows, out)
            be.biasGradient(grads, layout.bias(l), dOut, rows, nOut, accumulate);
            // dW_l (out, in) = dZ_l^T (out, rows) . A_{l-1} (rows, in), added on when accumulating
            be.gemm(grads, layout.weight(l), dOut, 0, true, aIn, 0, false, nOut, nIn, rows, 1f, accumulate ? 1f : 0f);
            if (l > 0) {
                // dZ_{l-1} (rows, in) = (dZ_l (rows, out) . W_l (out, in)) * act_{l-1}'(A_{l-1})
                be.denseInputGradient(dIn, dOut, params, layout.weight(l), acts[l - 1], rows, nOut, nIn,
                        spec.activation(l - 1));
                Buf t = dOut;
                dOut = dIn;
                dIn = t;
            }
        }
    }

    /** Per-row (and, with featErr not null, per-feature) errors of X: forward, then compare. */
    public Buf errors(Buf X, int rows, Buf featErr) {
        Buf y = forward(X, rows);
        be.reconstructionError(rowErr, featErr, y, X, rows, spec.inputDim(), spec.loss());
        return rowErr;
    }

    private void check(int rows) {
        if (rows < 1 || rows > maxRows) {
            throw new IllegalArgumentException("rows must be in [1, " + maxRows + "], got " + rows);
        }
    }
}
