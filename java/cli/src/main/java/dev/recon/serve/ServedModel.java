package dev.recon.serve;

import dev.recon.backend.Backends;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Fingerprint;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.ReconException;
import dev.recon.score.Contribution;
import dev.recon.score.Detector;
import dev.recon.score.Scores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One loaded bundle and its detector, counted while requests use it: a model swapped out by a
 * reload is closed when the last request that took it lets go, never under one.
 */
final class ServedModel {
    private static final int MAX_BATCH = 256;

    private final Path file;
    private final Bundle bundle;
    private final String sha256;
    private final Instant loadedAt;
    private final CpuBackend backend;
    private final Detector detector;
    private final MicroBatcher batcher;
    private final Map<String, Integer> index;
    private int users;
    private boolean retired;

    private ServedModel(Path file, Bundle bundle, String sha256, boolean microBatch) {
        this.file = file;
        this.bundle = bundle;
        this.sha256 = sha256;
        this.loadedAt = Instant.now();
        this.backend = CpuBackend.sharingCores(Backends.defaultThreads());
        this.detector = Detector.of(bundle, backend);
        this.batcher = microBatch ? new MicroBatcher(detector, MAX_BATCH, "recon-batcher-" + sha256.substring(0, 8)) : null;
        this.index = RequestRows.index(bundle.featureNames());
    }

    /**
     * Reads, checks and loads a bundle: the checksum and every header field (as every command
     * does), and one scored row (the training means) that must give a finite score.
     */
    static ServedModel load(Path modelOrDir, boolean microBatch) {
        Path file = BundleFormat.resolve(modelOrDir);
        // the bytes are read once: the checksum shown is of exactly the bytes decoded
        byte[] bytes = BundleFormat.bytes(file);
        Bundle b = BundleFormat.decode(file.toString(), bytes);
        ServedModel m = new ServedModel(file, b, HexFormat.of().formatHex(Fingerprint.sha256().digest(bytes)), microBatch);
        try {
            double s = m.detector.errors(m.typicalRow(), 1)[0];
            if (!Double.isFinite(s)) {
                throw ReconException.input(file + ": the model gives a score that is not a finite number to the mean "
                        + "training row; it cannot be served");
            }
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The training data's mean row, in raw units: the sample request of {@code GET /v1/model}. */
    float[] typicalRow() {
        double[] mean = bundle.scaler().mean();
        float[] row = new float[mean.length];
        for (int j = 0; j < row.length; j++) {
            row[j] = (float) mean[j];
        }
        return row;
    }

    /** Scores of raw rows; per-feature contributions only where {@code explain > 0}. */
    Scored score(float[] raw, int rows, int explain) {
        if (explain > 0) {
            Scores s = detector.score(raw, rows);
            Contribution[][] top = new Contribution[rows][];
            for (int r = 0; r < rows; r++) {
                top[r] = detector.topFeatures(s.featureErrors()[r], explain).toArray(new Contribution[0]);
            }
            return new Scored(s.errors(), s.anomalies(), top);
        }
        double[] e = rows == 1 && batcher != null ? new double[] {batcher.score(raw)} : detector.errors(raw, rows);
        boolean[] flags = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            flags[r] = detector.isAnomaly(e[r]);
        }
        return new Scored(e, flags, null);
    }

    /** Scores, flags and, where asked for, each row's top features. */
    record Scored(double[] scores, boolean[] flags, Contribution[][] top) {
        int flagged() {
            int n = 0;
            for (boolean f : flags) {
                n += f ? 1 : 0;
            }
            return n;
        }
    }

    synchronized boolean acquire() {
        if (retired) {
            return false;
        }
        users++;
        return true;
    }

    void release() {
        boolean close;
        synchronized (this) {
            users--;
            close = retired && users == 0;
        }
        if (close) {
            // not on this request's thread: its answer is not held up by the unloading
            Thread t = new Thread(this::close, "recon-unload-" + sha256.substring(0, 8));
            t.setDaemon(true);
            t.start();
        }
    }

    /** Taken out of service: closed now if no request holds it, else when the last one lets go. */
    void retire() {
        boolean close;
        synchronized (this) {
            retired = true;
            close = users == 0;
        }
        if (close) {
            close();
        }
    }

    private void close() {
        if (batcher != null) {
            batcher.close();
        }
        detector.close();
        backend.close();
    }

    Path file() {
        return file;
    }

    Bundle bundle() {
        return bundle;
    }

    Detector detector() {
        return detector;
    }

    List<String> features() {
        return bundle.featureNames();
    }

    Map<String, Integer> index() {
        return index;
    }

    /** SHA-256 of the bundle file's bytes, as {@code sha256sum} prints it. */
    String sha256() {
        return sha256;
    }

    Instant loadedAt() {
        return loadedAt;
    }

}
