package dev.recon.score;

import dev.recon.ReconException;
import dev.recon.Rng;
import dev.recon.backend.Backend;
import dev.recon.backend.Backends;
import dev.recon.backend.Buf;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.model.Vae;
import dev.recon.net.Autoencoder;
import dev.recon.net.VaeNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The public inference API: a trained model, its scaler and its threshold. Give it raw rows
 * (the columns of the training data, unscaled, in the order of {@link #features()}) and it
 * returns each row's anomaly score, whether that crosses the threshold, and which features the
 * model failed to reconstruct. The score is the reconstruction error for the plain autoencoder
 * ({@code ae}); for the default {@code ae-knn} detector it combines that error with the
 * distance to the nearest training normals ({@link dev.recon.model.KnnComponent}), computed
 * on the CPU whatever the backend.
 *
 * <pre>{@code
 * try (Detector d = Detector.load(Path.of("models/creditcard-subset/model.recon"))) {
 *     Scores s = d.score(new float[][] {row});
 *     if (s.anomalies()[0]) System.out.println(d.explain(row, 3));
 * }
 * }</pre>
 *
 * Thread-safe: one Detector may be shared by any number of threads. Scoring calls take turns on
 * its one network and its backend's one team of worker threads (on the CPU backend they share
 * each call's work), so N callers never start N teams of threads, and every call gives the same
 * bits as it would alone. A Detector on a GPU backend serves the thread that opened the backend
 * (the CUDA context is confined to it).
 */
public final class Detector implements AnomalyScorer, AutoCloseable {
    private static final int CHUNK = 4096;

    private final Bundle bundle;
    private final Backend be;
    private final boolean ownsBackend;
    private final Autoencoder net;
    /** The nearest-neighbour part of the score; null for the plain autoencoder. */
    private final NearestNeighbours knn;
    /** Its threads: as many as the CPU backend's (all cores beside a GPU); null without it. */
    private final java.util.concurrent.ForkJoinPool knnThreads;
    private final Buf xb;
    private final Buf featErr;
    private final float[] rowErrHost = new float[CHUNK];
    private final float[] featHost;
    /** One chunk of scaled rows on the host, on its way to the backend. */
    private final float[] scaled;
    /** A VAE scored by its negative ELBO, and its KL terms on the host. */
    private final boolean elbo;
    private final float[] klHost;

    private Detector(Bundle bundle, Backend be, boolean ownsBackend) {
        this.bundle = bundle;
        this.be = be;
        this.ownsBackend = ownsBackend;
        int d = bundle.spec().inputDim();
        this.net = Autoencoder.of(be, bundle.spec(), CHUNK);
        net.setParams(bundle.params());
        this.knn = bundle.knn() == null ? null : new NearestNeighbours(bundle.knn().reference(), bundle.knn().rows(), d,
                bundle.knn().k());
        this.knnThreads = knn == null ? null : new java.util.concurrent.ForkJoinPool(neighbourThreads(be));
        this.xb = be.alloc((long) CHUNK * d);
        this.featErr = be.alloc((long) CHUNK * d);
        this.featHost = new float[CHUNK * d];
        this.scaled = new float[CHUNK * d];
        this.elbo = bundle.spec().variational() && bundle.spec().vae().score() == Vae.Score.ELBO;
        this.klHost = elbo ? new float[CHUNK] : null;
    }

    /** Loads a bundle file (or a run folder holding {@code model.recon}) to score on the CPU. */
    public static Detector load(Path modelOrDir) {
        return new Detector(BundleFormat.read(modelOrDir), Backends.cpu(Backends.defaultThreads()), true);
    }

    /** A detector on a backend the caller owns and closes. */
    public static Detector of(Bundle bundle, Backend backend) {
        return new Detector(bundle, backend, false);
    }

    public Bundle bundle() {
        return bundle;
    }

    public List<String> features() {
        return bundle.featureNames();
    }

    public double threshold() {
        return bundle.threshold();
    }

    /** Scores rows given as arrays of raw feature values. */
    public Scores score(float[][] rows) {
        int d = bundle.spec().inputDim();
        float[] flat = new float[rows.length * d];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != d) {
                throw ReconException.input("row " + r + " has " + rows[r].length + " values; the model expects " + d
                        + " (" + String.join(", ", features()) + ")");
            }
            System.arraycopy(rows[r], 0, flat, r * d, d);
        }
        return score(flat, rows.length);
    }

    @Override
    public double[] anomalyScores(float[][] rows) {
        return score(rows).errors();
    }

    /** Scores {@code rows} rows of raw feature values in one (rows, features) row-major array. */
    public Scores score(float[] raw, int rows) {
        float[][] perFeature = new float[rows][];
        double[] errors = errors(raw, rows, perFeature);
        boolean[] flags = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            flags[i] = isAnomaly(errors[i]);
        }
        return new Scores(errors, flags, perFeature);
    }

    /** Whether a score crosses the threshold; fails closed: a score that is not a number is flagged. */
    public boolean isAnomaly(double score) {
        return !(score < bundle.threshold());
    }

    /** The {@code k} features with the largest reconstruction error in {@code row}, largest first. */
    public List<Contribution> explain(float[] row, int k) {
        return topFeatures(score(new float[][] {row}).featureErrors()[0], k);
    }

    /**
     * Only the scores of {@code rows} raw rows, (rows, features) row-major: the fast path for
     * bulk scoring, without per-feature arrays.
     */
    public double[] errors(float[] raw, int rows) {
        return errors(raw, rows, null);
    }

    /** Scales, runs the network in chunks, and fills {@code perFeature} too where it is not null. */
    private synchronized double[] errors(float[] raw, int rows, float[][] perFeature) {
        int d = bundle.spec().inputDim();
        double[] errors = new double[rows];
        for (int off = 0; off < rows; off += CHUNK) {
            int n = Math.min(CHUNK, rows - off);
            upload(raw, off, n);
            Buf err = net.errors(xb, n, perFeature == null ? null : featErr, bundle.errorObjective());
            be.download(rowErrHost, 0, err, 0, n);
            if (elbo) {
                negativeElbo(n);
            }
            if (perFeature != null) {
                be.download(featHost, 0, featErr, 0, n * d);
            }
            double[] distance = knn == null ? null : knn.kthDistance(scaled, n, knnThreads);
            for (int i = 0; i < n; i++) {
                errors[off + i] = knn == null ? rowErrHost[i] : bundle.knn().combine(rowErrHost[i], distance[i]);
                if (perFeature != null) {
                    perFeature[off + i] = Arrays.copyOfRange(featHost, i * d, (i + 1) * d);
                }
            }
        }
        return errors;
    }

    /** The {@code k} largest entries of one row's per-feature errors, as contributions. */
    public List<Contribution> topFeatures(float[] featureErrors, int k) {
        double total = 0;
        for (float e : featureErrors) {
            total += e;
        }
        List<Contribution> all = new ArrayList<>();
        for (int j = 0; j < featureErrors.length; j++) {
            all.add(new Contribution(features().get(j), j, featureErrors[j], total > 0 ? featureErrors[j] / total : 0));
        }
        all.sort(Comparator.comparingDouble(Contribution::error).reversed().thenComparingInt(Contribution::index));
        return all.subList(0, Math.min(Math.max(k, 0), all.size()));
    }

    /**
     * A VAE's score of the chunk in xb: the negative ELBO in nats, the reconstruction loss summed
     * over the features plus the KL term, averaged over the bundle's seeded samples, into rowErrHost.
     */
    private void negativeElbo(int n) {
        VaeNetwork vae = (VaeNetwork) net;
        int samples = bundle.spec().vae().samples();
        int d = bundle.spec().inputDim();
        double[] sum = new double[n];
        int latent = bundle.spec().latent();
        float[] noise = new float[n * latent];
        for (int s = 0; s < samples; s++) {
            // one draw per latent dimension, the same for every row: a row's score does not depend on
            // the rows scored with it or on its place among them
            Rng rng = Rng.derive(bundle.config().seed(), 5000L + s);
            for (int j = 0; j < latent; j++) {
                noise[j] = (float) rng.nextGaussian();
            }
            for (int i = 1; i < n; i++) {
                System.arraycopy(noise, 0, noise, i * latent, latent);
            }
            vae.elboSample(xb, n, noise);
            be.download(rowErrHost, 0, vae.rowErrors(), 0, n);
            be.download(klHost, 0, vae.klTerms(), 0, n);
            for (int i = 0; i < n; i++) {
                sum[i] += (double) d * rowErrHost[i] + klHost[i];
            }
        }
        for (int i = 0; i < n; i++) {
            rowErrHost[i] = (float) (sum[i] / samples);
        }
    }

    /** Latent codes of raw rows, (rows, latent): a VAE's are the means. */
    public synchronized float[] latent(float[] raw, int rows) {
        int z = bundle.spec().latent();
        int stride = net.latentStride();
        float[] out = new float[rows * z];
        float[] chunk = new float[CHUNK * stride];
        for (int off = 0; off < rows; off += CHUNK) {
            int n = Math.min(CHUNK, rows - off);
            upload(raw, off, n);
            be.download(chunk, 0, net.latentCodes(xb, n), 0, n * stride);
            for (int i = 0; i < n; i++) {
                System.arraycopy(chunk, i * stride, out, (off + i) * z, z);
            }
        }
        return out;
    }

    /** Reconstructions of raw rows, (rows, features), in the data's units (a VAE's from its means). */
    public synchronized float[] reconstruct(float[] raw, int rows) {
        int d = bundle.spec().inputDim();
        float[] out = new float[rows * d];
        for (int off = 0; off < rows; off += CHUNK) {
            int n = Math.min(CHUNK, rows - off);
            upload(raw, off, n);
            be.download(out, off * d, net.reconstruct(xb, n), 0, n * d);
        }
        return toDataUnits(out, rows);
    }

    /** The decoder's records for latent codes (rows, latent), in the data's units. */
    public synchronized float[] decode(float[] codes, int rows) {
        int d = bundle.spec().inputDim();
        int z = bundle.spec().latent();
        float[] out = new float[rows * d];
        float[] part = new float[CHUNK * z];
        for (int off = 0; off < rows; off += CHUNK) {
            int n = Math.min(CHUNK, rows - off);
            System.arraycopy(codes, off * z, part, 0, n * z);
            be.download(out, off * d, net.decode(part, n), 0, n * d);
        }
        return toDataUnits(out, rows);
    }

    /** The last layer's outputs through the output function and the scaler's inverse, in place. */
    private float[] toDataUnits(float[] out, int rows) {
        int d = bundle.spec().inputDim();
        boolean sigmoid = bundle.spec().objective().sigmoid();
        double[] mean = bundle.scaler().mean();
        double[] scale = bundle.scaler().scale();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) {
                double v = out[r * d + j];
                if (sigmoid) {
                    v = 1 / (1 + Math.exp(-v));
                }
                out[r * d + j] = (float) (v * scale[j] + mean[j]);
            }
        }
        return out;
    }

    /** Scales raw rows [off, off + n) a chunk at a time (no copy of the whole input) and uploads them. */
    private void upload(float[] raw, int off, int n) {
        bundle.scaler().transform(raw, off, n, scaled, 0);
        be.upload(xb, 0, scaled, 0, n * bundle.spec().inputDim());
    }

    /** Threads for the neighbour search: the CPU backend's count, or every core beside a GPU. */
    public static int neighbourThreads(Backend be) {
        return be.name().equals("cpu") ? be.threads() : Backends.defaultThreads();
    }

    @Override
    public synchronized void close() {
        if (knnThreads != null) {
            knnThreads.shutdown();
        }
        if (ownsBackend) {
            be.close();
        }
    }
}
