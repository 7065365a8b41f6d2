package dev.recon.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.ReconException;
import dev.recon.data.Dataset;
import dev.recon.data.Fingerprint;
import dev.recon.data.StandardScaler;
import dev.recon.eval.ThresholdPolicy;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.DetectorKind;
import dev.recon.model.Init;
import dev.recon.model.KnnComponent;
import dev.recon.model.Loss;
import dev.recon.model.Objective;
import dev.recon.model.Vae;
import dev.recon.model.ParameterLayout;
import dev.recon.train.EpochStats;
import dev.recon.train.TrainConfig;
import dev.recon.train.TrainState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model file. Layout, all integers little-endian:
 * <pre>
 *   8 bytes   magic "RECONMDL"
 *   4 bytes   format version (2; version 1, without a detector field, is read too)
 *   4 bytes   header length H
 *   H bytes   header: UTF-8 JSON (architecture, detector, features, scaler, threshold, training,
 *             data, history, metrics, and the list of float arrays that follow)
 *   4*N bytes the float32 arrays named in the header, in order (best_params, last_params,
 *             adam_m, adam_v, and for the ae-knn detector knn_reference: its scaled rows)
 *  32 bytes   SHA-256 of everything above
 * </pre>
 * No Java serialization: the header is bound to {@link BundleHeader}'s records (one schema for
 * writing and reading) and every value is checked, so a file from an untrusted place can at worst
 * be rejected. Writing goes to a temporary file in the
 * same folder, then an atomic rename.
 */
public final class BundleFormat {
    public static final int VERSION = 2;
    private static final int OLDEST_READ = 1;
    private static final String KNN_ARRAY = "knn_reference";
    public static final String FILE_NAME = "model.recon";
    private static final byte[] MAGIC = "RECONMDL".getBytes(StandardCharsets.US_ASCII);
    private static final int CHECKSUM = 32;
    private static final String[] ARRAYS = {"best_params", "last_params", "adam_m", "adam_v"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private BundleFormat() {
    }

    /** A bundle file, or the {@value #FILE_NAME} inside a run folder. */
    public static Path resolve(Path modelOrDir) {
        return Files.isDirectory(modelOrDir) ? modelOrDir.resolve(FILE_NAME) : modelOrDir;
    }

    public static void write(Bundle b, Path file) {
        byte[] bytes = encode(b);
        AtomicFiles.write(file, bytes);
    }

    public static byte[] encode(Bundle b) {
        float[][] arrays = arrays(b);
        List<BundleHeader.ArrayEntry> entries = new ArrayList<>();
        long floats = 0;
        for (int i = 0; i < arrays.length; i++) {
            entries.add(new BundleHeader.ArrayEntry(arrayName(i), arrays[i].length));
            floats += arrays[i].length;
        }
        byte[] header = BundleHeader.of(b, entries).bytes();
        long size = 16L + header.length + 4L * floats + CHECKSUM;
        if (size > Integer.MAX_VALUE - 64) {
            throw new ReconException("the model is too large for one bundle file (" + size + " bytes)", false);
        }
        ByteBuffer bb = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC).putInt(VERSION).putInt(header.length).put(header);
        for (float[] a : arrays) {
            for (float f : a) {
                bb.putFloat(f);
            }
        }
        MessageDigest md = Fingerprint.sha256();
        md.update(bb.array(), 0, bb.position());
        bb.put(md.digest());
        return bb.array();
    }

    private static float[][] arrays(Bundle b) {
        TrainState s = b.state();
        return b.knn() == null ? new float[][] {s.bestParams(), s.params(), s.adamM(), s.adamV()}
                : new float[][] {s.bestParams(), s.params(), s.adamM(), s.adamV(), b.knn().reference()};
    }

    private static String arrayName(int i) {
        return i < ARRAYS.length ? ARRAYS[i] : KNN_ARRAY;
    }

