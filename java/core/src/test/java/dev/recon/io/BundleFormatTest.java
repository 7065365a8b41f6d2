package dev.recon.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recon.Fixtures;
import dev.recon.ReconException;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Dataset;
import dev.recon.data.Fingerprint;
import dev.recon.data.SyntheticData;
import dev.recon.pipeline.TrainJob;
import dev.recon.pipeline.TrainOptions;
import dev.recon.score.Detector;
import dev.recon.train.TrainListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rung 5 and the bundle's safety: round trips, resume, the golden v1 file, and corrupted files. */
class BundleFormatTest {
    @TempDir
    Path dir;

    static final Dataset DATA = SyntheticData.generate(6, 1500, 40, 11);

    static TrainOptions small(int epochs) {
        return new TrainOptions(new int[] {12, 6}, 3, dev.recon.model.Activation.RELU, dev.recon.model.Loss.MSE, epochs,
                64, 3e-3f, 0, 5, dev.recon.eval.ThresholdPolicy.DEFAULT);
    }

    static Bundle train(TrainOptions o, Bundle resume) {
        try (CpuBackend be = new CpuBackend(2)) {
            return TrainJob.run(DATA, o, be, TrainListener.NONE, resume).bundle();
        }
    }

    @Test
    void saveLoadRoundTripIsExact() {
        Bundle b = train(small(3), null);
        Path p = dir.resolve("m.recon");
        BundleFormat.write(b, p);
        Bundle back = BundleFormat.read(p);
        assertArrayEquals(b.params(), back.params());
        assertArrayEquals(b.state().adamV(), back.state().adamV());
        assertArrayEquals(b.scaler().mean(), back.scaler().mean());
        assertEquals(b.threshold(), back.threshold());
        assertEquals(b.policy(), back.policy());
        assertEquals(b.spec(), back.spec());
        assertEquals(b.featureNames(), back.featureNames());
        assertEquals(b.labels(), back.labels());
        assertEquals(b.data(), back.data());
        assertEquals(b.metrics().get("roc_auc"), back.metrics().get("roc_auc"));
        assertArrayEquals(BundleFormat.encode(b), BundleFormat.encode(back), "re-encoding a loaded bundle gives the same bytes");
        assertArrayEquals(BundleFormat.encode(b), BundleFormat.encode(train(small(3), null)), "same seed, same bytes");
    }

    @Test
    void trainSaveLoadResumeEqualsTrainingStraightThrough() {
        Bundle straight = train(small(6), null);
        Path p = dir.resolve("half.recon");
        BundleFormat.write(train(small(3), null), p);
        Bundle resumed = train(small(6), BundleFormat.read(p));
        assertEquals(6, resumed.state().epochsDone());
        assertArrayEquals(straight.state().params(), resumed.state().params());
        assertArrayEquals(straight.params(), resumed.params());
        assertArrayEquals(BundleFormat.encode(straight), BundleFormat.encode(resumed));
    }

    @Test
    void resumeRefusesOtherData() {
        Bundle b = train(small(2), null);
        Dataset other = SyntheticData.generate(6, 1500, 40, 12);
        try (CpuBackend be = new CpuBackend(1)) {
            ReconException e = assertThrows(ReconException.class,
                    () -> TrainJob.run(other, small(4), be, TrainListener.NONE, b));
            assertTrue(e.getMessage().contains("not the data the model was trained on"), e.getMessage());
        }
    }

