package dev.recon.backend.cuda;

/** Why the CUDA backend cannot run here, in words for {@code recon info} and {@code --device auto}. */
final class CudaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CudaUnavailableException(String reason) {
        super(reason, null, false, false);
    }
}
