package dev.recon.model;

/**
 * Where each layer's weights and bias sit in the one flat parameter buffer (and, at the
 * same offsets, in the gradient and optimizer buffers). Layer {@code l} maps width
 * {@code in(l)} to {@code out(l)}: its weight {@code W} is (out, in) row-major, then its bias
 * {@code b} is (out).
 */
public final class ParameterLayout {
    private final int[] widths;
    private final long[] weightOffset;
    private final long[] biasOffset;
    private final long size;

    public ParameterLayout(AutoencoderSpec spec) {
        this.widths = spec.widths();
        int layers = widths.length - 1;
        weightOffset = new long[layers];
        biasOffset = new long[layers];
        long off = 0;
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = off;
            off += (long) widths[l] * widths[l + 1];
            biasOffset[l] = off;
            off += widths[l + 1];
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
        return widths[l];
    }

    public int out(int l) {
        return widths[l + 1];
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
        for (int w : widths) {
            m = Math.max(m, w);
        }
        return m;
    }
}
