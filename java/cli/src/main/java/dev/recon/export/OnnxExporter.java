package dev.recon.export;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.Version;
import dev.recon.io.Bundle;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * A bundle as one ONNX model that scores raw rows the way {@link dev.recon.score.Detector}
 * does: input {@value #INPUT}, FLOAT (N, features), raw feature values in the bundle's feature
 * order; outputs {@value #RECONSTRUCTION} (FLOAT (N, features), raw units), {@value #SCORE}
 * (FLOAT (N), the Detector's score), {@value #ANOMALY} (BOOL (N), {@code !(score < threshold)})
 * and {@value #ERROR} (FLOAT (N), the reconstruction error alone).
 *
 * <p>The file declares IR version {@value #IR_VERSION} and opset {@value #OPSET}, so ONNX
 * runtimes from 2021 on load it. Tribuo's builder writes nodes of opset 13 and leaves the model
 * around them to its caller; this class sets both explicitly.
 */
public final class OnnxExporter {
    public static final long IR_VERSION = 8;
    public static final int OPSET = 13;
    public static final String INPUT = "features";
    public static final String RECONSTRUCTION = "reconstruction";
    public static final String SCORE = "score";
    public static final String ANOMALY = "anomaly";
    public static final String ERROR = "reconstruction_error";
    /** The dynamic first dimension, named as Tribuo names the input's. */
    private static final String ROWS = "batch";

    private OnnxExporter() {
    }

    /** The serialised model; throws bad input with the reason when the bundle cannot be expressed. */
    public static byte[] export(Bundle b) {
        return model(b).toByteArray();
    }

    public static ModelProto model(Bundle b) {
        OnnxSupport.check(b);
        int d = b.spec().inputDim();
        ONNXContext c = new ONNXContext();
        c.setName("recon_" + b.detector().id().replace('-', '_'));
        ONNXRef<?> raw = c.floatInput(INPUT, d);
        ONNXNode scaled = ScalerNodes.scale(c, raw, b.scaler());
        ONNXRef<?> last = NetworkNodes.forward(c, scaled, b.spec(), b.params());
        ONNXRef<?> reconstruction = NetworkNodes.reconstruction(last, b.spec().objective());
        ONNXNode error = NetworkNodes.rowError(last, scaled, b.errorObjective());
        // the Detector compares the score as a double; so does the graph, before the score is cast to float
        ONNXRef<?> score = switch (b.detector()) {
            // the float error widens exactly, and the score output narrows it back to the same float
            case AE -> error.cast(double.class);
            case AE_KNN -> NeighbourNodes.combine(c, error, NeighbourNodes.kthSquaredDistance(c, scaled, b.knn()), b.knn());
        };
        // NOT(score < threshold), not score >= threshold: a NaN score is flagged, as the Detector fails closed
        ONNXNode anomaly = score.apply(ONNXOperators.LESS, c.array("threshold", new double[] {b.threshold()}, false))
                .apply(Ops.NOT);
        ONNXNode scoreFloat = score.cast(float.class);
        ONNXNode rawReconstruction = ScalerNodes.unscale(c, reconstruction, b.scaler());

        // every node through the context before this: the graph is a snapshot of it
        GraphProto.Builder g = c.buildGraph().toBuilder();
        output(g, rawReconstruction.getReference(), RECONSTRUCTION, TensorProto.DataType.FLOAT, d);
        output(g, scoreFloat.getReference(), SCORE, TensorProto.DataType.FLOAT, 0);
        output(g, anomaly.getReference(), ANOMALY, TensorProto.DataType.BOOL, 0);
        output(g, error.getReference(), ERROR, TensorProto.DataType.FLOAT, 0);
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("recon")
                .setProducerVersion(Version.get())
                .setDomain("dev.recon")
                .setModelVersion(1)
                .setDocString("Recon " + b.detector().id() + " detector: " + b.spec().describe())
                .setGraph(g)
                .addAllMetadataProps(metadata(b).entrySet().stream()
                        .map(e -> StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build())
                        .toList())
                .build();
    }

    /**
     * Names a node's result as a graph output. Tribuo's context only declares rank-2 float
     * outputs; score and flag are rank 1, and the flag is boolean, so the Identity node and the
     * output's type are written here with the generated protobuf classes.
     */
    private static void output(GraphProto.Builder g, String from, String name, TensorProto.DataType type, int width) {
        g.addNode(NodeProto.newBuilder().setOpType("Identity").setName("output_" + name).addInput(from).addOutput(name));
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(ROWS));
        if (width > 0) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width));
        }
        g.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))));
    }

    /** What a user of the file needs besides the graph: the column order above all. */
    private static Map<String, String> metadata(Bundle b) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            m.put("features", new ObjectMapper().writeValueAsString(b.featureNames()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("feature names as JSON", e);
        }
        m.put("detector", b.detector().id());
        m.put("threshold", Double.toString(b.threshold()));
        m.put("reconstruction_units", "raw");
        m.put("recon_version", b.engineVersion());
        return m;
    }
}
