package dev.recon.export;

import dev.recon.ReconException;
import dev.recon.io.Bundle;
import dev.recon.model.KnnComponent;

/**
 * Which bundles one ONNX file can hold, and the one-line reason for those it cannot. Every
 * activation, loss and detector kind has an ONNX form today; the switches that build them
 * ({@link NetworkNodes}, {@link OnnxExporter}) have no default branch, so a new kind does not
 * compile until it is given one or refused here, and never exports as a guess.
 */
final class OnnxSupport {
    /** protobuf's limit on one message: an ONNX file of one message cannot be larger. */
    static final long MAX_BYTES = Integer.MAX_VALUE;
    /** Room for everything but the tensors: names, nodes, metadata, the scaler. */
    private static final long OVERHEAD_BYTES = 1 << 20;

    private OnnxSupport() {
    }

    /** Throws bad input, one line, when {@code b} cannot be exported to ONNX. */
    static void check(Bundle b) {
        String why = reason(b);
        if (why != null) {
            throw ReconException.input("cannot export to ONNX: " + why);
        }
    }

    /** Why {@code b} cannot be exported, or null where it can. */
    static String reason(Bundle b) {
        if (b.spec().variational()) {
            return "variational autoencoders are not exported yet (the graph has no sampling step); export a --kind ae model";
        }
        long bytes = estimatedBytes(b);
        if (bytes > MAX_BYTES) {
            return String.format(java.util.Locale.ROOT, "the model needs about %,d MB, beyond the 2 GB that one ONNX "
                    + "file (a protobuf message) can hold", bytes >> 20);
        }
        return null;
    }

    /** The file's size from the spec alone: parameters, reference rows (floats) and their squared norms (doubles). */
    static long estimatedBytes(Bundle b) {
        long bytes = 4L * new dev.recon.model.ParameterLayout(b.spec()).size() + 32L * b.spec().inputDim() + OVERHEAD_BYTES;
        KnnComponent knn = b.knn();
        if (knn != null) {
            bytes += 4L * knn.rows() * knn.features() + 8L * knn.rows();
        }
        return bytes;
    }
}
