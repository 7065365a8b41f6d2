package dev.recon.export;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * The ONNX operators the graph needs that Tribuo's {@link org.tribuo.util.onnx.ONNXOperators}
 * lacks, declared the way it declares its own, so that one {@link org.tribuo.util.onnx.ONNXContext}
 * builds and checks every node. Versions are those current at {@link OnnxExporter#OPSET}.
 */
enum Ops implements ONNXOperator {
    RELU("Relu", 1, 1, 13, Map.of()),
    ABS("Abs", 1, 1, 13, Map.of()),
    MATMUL("MatMul", 2, 1, 13, Map.of()),
    MAX("Max", 2, 1, 13, Map.of()),
    NOT("Not", 1, 1, 1, Map.of()),
    SIGMOID("Sigmoid", 1, 1, 13, Map.of()),
    SOFTPLUS("Softplus", 1, 1, 1, Map.of()),
    NEG("Neg", 1, 1, 13, Map.of()),
    /** Inputs X and K (int64, [1]); outputs the values and their indices. */
    TOPK("TopK", 2, 2, 11, Map.of(
            "axis", new ONNXAttribute("axis", AttributeType.INT, false),
            "largest", new ONNXAttribute("largest", AttributeType.INT, false),
            "sorted", new ONNXAttribute("sorted", AttributeType.INT, false)));

    private final String name;
    private final int inputs;
    private final int outputs;
    private final int version;
    private final Map<String, ONNXAttribute> attributes;

    Ops(String name, int inputs, int outputs, int version, Map<String, ONNXAttribute> attributes) {
        this.name = name;
        this.inputs = inputs;
        this.outputs = outputs;
        this.version = version;
        this.attributes = attributes;
    }

    @Override
    public String getOpName() {
        return name;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return outputs;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Set.of();
    }

    @Override
    public int getOpVersion() {
        return version;
    }

    @Override
    public String getOpDomain() {
        // null is the default domain (ai.onnx), as in Tribuo's own operators: the node then names none
        return null;
    }
}
