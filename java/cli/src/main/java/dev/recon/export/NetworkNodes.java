package dev.recon.export;

import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Loss;
import dev.recon.model.Objective;
import dev.recon.model.ParameterLayout;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The autoencoder and its per-row reconstruction error as nodes, in float as the network runs:
 * layer l is {@code act_l(A W_l^T + b_l)} with W_l stored (out, in) row-major in the flat
 * parameter buffer ({@link ParameterLayout}), which is Gemm with {@code transB = 1} on the
 * weights exactly as stored.
 */
final class NetworkNodes {
    private NetworkNodes() {
    }

    /** The last layer's output for the scaled FLOAT rows (N, d): the reconstruction, or its logits under a sigmoid. */
    static ONNXRef<?> forward(ONNXContext c, ONNXRef<?> scaled, AutoencoderSpec spec, float[] params) {
        ParameterLayout layout = new ParameterLayout(spec);
        ONNXRef<?> a = scaled;
        for (int l = 0; l < layout.layers(); l++) {
            int out = layout.out(l);
            int in = layout.in(l);
            int w = (int) layout.weight(l);
            int b = (int) layout.bias(l);
            ONNXRef<?> weight = c.floatTensor("layer" + l + "_weight", List.of(out, in), buf -> buf.put(params, w, out * in));
            ONNXRef<?> bias = c.floatTensor("layer" + l + "_bias", List.of(out), buf -> buf.put(params, b, out));
            ONNXNode affine = c.operation(ONNXOperators.GEMM, List.<ONNXRef<?>>of(a, weight, bias), "layer" + l,
                    Map.of("transB", 1));
            a = activation(affine, spec.activation(l));
        }
        return a;
    }

    private static ONNXRef<?> activation(ONNXNode z, Activation act) {
        // no default: a new activation must be given its ONNX form here before any bundle using it exports
        return switch (act) {
            case RELU -> z.apply(Ops.RELU);
            case IDENTITY -> z;
            case SIGMOID -> z.apply(Ops.SIGMOID);
        };
    }

    /** The reconstruction in scaled units from the last layer's output: the output activation applied. */
    static ONNXRef<?> reconstruction(ONNXRef<?> last, Objective objective) {
        return objective.sigmoid() ? last.apply(Ops.SIGMOID) : last;
    }

    /**
     * Each row's error, FLOAT (N): the mean over the features of the loss between the last layer's
     * output and the scaled input under {@code objective} (a mean, not a sum); binary
     * cross-entropy from the logits as {@code Relu(z) - z x + Softplus(-|z|)}.
     */
    static ONNXNode rowError(ONNXRef<?> last, ONNXRef<?> scaled, Objective objective) {
        ONNXNode perFeature;
        if (objective == Objective.SIGMOID_BCE) {
            ONNXNode soft = last.apply(Ops.ABS).apply(Ops.NEG).apply(Ops.SOFTPLUS);
            perFeature = last.apply(Ops.RELU).apply(ONNXOperators.SUB, last.apply(ONNXOperators.MUL, scaled))
                    .apply(ONNXOperators.ADD, soft);
        } else {
            ONNXNode diff = reconstruction(last, objective).apply(ONNXOperators.SUB, scaled);
            perFeature = objective.loss() == Loss.MSE ? diff.apply(ONNXOperators.MUL, diff) : diff.apply(Ops.ABS);
        }
        return perFeature.apply(ONNXOperators.REDUCE_MEAN, Map.of("axes", new int[] {1}, "keepdims", 0));
    }
}
