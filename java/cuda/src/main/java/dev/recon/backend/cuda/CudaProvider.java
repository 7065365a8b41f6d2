package dev.recon.backend.cuda;

import dev.recon.backend.Backend;
import dev.recon.backend.BackendProvider;
import java.util.List;

/**
 * Offers the CUDA backend to {@link dev.recon.backend.Backends}. Probing finds and loads the
 * libraries ({@link JCudaLoader}: JCuda is not loaded at all without a driver), then opens the
 * device once (device, NVRTC compile) and keeps the reason of any failure, so that {@code recon
 * info} and {@code --device auto} can say exactly why the GPU is not used and, when it is, which
 * libraries it reached and how.
 */
public final class CudaProvider implements BackendProvider {
    private static String reason;
    private static List<String> details = List.of();
    private static boolean probed;

    @Override
    public String name() {
        return "cuda";
    }

    private static synchronized void probe() {
        if (probed) {
            return;
        }
        probed = true;
        JCudaLoader.Loaded how;
        try {
            how = JCudaLoader.load();
        } catch (CudaUnavailableException e) {
            reason = e.getMessage();
            details = CudaLibraries.locate().describe();
            return;
        }
        List<String> lines = new java.util.ArrayList<>(how.describe());
        try (JCudaDevice d = new JCudaDevice()) {
            lines.addAll(0, d.details());
        } catch (UnsatisfiedLinkError e) {
            reason = explainLink(e.getMessage());
        } catch (LinkageError e) {
            reason = "the JCuda native libraries cannot be loaded (" + e + ")";
        } catch (RuntimeException e) {
            reason = explainRuntime(e);
        }
        details = List.copyOf(lines);
    }

    /** A library failed to link after the loader chose it: name what is missing. */
    static String explainLink(String msg) {
        String m = msg == null ? "" : msg;
        if (m.contains("libcuda.so")) {
            return "the NVIDIA driver library cannot be loaded (" + m.lines().findFirst().orElse(m) + ")";
        }
        if (m.contains("libcublas") || m.contains("libnvrtc")) {
            return "cuBLAS or NVRTC cannot be loaded (" + m.lines().findFirst().orElse(m) + "); recon info lists the "
                    + "libraries found, RECON_CUDA_LIBS names their folder";
        }
        return "the JCuda native libraries cannot be loaded: " + m.lines().findFirst().orElse(m);
    }

    static String explainRuntime(RuntimeException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("CUDA_ERROR_NO_DEVICE")) {
            return "no CUDA device (the driver sees no GPU)";
        }
        if (m.contains("CUDA_ERROR_INSUFFICIENT_DRIVER") || m.contains("CUDA_ERROR_COMPAT")) {
            return "the NVIDIA driver is older than CUDA 12 needs (" + m + ")";
        }
        if (m.startsWith("NVRTC")) {
            return "kernel compile failure: " + m;
        }
        return "CUDA initialisation failed: " + m;
    }

    @Override
    public String unavailableReason() {
        probe();
        return reason;
    }

    @Override
    public List<String> details() {
        probe();
        return details;
    }

    @Override
    public Backend open() {
        JCudaLoader.load();
        return new CudaBackend(new JCudaDevice());
    }
}
