package dev.recon.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.recon.ReconException;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.CsvOptions;
import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.data.SyntheticData;
import dev.recon.eval.ThresholdPolicy;
import dev.recon.io.AtomicFiles;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.DetectorKind;
import dev.recon.model.Loss;
import dev.recon.pipeline.Features;
import dev.recon.pipeline.TrainJob;
import dev.recon.pipeline.TrainOptions;
import dev.recon.score.Detector;
import dev.recon.score.Scores;
import dev.recon.train.TrainListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported graph, run in ONNX Runtime, against the Detector it re-states. */
class OnnxExportTest {
    /** Score and error agree to this relative difference; flags agree wherever the score is further from the threshold. */
    static final double REL = 1e-5;

    @TempDir
    Path dir;

    static Path repo() {
        return Path.of(System.getProperty("recon.repo", "../..")).toAbsolutePath().normalize();
    }

    static Bundle committedModel() {
        return BundleFormat.read(repo().resolve("models/creditcard-subset/model.recon"));
    }

    /** The committed ae-knn model on every row of the credit-card subset it was trained on. */
    @Test
    void theCommittedModelScoresTheCreditCardRowsAsTheDetectorDoes() throws Exception {
        Path cc = repo().resolve("../shared/data/creditcard/creditcard.csv.gz").normalize();
        if ("1".equals(System.getenv("RECON_REQUIRE_DATA"))) {
            // CI has ../shared beside the checkout: a missing file is a failure there, not a skip
            assertTrue(Files.isRegularFile(cc), "the credit-card subset is missing: " + cc);
        }
        assumeTrue(Files.isRegularFile(cc), "the credit-card subset is not beside this checkout");
        Bundle b = committedModel();
        assertEquals(DetectorKind.AE_KNN, b.detector());
        Dataset ds = CsvReader.read(cc, CsvOptions.defaults());
        Agreement a = compare(b, Features.select(ds, b.featureNames()), ds.rows());
        System.out.printf(Locale.ROOT, "ONNX vs Detector, committed model, %d rows: max relative score difference %.3g, "
                + "%d flags differ%n", ds.rows(), a.maxRelative(), a.flagsDiffering());
    }

    /** The plain autoencoder (score = reconstruction error), with the other loss. */
    @Test
    void aPlainAutoencoderWithMaeLossScoresAsTheDetectorDoes() throws Exception {
        Dataset data = SyntheticData.generate(9, 3000, 60, 5);
        Bundle b = train(data, new TrainOptions(new int[] {24, 12}, 4, Activation.RELU, Loss.MAE, 3, 256, 1e-3f, null,
                7, ThresholdPolicy.DEFAULT, DetectorKind.AE, null));
        assertEquals(DetectorKind.AE, b.detector());
        compare(b, data.values(), data.rows());
    }

    /**
     * Images: a sigmoid output trained with binary cross-entropy, scored by BCE from the logits
     * (Softplus in the graph) and by the mean absolute error of the sigmoid reconstruction.
     */
    @Test
    void aSigmoidOutputScoresAsTheDetectorDoesUnderBceAndMae() throws Exception {
        Dataset images = SyntheticData.images(new dev.recon.data.ImageShape(4, 5, 1), 1500, 15, 4);
        for (Loss error : List.of(Loss.BCE, Loss.MAE)) {
            Bundle b = train(images, new TrainOptions(new int[] {12}, 3, Activation.RELU, null, 4, 256, 3e-3f, null, 5,
                    ThresholdPolicy.DEFAULT, null, null, null, error, null));
            assertEquals(dev.recon.model.Objective.SIGMOID_BCE, b.spec().objective());
            assertEquals(error, b.errorLoss());
            compare(b, images.values(), images.rows());
        }
    }

    /** The default detector on data with a constant column, which the scaler maps to 0 with scale 1. */
    @Test
    void theDefaultDetectorWithAConstantColumnScoresAsTheDetectorDoes() throws Exception {
        Dataset data = withConstantColumn(SyntheticData.generate(7, 3000, 60, 11), 3.5f);
        Bundle b = train(data, new TrainOptions(new int[] {16, 8}, 4, Activation.RELU, Loss.MSE, 3, 256, 1e-3f, null,
                11, ThresholdPolicy.DEFAULT, DetectorKind.AE_KNN, null));
        assertEquals(DetectorKind.AE_KNN, b.detector());
        assertEquals(1.0, b.scaler().scale()[7], "the constant column's scale");
        compare(b, data.values(), data.rows());
    }

