package dev.recon.export;

import dev.recon.model.KnnComponent;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The nearest-neighbour half of the {@code ae-knn} score as nodes: the squared Euclidean
 * distance from each scaled row to its k-th nearest reference row, combined with the
 * reconstruction error as {@link KnnComponent#combine} does.
 *
 * <p>The distances come from {@code |x|^2 - 2 x.r + |r|^2}, one matrix product instead of an
 * (N, M, d) tensor of differences (M is up to 20,000 rows). In float that sum cancels badly
 * for near neighbours, so it runs in double: the float inputs are exact in double and the
 * products of two of them too, which leaves rounding far below the float sums of
 * {@link dev.recon.score.NearestNeighbours}. Rounding can still leave a tiny negative where the
 * distance is zero (a duplicated row), hence the clamp at 0.
 */
final class NeighbourNodes {
    private NeighbourNodes() {
    }

    /** DOUBLE (N): the squared distance from each scaled FLOAT row (N, d) to its k-th nearest reference row. */
    static ONNXNode kthSquaredDistance(ONNXContext c, ONNXRef<?> scaled, KnnComponent knn) {
        int m = knn.rows();
        int d = knn.features();
        float[] ref = knn.reference();
        // -2 R^T as floats: scaling by -2 is exact, and the (d, M) layout is what MatMul takes;
        // half the file size of doubles, cast once per run
        ONNXRef<?> minusTwoRt = c.floatTensor("knn_reference_t_times_minus_2", List.of(d, m), buf -> {
            for (int f = 0; f < d; f++) {
                for (int i = 0; i < m; i++) {
                    buf.put(-2f * ref[i * d + f]);
                }
            }
        });
        double[] refSquared = new double[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int f = 0; f < d; f++) {
                double v = ref[i * d + f];
                s += v * v;
            }
            refSquared[i] = s;
        }
        ONNXNode x = scaled.cast(double.class);
        ONNXNode xSquared = x.apply(ONNXOperators.MUL, x).apply(ONNXOperators.REDUCE_SUM,
                c.array("knn_feature_axis", new long[] {1}), Map.of("keepdims", 1));
        ONNXNode cross = x.apply(Ops.MATMUL, minusTwoRt.cast(double.class));
        ONNXNode squared = cross.apply(ONNXOperators.ADD, xSquared)
                .apply(ONNXOperators.ADD, c.array("knn_reference_squared_norm", refSquared, false))
                .apply(Ops.MAX, c.array("knn_zero", new double[] {0}, false));
        List<ONNXNode> nearest = c.operation(Ops.TOPK, List.of(squared, c.array("knn_k", new long[] {knn.k()})),
                List.of("knn_nearest", "knn_nearest_index"), Map.of("axis", 1, "largest", 0, "sorted", 1));
        // the k smallest in ascending order: the last is the k-th nearest
        return nearest.get(0).apply(ONNXOperators.GATHER, c.constant("knn_kth", (long) knn.k() - 1),
                Map.of("axis", 1));
    }

    /**
     * DOUBLE (N): {@code error / aeScale + distance^2 / knnScale}, from the FLOAT reconstruction
     * error and the squared distance. combine squares the distance the search took the root of;
     * the graph keeps the square it has, which differs by a rounding of the double.
     */
    static ONNXNode combine(ONNXContext c, ONNXRef<?> error, ONNXRef<?> squaredDistance, KnnComponent knn) {
        ONNXNode ae = error.cast(double.class).apply(ONNXOperators.DIV,
                c.array("ae_scale", new double[] {knn.aeScale()}, false));
        ONNXNode nn = squaredDistance.apply(ONNXOperators.DIV, c.array("knn_scale", new double[] {knn.knnScale()}, false));
        return ae.apply(ONNXOperators.ADD, nn);
    }
}
