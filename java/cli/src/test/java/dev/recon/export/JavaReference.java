package dev.recon.export;

import dev.recon.backend.Buf;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.io.Bundle;
import dev.recon.net.Network;

/**
 * What the graph's extra outputs should hold, from Recon's own network: each row's plain
 * reconstruction error (under the bundle's scoring loss) and its reconstruction in raw units
 * (through the output function). (The score and flag are compared
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
        try (CpuBackend be = new CpuBackend(2)) {
            Network net = new Network(be, b.spec(), CHUNK);
            net.setParams(b.params());
            Buf x = be.alloc((long) CHUNK * d);
            for (int off = 0; off < rows; off += CHUNK) {
                int n = Math.min(CHUNK, rows - off);
                be.upload(x, 0, scaled, off * d, n * d);
                be.download(error, off, net.errors(x, n, null, b.errorObjective()), 0, n);
            }
            try (dev.recon.score.Detector det = dev.recon.score.Detector.of(b, be)) {
                System.arraycopy(det.reconstruct(raw, rows), 0, reconstruction, 0, rows * d);
            }
        }
    }
}
