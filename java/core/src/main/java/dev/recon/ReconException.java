package dev.recon;

/**
 * A failure Recon explains to its user in one line. {@link #badInput()} separates the user's
 * mistakes (bad data, bad options, a corrupted model file: exit code 2) from failures of the
 * run itself (exit code 1).
 */
public class ReconException extends RuntimeException {
    private final boolean badInput;

    public ReconException(String message, boolean badInput) {
        super(oneLine(message));
        this.badInput = badInput;
    }

    public ReconException(String message, boolean badInput, Throwable cause) {
        super(oneLine(message), cause);
        this.badInput = badInput;
    }

    /**
     * The message on one line whatever it quotes: line breaks and other control characters from
     * the user's data or options (a header cell with a newline inside quotes, say) are escaped.
     */
    static String oneLine(String message) {
        if (message == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (sb == null) {
                    sb = new StringBuilder(message.length() + 8).append(message, 0, i);
                }
                sb.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : String.format("\\x%02x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? message : sb.toString();
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