    /** A NaN in a row makes its score NaN, and the graph flags it as the Detector does: fail closed. */
    @Test
    void aRowHoldingNaNIsFlagged() throws Exception {
        Bundle knn = committedModel();
        Dataset data = SyntheticData.generate(5, 2000, 40, 3);
        Bundle ae = train(data, new TrainOptions(new int[] {16, 8}, 3, Activation.RELU, Loss.MSE, 2, 256, 1e-3f, null, 3,
                ThresholdPolicy.DEFAULT, DetectorKind.AE, null));
        for (Bundle b : List.of(knn, ae)) {
            int d = b.spec().inputDim();
            float[] rows = new float[2 * d];
            // two copies of the mean row, the second with one NaN
            System.arraycopy(toFloat(b.scaler().mean()), 0, rows, 0, d);
            System.arraycopy(rows, 0, rows, d, d);
            rows[d + d / 2] = Float.NaN;
            OrtScoring ort = OrtScoring.run(OnnxExporter.export(b), rows, 2, d);
            assertTrue(Float.isNaN(ort.score[1]), b.detector() + ": score of the NaN row " + ort.score[1]);
            assertTrue(ort.anomaly[1], b.detector() + ": the NaN row is flagged");
            assertTrue(Float.isFinite(ort.score[0]), b.detector() + ": the mean row's score " + ort.score[0]);
            try (CpuBackend be = new CpuBackend(1); Detector det = Detector.of(b, be)) {
                assertEquals(det.score(rows, 2).anomalies()[0], ort.anomaly[0], b.detector() + ": the mean row's flag");
            }
        }
    }

    /** What the file declares, read back from disk: IR version, opset, and the inputs and outputs of the contract. */
    @Test
    void theFileDeclaresAnOldEnoughIrVersionAndOpsetAndItsInputsAndOutputs() throws Exception {
        Bundle b = committedModel();
        Path file = dir.resolve("model.onnx");
        AtomicFiles.write(file, OnnxExporter.export(b));
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(file));
        assertTrue(m.getIrVersion() >= 3 && m.getIrVersion() <= 8, "IR version " + m.getIrVersion());
        assertEquals(1, m.getOpsetImportCount(), "one opset, the default domain's");
        OperatorSetIdProto opset = m.getOpsetImport(0);
        assertEquals("", opset.getDomain());
        assertTrue(opset.getVersion() >= 13 && opset.getVersion() <= 17, "opset " + opset.getVersion());
        for (var node : m.getGraph().getNodeList()) {
            assertTrue(node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx"), node.getOpType() + " in " + node.getDomain());
        }
        int d = b.spec().inputDim();
        assertEquals(1, m.getGraph().getInputCount());
        assertTensor(m.getGraph().getInput(0), OnnxExporter.INPUT, TensorProto.DataType.FLOAT, d);
        Map<String, ValueInfoProto> out = m.getGraph().getOutputList().stream()
                .collect(Collectors.toMap(ValueInfoProto::getName, v -> v));
        assertEquals(4, out.size(), out.keySet().toString());
        assertTensor(out.get(OnnxExporter.RECONSTRUCTION), OnnxExporter.RECONSTRUCTION, TensorProto.DataType.FLOAT, d);
        assertTensor(out.get(OnnxExporter.SCORE), OnnxExporter.SCORE, TensorProto.DataType.FLOAT, 0);
        assertTensor(out.get(OnnxExporter.ANOMALY), OnnxExporter.ANOMALY, TensorProto.DataType.BOOL, 0);
        assertTensor(out.get(OnnxExporter.ERROR), OnnxExporter.ERROR, TensorProto.DataType.FLOAT, 0);
        Map<String, String> meta = m.getMetadataPropsList().stream()
                .collect(Collectors.toMap(e -> e.getKey(), e -> e.getValue()));
        assertEquals(Double.toString(b.threshold()), meta.get("threshold"));
        assertTrue(meta.get("features").startsWith("[\"" + b.featureNames().get(0) + "\""), meta.get("features"));
    }

