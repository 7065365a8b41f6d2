package dev.recon.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/** What a request carries besides its path: the body within its limit, the content type, {@code explain=K}. */
final class Requests {
    private Requests() {
    }

    /** A request body: the first {@code length} bytes of {@code bytes}. */
    record Body(byte[] bytes, int length) {
    }

    /** Reads the whole body, refusing (413) one over the limit, before reading it where its length is declared. */
    static Body body(HttpExchange ex, int maxBody) throws IOException {
        long declared = -1;
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        if (cl != null) {
            // the JDK's server has refused a malformed length before the handler runs
            declared = Long.parseLong(cl.strip());
        }
        if (declared > maxBody) {
            ex.getResponseHeaders().set("Connection", "close");
            throw ApiException.tooLarge("the body has " + declared + " bytes; the server takes at most " + maxBody
                    + " (its --max-body)");
        }
        // a declared length is a promise, not bytes: grow towards it as they arrive
        byte[] buf = new byte[(int) Math.min(declared >= 0 ? declared : 8192, 64 * 1024)];
        int n = 0;
        try (InputStream in = ex.getRequestBody()) {
            while (true) {
                if (n == buf.length) {
                    if (n == declared || n > maxBody) {
                        break;
                    }
                    long cap = declared >= 0 ? declared : maxBody + 1L;
                    buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, cap));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        }
        if (n > maxBody) {
            ex.getResponseHeaders().set("Connection", "close");
            throw ApiException.tooLarge("the body is over " + maxBody + " bytes (the server's --max-body)");
        }
        if (n == 0) {
            throw ApiException.badRequest("empty request body; send {\"rows\": [[v1, v2, ...]]} or CSV with a header");
        }
        return new Body(buf, n);
    }

    /** The media type of a Content-Type header, lower case, without parameters; empty where there is none. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** The {@code explain=K} query parameter: 0 where absent, at most the feature count. */
    static int explain(String query, int features) {
        if (query == null) {
            return 0;
        }
        int k = 0;
        for (String kv : query.split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            String key = eq < 0 ? kv : kv.substring(0, eq);
            String value = eq < 0 ? "" : kv.substring(eq + 1);
            if (!key.equals("explain")) {
                throw ApiException.badRequest("unknown query parameter '" + key + "'; the only one is explain=K");
            }
            try {
                k = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                k = -1;
            }
            if (k < 0) {
                throw ApiException.badRequest("explain must be a whole number from 0 to " + features + ", not '" + value + "'");
            }
        }
        return Math.min(k, features);
    }
}
