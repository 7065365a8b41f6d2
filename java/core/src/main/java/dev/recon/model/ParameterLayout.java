package dev.recon.model;

/**
 * Where each layer's weights and bias sit in the one flat parameter buffer (and, at the
 * same offsets, in the gradient and optimizer buffers). Layer {@code l} maps width
 * {@code in(l)} to {@code out(l)}: its weight {@code W} is (out, in) row-major, then its bias
 * {@code b} is (out).
 */
public final class ParameterLayout {
    private final int[] ins;
    private final int[] outs;
    private final long[] weightOffset;
    private final long[] biasOffset;
    private final long size;

    /**
     * The layers of {@code spec}: {@code widths()} as a chain, except that a variational
     * autoencoder's latent layer is twice the latent width (means, then log-variances) while the
     * decoder's first layer reads the latent width.
     */
    public ParameterLayout(AutoencoderSpec spec) {
        int[] widths = spec.widths();
        int layers = widths.length - 1;
        ins = new int[layers];
        outs = new int[layers];
        for (int l = 0; l < layers; l++) {
            ins[l] = widths[l];
            outs[l] = widths[l + 1];
        }
        if (spec.variational()) {
            outs[spec.latentLayer()] = 2 * spec.latent();
        }
        weightOffset = new long[layers];
        biasOffset = new long[layers];
        long off = 0;
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = off;
            off += (long) ins[l] * outs[l];
            biasOffset[l] = off;
            off += outs[l];
        }
        size = off;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("model too large: " + size + " parameters");
        }
    }

    public int layers() {
        return weightOffset.length;
    }

    public int in(int l) {
        return ins[l];
    }

    public int out(int l) {
        return outs[l];
    }

    public long weight(int l) {
        return weightOffset[l];
    }

    public long bias(int l) {
        return biasOffset[l];
    }

    public int size() {
        return (int) size;
    }

    public int maxWidth() {
        int m = 0;
        for (int l = 0; l < ins.length; l++) {
            m = Math.max(m, Math.max(ins[l], outs[l]));
        }
        return m;
    }
}