    @Test
    void writingIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        Bundle b = train(small(1), null);
        Path p = dir.resolve("run/model.recon");
        BundleFormat.write(b, p);
        BundleFormat.write(b, p);
        try (var files = Files.list(p.getParent())) {
            assertEquals(1, files.count());
        }
        assertEquals(p, BundleFormat.resolve(p.getParent()));
    }

    /**
     * The first released format stays loadable. The fixture was written by format 1; never
     * regenerate it once released: a reader change that breaks it is a format break.
     */
    @Test
    void goldenVersion1BundleStillLoadsAndScoresTheSame() throws IOException {
        String bundleRes = "/fixtures/golden-v1.recon";
        String scoresRes = "/fixtures/golden-v1-scores.txt";
        float[] rows = Arrays.copyOf(DATA.values(), 10 * DATA.features());
        if (Fixtures.regenerate() && Boolean.getBoolean("recon.regenerateGolden")) {
            Bundle b = train(small(2), null);
            Fixtures.write(bundleRes, BundleFormat.encode(b));
            Fixtures.write(scoresRes, scores(b, rows).getBytes(StandardCharsets.US_ASCII));
        }
        Bundle g = BundleFormat.decode("golden-v1.recon", Fixtures.read(bundleRes));
        assertEquals("6-12-6-3-6-12-6 relu, mse", g.spec().describe());
        assertEquals(Fingerprint.of(DATA), g.data().fingerprint());
        assertEquals(2, g.state().epochsDone());
        // the file format is what must not change; the arithmetic may improve (e.g. FMA in the
        // CPU kernels), so scores agree to float32 accuracy rather than bit for bit
        String[] want = new String(Fixtures.read(scoresRes), StandardCharsets.US_ASCII).split("\n");
        String[] got = scores(g, rows).split("\n");
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            double w = Double.parseDouble(want[i]);
            assertEquals(w, Double.parseDouble(got[i]), 1e-5 * w, "score of row " + i);
        }
    }

    private static String scores(Bundle b, float[] rows) {
        StringBuilder sb = new StringBuilder();
        try (CpuBackend be = new CpuBackend(1)) {
            for (double e : Detector.of(b, be).score(rows, 10).errors()) {
                sb.append(Double.toHexString(e)).append('\n');
            }
        }
        return sb.toString();
    }

    private String loadError(byte[] bytes) throws IOException {
        Path p = dir.resolve("bad.recon");
        Files.write(p, bytes);
        ReconException e = assertThrows(ReconException.class, () -> BundleFormat.read(p));
        assertTrue(e.badInput());
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage().replace(p.toString(), "bad.recon");
    }

    /** Replaces the header JSON and re-seals the checksum, to reach the field checks. */
    private static byte[] withHeader(byte[] good, String from, String to) throws Exception {
        ByteBuffer bb = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN);
        int hlen = bb.getInt(12);
        String h = new String(good, 16, hlen, StandardCharsets.UTF_8);
        assertTrue(h.contains(from), from);
        byte[] nh = h.replace(from, to).getBytes(StandardCharsets.UTF_8);
        int rest = good.length - 16 - hlen - 32;
        ByteBuffer out = ByteBuffer.allocate(16 + nh.length + rest + 32).order(ByteOrder.LITTLE_ENDIAN);
        out.put(good, 0, 12).putInt(nh.length).put(nh).put(good, 16 + hlen, rest);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(out.array(), 0, out.position());
        out.put(md.digest());
        return out.array();
    }

    /** As withHeader, with a regular expression for the replaced part. */
    private static byte[] withHeaderRegex(byte[] good, String regex, String to) throws Exception {
        int hlen = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        String h = new String(good, 16, hlen, StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(h);
        assertTrue(m.find(), regex);
        return withHeader(good, m.group(), to);
    }

    /**
     * Each triple: a regex over the header, what replaces its first match, and a regex the
     * whole load error must match.
     */
    private void assertEditsRefused(byte[] good, String... edits) throws Exception {
        for (int i = 0; i < edits.length; i += 3) {
            String error = loadError(withHeaderRegex(good, edits[i], edits[i + 1]));
            assertTrue(error.matches(edits[i + 2]), edits[i + 1] + ": " + error);
        }
    }

    /** Puts {@code value} as the float at {@code index} of the first parameter array and re-seals. */
    private static byte[] withParameter(byte[] good, int index, float value) throws Exception {
        int hlen = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        byte[] out = good.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putFloat(16 + hlen + 4 * index, value);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(out, 0, out.length - 32);
        System.arraycopy(md.digest(), 0, out, out.length - 32, 32);
        return out;
    }

    /** Values that parse but make no sense are refused by value, each naming its field. */
    @Test
    void nonsenseValuesAreRefusedByValue() throws Exception {
        byte[] good = BundleFormat.encode(train(small(1), null));
        assertEquals("bad.recon: bundle field 'arrays.best_params' is invalid: value 5 is NaN",
                loadError(withParameter(good, 5, Float.NaN)));
        assertEquals("bad.recon: bundle field 'arrays.best_params' is invalid: value 0 is Infinity",
                loadError(withParameter(good, 0, Float.POSITIVE_INFINITY)));
        assertEditsRefused(good,
                "\"scale\":\\[[^,\\]]+", "\"scale\":[0", "bad\\.recon: bundle field 'scaler\\.scale' is invalid: feature \\S+ has scale 0\\.0 .*",
                "\"scale\":\\[[^,\\]]+", "\"scale\":[-2.5", "bad\\.recon: bundle field 'scaler\\.scale' is invalid: .*",
                "\"mean\":\\[[^,\\]]+", "\"mean\":[1e999", "bad\\.recon: bundle field 'scaler\\.mean' is invalid: .*",
                "\"value\":[^,}]+", "\"value\":-1e999", "bad\\.recon: bundle field 'threshold\\.value' is invalid: the threshold is not finite");
    }

    /**
     * Declared widths must match the bytes in the file before anything is allocated: a small file
     * declaring a billion-wide layer is refused at once (and one over Java's array limit too).
     */
    @Test
    void declaredSizesMustMatchTheBytesThere() throws Exception {
        byte[] good = BundleFormat.encode(train(small(1), null));
        String wide = loadError(withHeaderRegex(good, "\"hidden\":\\[[^\\]]*\\]", "\"hidden\":[100000]"));
        assertTrue(wide.startsWith("bad.recon: bundle fields 'architecture' and 'detector' declare "), wide);
        assertTrue(wide.contains("but the file holds"), wide);
        String huge = loadError(withHeaderRegex(good, "\"hidden\":\\[[^\\]]*\\]", "\"hidden\":[2000000000]"));
        assertTrue(huge.startsWith("bad.recon: bad architecture in bundle: "), huge);
        assertTrue(loadError(withHeaderRegex(good, "\"hidden\":\\[[^\\]]*\\]", "\"hidden\":[\"x\"]"))
                .contains("'architecture.hidden'"));
    }

    /**
     * One schema writes and reads the header: every field the writer emits, removed, is refused
     * by name, except the three the reader may go without.
     */
    @Test
    void everyWrittenFieldIsRequiredAndNamedWhenMissing() throws Exception {
        byte[] good = BundleFormat.encode(train(small(1), null));
        int hlen = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        String header = new String(good, 16, hlen, StandardCharsets.UTF_8);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(header);
        Set<String> mayBeAbsent = Set.of("label", "metrics", "training.stop_reason");
        List<String> paths = new ArrayList<>();
        root.fieldNames().forEachRemaining(f -> {
            paths.add(f);
            if (root.get(f).isObject() && !mayBeAbsent.contains(f)) {
                root.get(f).fieldNames().forEachRemaining(g -> paths.add(f + "." + g));
            }
        });
        assertTrue(paths.size() > 50, "fields checked: " + paths);
        for (String path : paths) {
            ObjectNode copy = root.deepCopy();
            String[] parts = path.split("\\.");
            ((ObjectNode) (parts.length == 1 ? copy : copy.get(parts[0]))).remove(parts[parts.length - 1]);
            byte[] without = withHeader(good, header, json.writeValueAsString(copy));
            if (mayBeAbsent.contains(path)) {
                BundleFormat.decode("m", without);
            } else {
                assertEquals("bad.recon: bundle field '" + path + "' is missing or invalid", loadError(without));
            }
        }
    }

    /** An image VAE: its settings, the image shape and the scoring loss come back, and re-encode to the same bytes. */
    @Test
    void anImageVaeRoundTrips() {
        dev.recon.data.ImageShape shape = new dev.recon.data.ImageShape(3, 4, 1);
        int rows = 400;
        Dataset images = SyntheticData.images(shape, rows, 10, 3);
        float[] x = images.values();
        dev.recon.model.Vae vae = new dev.recon.model.Vae(0.5, 2, dev.recon.model.Vae.Score.ELBO, 3);
        TrainOptions o = new TrainOptions(new int[] {6}, 2, dev.recon.model.Activation.RELU, null, 3, 64, 3e-3f, 0, 5,
                dev.recon.eval.ThresholdPolicy.DEFAULT, null, null, null, null, vae);
        Bundle b;
        try (CpuBackend be = new CpuBackend(2)) {
            b = TrainJob.run(images, o, be, TrainListener.NONE, null).bundle();
        }
        assertEquals(vae, b.spec().vae());
        assertEquals(dev.recon.model.Objective.SIGMOID_BCE, b.spec().objective(), "images default to sigmoid + bce");
        assertEquals(dev.recon.model.Loss.MAE, b.errorLoss(), "and score by the mean absolute error");
        assertEquals(shape, b.data().image());
        assertTrue(b.scaler().isIdentity(), "pixels are not z-scaled");
        Bundle back = BundleFormat.decode("m", BundleFormat.encode(b));
        assertEquals(b.spec(), back.spec());
        assertEquals(shape, back.data().image());
        assertEquals(b.errorLoss(), back.errorLoss());
        assertArrayEquals(BundleFormat.encode(b), BundleFormat.encode(back));
        try (CpuBackend be = new CpuBackend(1)) {
            double[] e1 = Detector.of(b, be).errors(x, rows);
            double[] e2 = Detector.of(back, be).errors(x, rows);
            assertArrayEquals(e1, e2, "the negative ELBO's seeded samples give the same scores");
        }
    }

    /** The default detector's part of the bundle: its reference rows and scales, checked like the rest. */
    @Test
    void nearestNeighbourPartRoundTripsAndIsValidatedByValue() throws Exception {
        Bundle b = train(small(1), null);
        assertEquals(dev.recon.model.DetectorKind.AE_KNN, b.detector());
        Bundle back = BundleFormat.decode("m", BundleFormat.encode(b));
        assertArrayEquals(b.knn().reference(), back.knn().reference());
        assertEquals(b.knn(), new dev.recon.model.KnnComponent(back.knn().k(), back.knn().rows(), back.knn().features(),
                b.knn().reference(), back.knn().aeScale(), back.knn().knnScale()));
        byte[] good = BundleFormat.encode(b);
        int refRows = b.knn().rows();
        assertTrue(refRows > 5 && refRows <= b.data().fitRows(), "reference rows are fitted rows: " + refRows);

        String rows = loadError(withHeader(good, "\"reference_rows\":" + refRows, "\"reference_rows\":" + (refRows + 1000)));
        assertTrue(rows.startsWith("bad.recon: bundle fields 'architecture' and 'detector' declare "), rows);
        assertTrue(rows.contains("but the file holds"), rows);
        String range = " (k must be 1 to 100 and at most the rows)";
        assertEquals("bad.recon: bundle field 'detector' is invalid: " + refRows + " reference rows for k = " + (refRows + 1)
                + range, loadError(withHeader(good, "\"k\":5", "\"k\":" + (refRows + 1))));
        assertEquals("bad.recon: bundle field 'detector' is invalid: " + refRows + " reference rows for k = 101" + range,
                loadError(withHeader(good, "\"k\":5", "\"k\":101")), "a huge k would make the search quadratic");
        assertEquals("bad.recon: bundle field 'detector' is invalid: 4 reference rows for k = 0" + range,
                loadError(withHeader(withHeader(good, "\"k\":5", "\"k\":0"), "\"reference_rows\":" + refRows,
                        "\"reference_rows\":4")));
        assertEquals("bad.recon: bundle field 'detector.kind' is missing or invalid",
                loadError(withHeader(good, "\"kind\":\"ae-knn\"", "\"kin\":\"ae-knn\"")), "format 2 requires the field");
        assertEquals("bad.recon: bundle field 'training.init' is missing or invalid",
                loadError(withHeader(good, "\"init\":\"he\"", "\"ini\":\"he\"")));
        assertEditsRefused(good,
                "\"ae_scale\":[^,}]+", "\"ae_scale\":0", "bad\\.recon: bundle field 'detector' is invalid: score scales must be positive.*",
                "\"knn_scale\":[^,}]+", "\"knn_scale\":-1e999", "bad\\.recon: bundle field 'detector' is invalid: score scales must be positive.*");
        assertEquals("bad.recon: bundle field 'detector.kind' is invalid: 'forest' (this Recon knows ae and ae-knn)",
                loadError(withHeader(good, "\"kind\":\"ae-knn\"", "\"kind\":\"forest\"")));
        int nParams = new dev.recon.model.ParameterLayout(b.spec()).size();
        assertEquals("bad.recon: bundle field 'arrays.knn_reference' is invalid: value 3 is NaN",
                loadError(withParameter(good, 4 * nParams + 3, Float.NaN)));
    }

    @Test
    void thePlainAutoencoderKeepsNoTrainingRows() {
        Bundle b = train(small(1).withDetector(dev.recon.model.DetectorKind.AE), null);
        assertEquals(null, b.knn());
        Bundle back = BundleFormat.decode("m", BundleFormat.encode(b));
        assertEquals(dev.recon.model.DetectorKind.AE, back.detector());
        assertTrue(BundleFormat.encode(b).length < BundleFormat.encode(train(small(1), null)).length);
    }

    @Test
    void corruptedFilesGetClearErrors() throws Exception {
        byte[] good = BundleFormat.encode(train(small(1), null));
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        assertEquals("bad.recon: corrupted or truncated model bundle (checksum mismatch)", loadError(flipped));
        assertEquals("bad.recon: corrupted or truncated model bundle (checksum mismatch)",
                loadError(Arrays.copyOf(good, good.length - 100)));
        assertEquals("bad.recon: not a Recon model bundle (bad magic bytes)", loadError("a,b\n1,2\n".getBytes()));
        assertEquals("bad.recon: not a Recon model bundle (bad magic bytes)", loadError(new byte[0]));
        assertEquals("bad.recon: truncated model bundle (20 bytes)", loadError(Arrays.copyOf(good, 20)));
        byte[] v3 = good.clone();
        v3[8] = 3;
        assertEquals("bad.recon: bundle format version 3; this Recon reads versions 1 to 2 (upgrade Recon)", loadError(v3));
        byte[] v0 = good.clone();
        v0[8] = 0;
        assertEquals("bad.recon: bundle format version 0; this Recon reads versions 1 to 2", loadError(v0));
        assertEquals("bad.recon: bundle field 'scaler.mean' is missing or invalid",
                loadError(withHeader(good, "\"mean\"", "\"mean_\"")));
        assertEquals("bad.recon: bundle field 'arrays[0]' is missing or invalid",
                loadError(withHeader(good, "\"name\":\"best_params\"", "\"name\":\"weights\"")));
        assertTrue(loadError(withHeader(good, "\"latent\":3", "\"latent\":-1")).startsWith("bad.recon: bad architecture"));
        Path missing = dir.resolve("none.recon");
        assertTrue(assertThrows(ReconException.class, () -> BundleFormat.read(missing)).getMessage()
                .endsWith("none.recon: no such model file"));
    }
}
