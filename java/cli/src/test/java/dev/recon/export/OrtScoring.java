package dev.recon.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** An exported model run in ONNX Runtime (CPU), its outputs gathered over every row. */
final class OrtScoring {
    /**
     * Rows per call: the neighbour part holds (rows, reference rows) doubles a few times over,
     * 80 MB each at 20,000 reference rows, as a caller of the graph should batch too.
     */
    static final int BATCH = 512;

    final float[][] reconstruction;
    final float[] score;
    final boolean[] anomaly;
    final float[] error;

    private OrtScoring(int rows) {
        reconstruction = new float[rows][];
        score = new float[rows];
        anomaly = new boolean[rows];
        error = new float[rows];
    }

    /** Runs {@code rows} raw rows (rows, d) row-major through the serialised model. */
    static OrtScoring run(byte[] model, float[] raw, int rows, int d) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtScoring s = new OrtScoring(rows);
        try (OrtSession.SessionOptions opt = new OrtSession.SessionOptions()) {
            opt.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(model, opt)) {
                for (int off = 0; off < rows; off += BATCH) {
                    int n = Math.min(BATCH, rows - off);
                    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(raw, off * d, n * d),
                            new long[] {n, d}); OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, in))) {
                        float[][] rec = (float[][]) r.get(OnnxExporter.RECONSTRUCTION).orElseThrow().getValue();
                        float[] sc = (float[]) r.get(OnnxExporter.SCORE).orElseThrow().getValue();
                        boolean[] an = (boolean[]) r.get(OnnxExporter.ANOMALY).orElseThrow().getValue();
                        float[] er = (float[]) r.get(OnnxExporter.ERROR).orElseThrow().getValue();
                        System.arraycopy(rec, 0, s.reconstruction, off, n);
                        System.arraycopy(sc, 0, s.score, off, n);
                        System.arraycopy(an, 0, s.anomaly, off, n);
                        System.arraycopy(er, 0, s.error, off, n);
                    }
                }
            }
        }
        return s;
    }
}