    /** A model beyond protobuf's 2 GB cannot be one ONNX file: refused in one line, before any tensor is built. */
    @Test
    void aModelTooLargeForOneFileIsRefused() {
        Bundle small = committedModel();
        AutoencoderSpec s = small.spec();
        AutoencoderSpec huge = new AutoencoderSpec(s.inputDim(), new int[] {30_000, 20_000}, s.latent(),
                s.hiddenActivation(), s.loss());
        Bundle b = new Bundle(small.engineVersion(), huge, small.featureNames(), small.labels(), small.scaler(),
                small.threshold(), small.policy(), small.config(), small.data(), small.state(), small.stopReason(),
                small.metrics(), small.knn());
        ReconException e = assertThrows(ReconException.class, () -> OnnxExporter.export(b));
        assertTrue(e.badInput());
        assertTrue(e.getMessage().startsWith("cannot export to ONNX: ") && e.getMessage().contains("2 GB"), e.getMessage());
        assertNotNull(OnnxSupport.reason(b));
        assertEquals(null, OnnxSupport.reason(small), "the committed model fits");
    }

    private static void assertTensor(ValueInfoProto v, String name, TensorProto.DataType type, int width) {
        assertNotNull(v, name);
        assertEquals(name, v.getName());
        var t = v.getType().getTensorType();
        assertEquals(type.getNumber(), t.getElemType(), name + " type");
        assertEquals(width > 0 ? 2 : 1, t.getShape().getDimCount(), name + " rank");
        assertFalse(t.getShape().getDim(0).hasDimValue(), name + ": the row count is dynamic");
        if (width > 0) {
            assertEquals(width, t.getShape().getDim(1).getDimValue(), name + " width");
        }
    }

    /** The largest relative score difference, and how many flags differ at all (near the threshold too). */
    record Agreement(double maxRelative, int flagsDiffering) {
    }

    /** Runs the rows through the graph and through the Detector, and asserts every row agrees. */
    static Agreement compare(Bundle b, float[] raw, int rows) throws Exception {
        int d = b.spec().inputDim();
        OrtScoring ort = OrtScoring.run(OnnxExporter.export(b), raw, rows, d);
        Scores want;
        try (CpuBackend be = new CpuBackend(2); Detector det = Detector.of(b, be)) {
            want = det.score(raw, rows);
        }
        JavaReference ref = new JavaReference(b, raw, rows);
        double[] scale = b.scaler().scale();
        double threshold = b.threshold();
        double worst = 0;
        int decided = 0;
        int differing = 0;
        for (int i = 0; i < rows; i++) {
            double w = want.errors()[i];
            assertTrue(Double.isFinite(w), "row " + i + ": the data has no rows the Detector cannot score");
            double rel = Math.abs(ort.score[i] - w) / Math.abs(w);
            worst = Math.max(worst, rel);
            assertTrue(rel <= REL, "row " + i + ": score " + ort.score[i] + ", Detector " + w);
            assertTrue(Math.abs(ort.error[i] - ref.error[i]) <= REL * Math.abs(ref.error[i]),
                    "row " + i + ": reconstruction error " + ort.error[i] + ", network " + ref.error[i]);
            differing += want.anomalies()[i] == ort.anomaly[i] ? 0 : 1;
            if (Math.abs(w - threshold) > REL * Math.abs(threshold)) {
                decided++;
                assertEquals(want.anomalies()[i], ort.anomaly[i], "row " + i + ": flag, score " + w + ", threshold "
                        + threshold);
            }
            for (int j = 0; j < d; j++) {
                float r = ref.reconstruction[i * d + j];
                // within a millionth-odd of the feature's spread: float rounding of the network, in raw units
                assertTrue(Math.abs(ort.reconstruction[i][j] - r) <= 1e-4 * scale[j] + REL * Math.abs(r),
                        "row " + i + ", feature " + j + ": reconstruction " + ort.reconstruction[i][j] + ", network " + r);
            }
        }
        assertTrue(decided > rows * 0.99, decided + " of " + rows + " rows away from the threshold");
        return new Agreement(worst, differing);
    }

    static Bundle train(Dataset data, TrainOptions o) {
        try (CpuBackend be = new CpuBackend(2)) {
            return TrainJob.run(data, o, be, TrainListener.NONE).bundle();
        }
    }

    private static Dataset withConstantColumn(Dataset data, float value) {
        int d = data.features();
        float[] x = new float[data.rows() * (d + 1)];
        for (int r = 0; r < data.rows(); r++) {
            System.arraycopy(data.values(), r * d, x, r * (d + 1), d);
            x[r * (d + 1) + d] = value;
        }
        List<String> names = new ArrayList<>(data.featureNames());
        names.add("constant");
        return new Dataset(data.source() + " with a constant column", names, x, data.rows(),
                data.gatherLabels(data.allRows()), data.labels(), true);
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
