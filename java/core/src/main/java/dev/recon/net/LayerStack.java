package dev.recon.net;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.ParameterLayout;

/**
 * What both autoencoders hold on a {@link Backend}: one flat parameter buffer, one flat gradient
 * buffer at the same offsets, each layer's output and the gradient into its affine map for up to
 * {@link #maxRows()} rows, and the per-row errors.
 */
abstract class LayerStack implements Autoencoder {
    final Backend be;
    final AutoencoderSpec spec;
    final ParameterLayout layout;
    final int maxRows;
    final Buf params;
    final Buf grads;
    final Buf[] acts;
    final Buf[] dZ;
    final Activation[] act;
    final Buf rowErr;

    LayerStack(Backend be, AutoencoderSpec spec, int maxRows) {
        this.be = be;
        this.spec = spec;
        this.layout = new ParameterLayout(spec);
        this.maxRows = maxRows;
        params = be.alloc(layout.size());
        grads = be.alloc(layout.size());
        acts = new Buf[layout.layers()];
        dZ = new Buf[layout.layers()];
        act = new Activation[layout.layers()];
        for (int l = 0; l < acts.length; l++) {
            acts[l] = be.alloc((long) maxRows * layout.out(l));
            dZ[l] = be.alloc((long) maxRows * layout.out(l));
            act[l] = spec.activation(l);
        }
        rowErr = be.alloc(maxRows);
    }

    @Override
    public AutoencoderSpec spec() {
        return spec;
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public int maxRows() {
        return maxRows;
    }

    @Override
    public Buf params() {
        return params;
    }

    @Override
    public Buf grads() {
        return grads;
    }

    @Override
    public void setParams(float[] p) {
        be.upload(params, 0, p, 0, layout.size());
    }

    @Override
    public float[] downloadParams() {
        float[] p = new float[layout.size()];
        be.download(p, 0, params, 0, p.length);
        return p;
    }

    /** Per-row errors of the last backward pass or errors call: (rows). */
    public Buf rowErrors() {
        return rowErr;
    }

    /** Layers [from, to) one dense operation each, from {@code in}; returns the last one's output. */
    Buf layers(int from, int to, Buf in, int rows) {
        for (int l = from; l < to; l++) {
            be.denseForward(acts[l], in, params, layout.weight(l), params, layout.bias(l), rows, layout.out(l),
                    layout.in(l), act[l]);
            in = acts[l];
        }
        return in;
    }

    void check(int rows) {
        if (rows < 1 || rows > maxRows) {
            throw new IllegalArgumentException("rows must be in [1, " + maxRows + "], got " + rows);
        }
    }
}
