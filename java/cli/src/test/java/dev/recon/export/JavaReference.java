package dev.recon.export;

import dev.recon.backend.Buf;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.io.Bundle;
import dev.recon.net.Network;

/**
 * What the graph's extra outputs should hold, from Recon's own network: each row's plain
 * reconstruction error and its reconstruction in raw units. (The score and flag are compared
 * with {@link dev.recon.score.Detector} itself.)
 */
final class JavaReference {
    private static final int CHUNK = 4096;

    final float[] error;
    /** (rows, d) row-major, raw units. */
    final float[] reconstruction;

    JavaReference(Bundle b, float[] raw, int rows) {
        int d = b.spec().inputDim();
        error = new float[rows];
        reconstruction = new float[rows * d];
        float[] scaled = b.scaler().transform(raw, rows);
        double[] mean = b.scaler().mean();
        double[] scale = b.scaler().scale();
        try (CpuBackend be = new CpuBackend(2)) {
            Network net = new Network(be, b.spec(), CHUNK);
            net.setParams(b.params());
            Buf x = be.alloc((long) CHUNK * d);
            for (int off = 0; off < rows; off += CHUNK) {
                int n = Math.min(CHUNK, rows - off);
                be.upload(x, 0, scaled, off * d, n * d);
                be.download(reconstruction, off * d, net.forward(x, n), 0, n * d);
                be.download(error, off, net.errors(x, n, null), 0, n);
            }
        }
        for (int i = 0; i < reconstruction.length; i++) {
            reconstruction[i] = (float) (reconstruction[i] * scale[i % d] + mean[i % d]);
        }
    }
}
