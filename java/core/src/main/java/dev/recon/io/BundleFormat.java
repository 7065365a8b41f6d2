package dev.recon.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * No Java serialization: the header is parsed as a JSON tree and every field is checked, so a
 * file from an untrusted place can at worst be rejected. Writing goes to a temporary file in the
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
        byte[] header;
        try {
            header = JSON.writeValueAsBytes(header(b));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode bundle header", e);
        }
        float[][] arrays = arrays(b);
        long floats = 0;
        for (float[] a : arrays) {
            floats += a.length;
        }
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

    /** The header's detector field: the kind, and for ae-knn its settings and the score's formula. */
    public static Map<String, Object> detector(Bundle b) {
        Map<String, Object> det = new LinkedHashMap<>();
        det.put("kind", b.detector().id());
        if (b.knn() != null) {
            det.put("k", b.knn().k());
            det.put("reference_rows", b.knn().rows());
            det.put("ae_scale", b.knn().aeScale());
            det.put("knn_scale", b.knn().knnScale());
            det.put("score", "error / ae_scale + distance^2 / knn_scale (distance: Euclidean, scaled, to the k-th "
                    + "nearest reference row)");
        } else {
            det.put("score", "error");
        }
        return det;
    }

    private static Map<String, Object> header(Bundle b) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", "recon-bundle");
        h.put("format_version", VERSION);
        h.put("engine_version", b.engineVersion());
        AutoencoderSpec spec = b.spec();
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put("input", spec.inputDim());
        arch.put("hidden", spec.hidden());
        arch.put("latent", spec.latent());
        arch.put("activation", spec.hiddenActivation().id());
        arch.put("latent_activation", Activation.IDENTITY.id());
        arch.put("output_activation", Activation.IDENTITY.id());
        arch.put("loss", spec.loss().id());
        arch.put("parameters", new ParameterLayout(spec).size());
        h.put("architecture", arch);
        h.put("detector", detector(b));
        h.put("features", b.featureNames());
        if (b.labels() != null) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("column", b.labels().column());
            l.put("normal", b.labels().normalValue());
            l.put("anomaly", b.labels().anomalyValue());
            h.put("label", l);
        } else {
            h.put("label", null);
        }
        Map<String, Object> sc = new LinkedHashMap<>();
        sc.put("kind", "standard");
        sc.put("mean", b.scaler().mean());
        sc.put("scale", b.scaler().scale());
        h.put("scaler", sc);
        Map<String, Object> th = new LinkedHashMap<>();
        th.put("value", b.threshold());
        th.put("policy", b.policy().toString());
        th.put("rule", "anomaly when error >= value");
        h.put("threshold", th);
        TrainConfig c = b.config();
        TrainState s = b.state();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("epochs", c.epochs());
        t.put("batch", c.batch());
        t.put("lr", c.lr());
        t.put("patience", c.patience());
        t.put("seed", c.seed());
        t.put("init", c.init().id());
        t.put("optimizer", "adam");
        t.put("beta1", c.beta1());
        t.put("beta2", c.beta2());
        t.put("eps", c.eps());
        t.put("epochs_done", s.epochsDone());
        t.put("steps", s.steps());
        t.put("best_epoch", s.bestEpoch());
        t.put("best_val_loss", s.bestValLoss());
        t.put("epochs_without_gain", s.epochsWithoutGain());
        t.put("stop_reason", b.stopReason());
        h.put("training", t);
        Bundle.DataInfo d = b.data();
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("source", d.source());
        dm.put("rows", d.rows());
        dm.put("anomalies", d.anomalies());
        dm.put("fingerprint", d.fingerprint());
        dm.put("synthetic", d.synthetic());
        dm.put("fit_rows", d.fitRows());
        dm.put("val_rows", d.valRows());
        dm.put("test_rows", d.testRows());
        h.put("data", dm);
        List<Map<String, Object>> hist = new ArrayList<>();
        for (EpochStats e : s.history()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("train_loss", e.trainLoss());
            m.put("val_loss", e.valLoss());
            hist.add(m);
        }
        h.put("history", hist);
        h.put("metrics", b.metrics());
        List<Map<String, Object>> arrays = new ArrayList<>();
        float[][] values = arrays(b);
        for (int i = 0; i < values.length; i++) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", i < ARRAYS.length ? ARRAYS[i] : KNN_ARRAY);
            a.put("count", values[i].length);
            arrays.add(a);
        }
        h.put("arrays", arrays);
        return h;
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
        JsonNode h;
        try {
            h = JSON.readTree(new String(bytes, 16, hlen, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw ReconException.input(name + ": corrupted model bundle (header is not JSON)");
        }
        Fields f = new Fields(name, h, version);
        bb.position(16 + hlen);
        return f.bundle(bb, bytes.length - CHECKSUM);
    }

    /** Reads header fields with one clear error for anything missing or malformed. */
    private static final class Fields {
        final String name;
        final JsonNode root;
        /** Fields that version 1 lacked are required from version 2 on. */
        final int version;

        Fields(String name, JsonNode root, int version) {
            this.name = name;
            this.root = root;
            this.version = version;
        }

        ReconException bad(String field) {
            return ReconException.input(name + ": bundle field '" + field + "' is missing or invalid");
        }

        ReconException invalid(String field, String why) {
            return ReconException.input(name + ": bundle field '" + field + "' is invalid: " + why);
        }

        JsonNode node(JsonNode parent, String path, String field) {
            JsonNode n = parent == null ? null : parent.get(field);
            if (n == null || n.isNull()) {
                throw bad(path + field);
            }
            return n;
        }

        int integer(JsonNode p, String path, String field) {
            JsonNode n = node(p, path, field);
            if (!n.canConvertToInt()) {
                throw bad(path + field);
            }
            return n.asInt();
        }

        long longValue(JsonNode p, String path, String field) {
            JsonNode n = node(p, path, field);
            if (!n.canConvertToLong()) {
                throw bad(path + field);
            }
            return n.asLong();
        }

        double number(JsonNode p, String path, String field) {
            JsonNode n = node(p, path, field);
            if (!n.isNumber()) {
                throw bad(path + field);
            }
            return n.asDouble();
        }

        String text(JsonNode p, String path, String field) {
            JsonNode n = node(p, path, field);
            if (!n.isTextual()) {
                throw bad(path + field);
            }
            return n.asText();
        }

        double[] doubles(JsonNode p, String path, String field, int expect) {
            JsonNode n = node(p, path, field);
            if (!n.isArray() || n.size() != expect) {
                throw bad(path + field);
            }
            double[] out = new double[expect];
            for (int i = 0; i < expect; i++) {
                if (!n.get(i).isNumber()) {
                    throw bad(path + field);
                }
                out[i] = n.get(i).asDouble();
            }
            return out;
        }

        Bundle bundle(ByteBuffer bb, int end) {
            if (!"recon-bundle".equals(root.path("format").asText())) {
                throw bad("format");
            }
            String engine = text(root, "", "engine_version");
            JsonNode a = node(root, "", "architecture");
            JsonNode hid = node(a, "architecture.", "hidden");
            if (!hid.isArray()) {
                throw bad("architecture.hidden");
            }
            int[] hidden = new int[hid.size()];
            for (int i = 0; i < hidden.length; i++) {
                if (!hid.get(i).canConvertToInt()) {
                    throw bad("architecture.hidden");
                }
                hidden[i] = hid.get(i).asInt();
            }
            AutoencoderSpec spec;
            long nParams;
            try {
                spec = new AutoencoderSpec(integer(a, "architecture.", "input"), hidden,
                        integer(a, "architecture.", "latent"),
                        Activation.parse(text(a, "architecture.", "activation")),
                        Loss.parse(text(a, "architecture.", "loss")));
                nParams = new ParameterLayout(spec).size();
            } catch (IllegalArgumentException e) {
                throw ReconException.input(name + ": bad architecture in bundle: " + e.getMessage());
            }
            int d = spec.inputDim();
            JsonNode det = root.get("detector");
            String kind = version == 1 ? DetectorKind.AE.id() : text(det, "detector.", "kind");
            int refRows = 0;
            int k = 0;
            if (kind.equals(DetectorKind.AE_KNN.id())) {
                k = integer(det, "detector.", "k");
                refRows = integer(det, "detector.", "reference_rows");
                if (k < 1 || refRows < k || k > KnnComponent.MAX_K) {
                    throw invalid("detector", refRows + " reference rows for k = " + k + " (k must be 1 to "
                            + KnnComponent.MAX_K + " and at most the rows)");
                }
                if ((long) refRows * d > KnnComponent.MAX_REFERENCE_VALUES) {
                    throw invalid("detector", refRows + " reference rows of " + d + " features exceed "
                            + KnnComponent.MAX_REFERENCE_VALUES + " values");
                }
            } else if (!kind.equals(DetectorKind.AE.id())) {
                throw invalid("detector.kind", "'" + kind + "' (this Recon knows ae and ae-knn)");
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
            JsonNode fn = node(root, "", "features");
            if (!fn.isArray() || fn.size() != d) {
                throw bad("features");
            }
            List<String> features = new ArrayList<>();
            fn.forEach(x -> features.add(x.asText()));
            Dataset.Labels labels = null;
            JsonNode l = root.get("label");
            if (l != null && !l.isNull()) {
                labels = new Dataset.Labels(text(l, "label.", "column"), text(l, "label.", "normal"),
                        text(l, "label.", "anomaly"));
            }
            JsonNode sc = node(root, "", "scaler");
            double[] mean = doubles(sc, "scaler.", "mean", d);
            double[] scale = doubles(sc, "scaler.", "scale", d);
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
            JsonNode th = node(root, "", "threshold");
            double threshold = number(th, "threshold.", "value");
            if (!Double.isFinite(threshold)) {
                throw invalid("threshold.value", "the threshold is not finite");
            }
            ThresholdPolicy policy;
            try {
                policy = ThresholdPolicy.parse(text(th, "threshold.", "policy"));
            } catch (IllegalArgumentException e) {
                throw bad("threshold.policy");
            }
            JsonNode t = node(root, "", "training");
            TrainConfig cfg;
            try {
                cfg = new TrainConfig(integer(t, "training.", "epochs"), integer(t, "training.", "batch"),
                        (float) number(t, "training.", "lr"), integer(t, "training.", "patience"),
                        longValue(t, "training.", "seed"), (float) number(t, "training.", "beta1"),
                        (float) number(t, "training.", "beta2"), (float) number(t, "training.", "eps"),
                        version == 1 ? Init.HE : Init.parse(text(t, "training.", "init")));
            } catch (IllegalArgumentException e) {
                throw ReconException.input(name + ": bad training settings in bundle: " + e.getMessage());
            }
            JsonNode dn = node(root, "", "data");
            Bundle.DataInfo data = new Bundle.DataInfo(text(dn, "data.", "source"), longValue(dn, "data.", "rows"),
                    longValue(dn, "data.", "anomalies"), text(dn, "data.", "fingerprint"),
                    node(dn, "data.", "synthetic").asBoolean(), integer(dn, "data.", "fit_rows"),
                    integer(dn, "data.", "val_rows"), integer(dn, "data.", "test_rows"));
            List<EpochStats> history = new ArrayList<>();
            JsonNode hist = node(root, "", "history");
            if (!hist.isArray()) {
                throw bad("history");
            }
            for (JsonNode e : hist) {
                history.add(new EpochStats(integer(e, "history.", "epoch"), number(e, "history.", "train_loss"),
                        number(e, "history.", "val_loss"), Double.NaN, Double.NaN));
            }
            JsonNode arrays = node(root, "", "arrays");
            int count = ARRAYS.length + (refRows > 0 ? 1 : 0);
            if (!arrays.isArray() || arrays.size() != count) {
                throw bad("arrays");
            }
            float[][] values = new float[count][];
            for (int i = 0; i < count; i++) {
                JsonNode an = arrays.get(i);
                String arrayName = i < ARRAYS.length ? ARRAYS[i] : KNN_ARRAY;
                long n = i < ARRAYS.length ? nParams : (long) refRows * d;
                if (!arrayName.equals(an.path("name").asText()) || an.path("count").asLong(-1) != n) {
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
                try {
                    knn = new KnnComponent(k, refRows, d, values[ARRAYS.length], number(det, "detector.", "ae_scale"),
                            number(det, "detector.", "knn_scale"));
                } catch (IllegalArgumentException e) {
                    throw invalid("detector", e.getMessage());
                }
            }
            if (bb.position() != end) {
                throw ReconException.input(name + ": corrupted model bundle (unexpected bytes after the arrays)");
            }
            TrainState state = new TrainState(integer(t, "training.", "epochs_done"), longValue(t, "training.", "steps"),
                    values[1], values[2], values[3], values[0], integer(t, "training.", "best_epoch"),
                    number(t, "training.", "best_val_loss"), integer(t, "training.", "epochs_without_gain"), history);
            Map<String, Object> metrics = new LinkedHashMap<>();
            JsonNode m = root.get("metrics");
            if (m instanceof ObjectNode) {
                m.fields().forEachRemaining(e -> metrics.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
            }
            String stop = t.path("stop_reason").asText("");
            return new Bundle(engine, spec, features, labels, scaler, threshold, policy, cfg, data, state, stop, metrics,
                    knn);
        }
    }
}