    /** The header's detector field: the kind, and for ae-knn its settings and the score's formula. */
    public static Map<String, Object> detector(Bundle b) {
        return JSON.convertValue(BundleHeader.detector(b), new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    public static Bundle read(Path modelOrDir) {
        Path file = resolve(modelOrDir);
        return decode(file.toString(), bytes(file));
    }

    /** The bytes of a bundle file, refused with a one-line error when missing, unreadable or too large to be one. */
    public static byte[] bytes(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > (1L << 31) - 64) {
                throw ReconException.input(file + ": too large to be a Recon model bundle");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw ReconException.input(file + ": no such model file");
        } catch (IOException e) {
            throw ReconException.input(file + ": cannot read: " + e.getMessage());
        }
        return bytes;
    }

    public static Bundle decode(String name, byte[] bytes) {
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw ReconException.input(name + ": not a Recon model bundle (bad magic bytes)");
        }
        if (bytes.length < 16 + CHECKSUM) {
            throw ReconException.input(name + ": truncated model bundle (" + bytes.length + " bytes)");
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.position(MAGIC.length);
        int version = bb.getInt();
        if (version < OLDEST_READ || version > VERSION) {
            throw ReconException.input(name + ": bundle format version " + version + "; this Recon reads versions "
                    + OLDEST_READ + " to " + VERSION + (version > VERSION ? " (upgrade Recon)" : ""));
        }
        MessageDigest md = Fingerprint.sha256();
        md.update(bytes, 0, bytes.length - CHECKSUM);
        if (!MessageDigest.isEqual(md.digest(), Arrays.copyOfRange(bytes, bytes.length - CHECKSUM, bytes.length))) {
            throw ReconException.input(name + ": corrupted or truncated model bundle (checksum mismatch)");
        }
        int hlen = bb.getInt();
        if (hlen < 2 || hlen > bytes.length - 16 - CHECKSUM) {
            throw ReconException.input(name + ": corrupted model bundle (bad header length)");
        }
        BundleHeader h = BundleHeader.parse(name, bytes, 16, hlen, version);
        bb.position(16 + hlen);
        return new Validator(name, h).bundle(bb, bytes.length - CHECKSUM);
    }

    /** Turns a parsed header and the arrays after it into a bundle, refusing values that make no sense by field. */
    private record Validator(String name, BundleHeader h) {
        ReconException bad(String field) {
            return BundleHeader.missingOrInvalid(name, field);
        }

        ReconException invalid(String field, String why) {
            return ReconException.input(name + ": bundle field '" + field + "' is invalid: " + why);
        }

        Bundle bundle(ByteBuffer bb, int end) {
            BundleHeader.Architecture a = h.architecture();
            AutoencoderSpec spec;
            long nParams;
            try {
                BundleHeader.VaeSettings v = a.vae();
                spec = new AutoencoderSpec(a.input(), a.hidden(), a.latent(), Activation.parse(a.activation()),
                        Loss.parse(a.loss()), Activation.parse(a.outputActivation()),
                        v == null ? null : new Vae(v.beta(), v.klWarmup(), Vae.Score.parse(v.score()), v.samples()));
                nParams = new ParameterLayout(spec).size();
            } catch (IllegalArgumentException e) {
                throw ReconException.input(name + ": bad architecture in bundle: " + e.getMessage());
            }
            int d = spec.inputDim();
            BundleHeader.Detector det = h.detector();
            int refRows = 0;
            int k = 0;
            if (det.kind().equals(DetectorKind.AE_KNN.id())) {
                if (det.k() == null) {
                    throw bad("detector.k");
                }
                if (det.referenceRows() == null) {
                    throw bad("detector.reference_rows");
                }
                k = det.k();
                refRows = det.referenceRows();
                if (k < 1 || refRows < k || k > KnnComponent.MAX_K) {
                    throw invalid("detector", refRows + " reference rows for k = " + k + " (k must be 1 to "
                            + KnnComponent.MAX_K + " and at most the rows)");
                }
                if ((long) refRows * d > KnnComponent.MAX_REFERENCE_VALUES) {
                    throw invalid("detector", refRows + " reference rows of " + d + " features exceed "
                            + KnnComponent.MAX_REFERENCE_VALUES + " values");
                }
            } else if (!det.kind().equals(DetectorKind.AE.id())) {
                throw invalid("detector.kind", "'" + det.kind() + "' (this Recon knows ae and ae-knn)");
            }
            // the declared widths must match the bytes actually there, before anything is allocated:
            // a small file cannot make the loader allocate gigabytes
            long have = end - (long) bb.position();
            long want = 4L * ARRAYS.length * nParams + 4L * refRows * d;
            if (have != want) {
                throw ReconException.input(name + ": bundle fields 'architecture' and 'detector' declare " + nParams
                        + " parameters and " + refRows + " reference rows (" + want + " bytes of arrays), but the file "
                        + "holds " + have);
            }
            List<String> features = h.features();
            if (features.size() != d) {
                throw bad("features");
            }
            if (h.data().image() != null && h.data().image().pixels() != d) {
                throw invalid("data.image", h.data().image() + " images do not have the " + d + " features of the input");
            }
            BundleHeader.Label l = h.label();
            Dataset.Labels labels = l == null ? null : new Dataset.Labels(l.column(), l.normal(), l.anomaly());
            double[] mean = h.scaler().mean();
            double[] scale = h.scaler().scale();
            if (mean.length != d) {
                throw bad("scaler.mean");
            }
            if (scale.length != d) {
                throw bad("scaler.scale");
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(mean[j])) {
                    throw invalid("scaler.mean", "feature " + features.get(j) + " has a mean that is not finite");
                }
                if (!(scale[j] > 0) || !Double.isFinite(scale[j])) {
                    throw invalid("scaler.scale", "feature " + features.get(j) + " has scale " + scale[j]
                            + " (must be positive and finite)");
                }
            }
            StandardScaler scaler = new StandardScaler(mean, scale);
            double threshold = h.threshold().value();
            if (!Double.isFinite(threshold)) {
                throw invalid("threshold.value", "the threshold is not finite");
            }
            ThresholdPolicy policy;
            try {
                policy = ThresholdPolicy.parse(h.threshold().policy());
            } catch (IllegalArgumentException e) {
                throw bad("threshold.policy");
            }
            BundleHeader.Training t = h.training();
            TrainConfig cfg;
            try {
                cfg = new TrainConfig(t.epochs(), t.batch(), t.lr(), t.patience(), t.seed(), t.beta1(), t.beta2(),
                        t.eps(), Init.parse(t.init()));
            } catch (IllegalArgumentException e) {
                throw ReconException.input(name + ": bad training settings in bundle: " + e.getMessage());
            }
            List<EpochStats> history = new ArrayList<>();
            for (BundleHeader.Epoch e : h.history()) {
                history.add(new EpochStats(e.epoch(), e.trainLoss(), e.valLoss(), Double.NaN, Double.NaN));
            }
            List<BundleHeader.ArrayEntry> arrays = h.arrays();
            int count = ARRAYS.length + (refRows > 0 ? 1 : 0);
            if (arrays.size() != count) {
                throw bad("arrays");
            }
            float[][] values = new float[count][];
            for (int i = 0; i < count; i++) {
                String arrayName = arrayName(i);
                long n = i < ARRAYS.length ? nParams : (long) refRows * d;
                if (!arrayName.equals(arrays.get(i).name()) || arrays.get(i).count() != n) {
                    throw bad("arrays[" + i + "]");
                }
                float[] v = new float[(int) n];
                for (int j = 0; j < n; j++) {
                    v[j] = bb.getFloat();
                    if (!Float.isFinite(v[j])) {
                        throw invalid("arrays." + arrayName, "value " + j + " is " + v[j]);
                    }
                }
                values[i] = v;
            }
            KnnComponent knn = null;
            if (refRows > 0) {
                if (det.aeScale() == null) {
                    throw bad("detector.ae_scale");
                }
                if (det.knnScale() == null) {
                    throw bad("detector.knn_scale");
                }
                try {
                    knn = new KnnComponent(k, refRows, d, values[ARRAYS.length], det.aeScale(), det.knnScale());
                } catch (IllegalArgumentException e) {
                    throw invalid("detector", e.getMessage());
                }
            }
            if (bb.position() != end) {
                throw ReconException.input(name + ": corrupted model bundle (unexpected bytes after the arrays)");
            }
            TrainState state = new TrainState(t.epochsDone(), t.steps(), values[1], values[2], values[3], values[0],
                    t.bestEpoch(), t.bestValLoss(), t.epochsWithoutGain(), history);
            Loss error = null;
            if (det.error() != null) {
                try {
                    error = Loss.parse(det.error());
                    Objective.of(spec.output(), error);
                } catch (IllegalArgumentException e) {
                    throw invalid("detector.error", e.getMessage());
                }
            }
            return new Bundle(h.engineVersion(), spec, features, labels, scaler, threshold, policy, cfg, h.data(),
                    state, t.stopReason(), new LinkedHashMap<>(h.metrics()), knn, error);
        }
    }
}
