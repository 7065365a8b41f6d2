package dev.recon.serve;

import java.nio.file.Path;

/**
 * How {@code recon serve} runs.
 *
 * @param token          the bearer token every endpoint but health and ready requires; null for none
 * @param maxBody        the largest request body, in bytes
 * @param maxRows        the most rows one scoring request may carry
 * @param readTimeout    seconds a client may take to send a whole request (headers and body)
 * @param drainSeconds   seconds a shutdown waits for requests in flight
 * @param microBatch     score concurrent single-row requests together
 */
public record ServeConfig(Path model, String host, int port, int threads, BearerToken token, int maxBody, int maxRows,
                          int readTimeout, int drainSeconds, boolean microBatch) {
    public static final int DEFAULT_MAX_BODY = 1 << 20;
    public static final int DEFAULT_MAX_ROWS = 10_000;
    /** The JDK server's limit on the request line and headers together, in bytes. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
}
