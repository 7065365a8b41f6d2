package dev.recon.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The kernel sources bundled in the jar (copied from kernels/*.cu by the build). */
final class KernelSources {
    static final List<String> FILES = List.of("layers.cu", "loss.cu", "optim.cu", "data.cu", "network.cu", "vae.cu");
    /** Every kernel in those files; each has a CpuBackend method of the same name. */
    static final List<String> KERNELS = List.of("biasActivationForward", "activationBackward", "biasGradient",
            "lossGradient", "reconstructionError", "adamStep", "gatherRows", "accumulateSum", "networkForward",
            "networkErrors", "networkBackward", "networkWeightGradients", "gatherBatchRows", "advanceStep",
            "adamStepFromCounter", "sumPartials", "gaussianNoise", "reparameterize", "reparameterizeBackward");

    /** The kernels that take dynamic shared memory (and no static shared memory). */
    static final List<String> DYNAMIC_SHARED = List.of("networkForward", "networkErrors", "networkBackward");

    private KernelSources() {
    }

    /** All kernels as one compilation unit for NVRTC. */
    static String all() {
        StringBuilder sb = new StringBuilder();
        for (String f : FILES) {
            try (InputStream in = KernelSources.class.getResourceAsStream("/kernels/" + f)) {
                if (in == null) {
                    throw new IllegalStateException("kernel source kernels/" + f + " is missing from the jar");
                }
                sb.append("// ").append(f).append('\n').append(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .append('\n');
            } catch (IOException e) {
                throw new IllegalStateException("cannot read kernels/" + f, e);
            }
        }
        return sb.toString();
    }
}
