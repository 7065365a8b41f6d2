package dev.recon.export;

import dev.recon.data.StandardScaler;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The bundle's {@link StandardScaler} as nodes. It computes {@code (float) ((x - mean) / scale)}
 * in double precision, so the graph does too: the scaled rows are then the Detector's to the
 * bit. A constant column needs nothing here: the scaler stored scale 1 for it. (Tribuo's
 * {@code array(name, double[])} would store the values as floats; {@code false} keeps doubles.)
 */
final class ScalerNodes {
    private ScalerNodes() {
    }

    /** Raw FLOAT rows (N, d) to scaled FLOAT rows (N, d). */
    static ONNXNode scale(ONNXContext c, ONNXRef<?> raw, StandardScaler s) {
        ONNXNode x = raw.cast(double.class);
        ONNXNode centred = x.apply(ONNXOperators.SUB, c.array("scaler_mean", s.mean(), false));
        return centred.apply(ONNXOperators.DIV, c.array("scaler_scale", s.scale(), false)).cast(float.class);
    }

    /**
     * Scaled FLOAT rows back to raw units, {@code (float) (z * scale + mean)}: the inverse of
     * {@link #scale}, up to the rounding of the float in between.
     */
    static ONNXNode unscale(ONNXContext c, ONNXRef<?> scaled, StandardScaler s) {
        ONNXNode z = scaled.cast(double.class);
        ONNXNode stretched = z.apply(ONNXOperators.MUL, c.array("unscale_scale", s.scale(), false));
        return stretched.apply(ONNXOperators.ADD, c.array("unscale_mean", s.mean(), false)).cast(float.class);
    }
}
