package dev.recon;

/**
 * A failure Recon explains to its user in one line. {@link #badInput()} separates the user's
 * mistakes (bad data, bad options, a corrupted model file: exit code 2) from failures of the
 * run itself (exit code 1).
 */
public class ReconException extends RuntimeException {
    private final boolean badInput;

    public ReconException(String message, boolean badInput) {
        super(message);
        this.badInput = badInput;
    }

    public ReconException(String message, boolean badInput, Throwable cause) {
        super(message, cause);
        this.badInput = badInput;
    }

    /** Bad input or bad usage rather than a failure of the run. */
    public boolean badInput() {
        return badInput;
    }

    /** Bad input: names the file (and line and column where there is one) in the message. */
    public static ReconException input(String message) {
        return new ReconException(message, true);
    }
}
