package dev.recon.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recon.ReconException;
import dev.recon.Version;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.score.Contribution;
import dev.recon.score.ScoreCsv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP scoring service on the JDK's own server ({@code com.sun.net.httpserver}): no
 * dependency, a small attack surface, and fast enough for the targets (BENCHMARKS.md). One
 * handler routes every path, so that every answer, 404 and 405 included, is JSON. Every error
 * is {@code {"status": N, "error": "...", "message": "..."}}; a request the server cannot
 * score is refused (4xx), never answered as normal.
 */
public final class ScoreServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory JSON_OUT = new JsonFactory();
    private static final String JSON_TYPE = "application/json";
    private static final String CSV_TYPE = "text/csv";

    private enum Route {
        SCORE("/v1/score", "POST", true),
        HEALTH("/v1/health", "GET", false),
        READY("/v1/ready", "GET", false),
        MODEL("/v1/model", "GET", true),
        METRICS("/metrics", "GET", true),
        RELOAD("/v1/reload", "POST", true);

        final String path;
        final String method;
        final boolean needsToken;

        Route(String path, String method, boolean needsToken) {
            this.path = path;
            this.method = method;
            this.needsToken = needsToken;
        }

        static Route of(String path) {
            for (Route r : values()) {
                if (r.path.equals(path)) {
                    return r;
                }
            }
            return null;
        }
    }

    private final ServeConfig config;
    private final ModelSlot slot;
    private final ServeMetrics metrics = new ServeMetrics();
    private final HttpServer http;
    private final ExecutorService workers;
    private final PrintStream log;
    private final AtomicLong served = new AtomicLong();
    /** Requests handed to the workers and not yet answered, queued ones included. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    private ScoreServer(ServeConfig config, ModelSlot slot, PrintStream log) throws IOException {
        this.config = config;
        this.slot = slot;
        this.log = log;
        configureJdkServer(config.readTimeout());
        this.http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 1024);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "recon-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(task -> {
            inFlight.incrementAndGet();
            try {
                workers.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            } catch (RuntimeException e) {
                inFlight.decrementAndGet();
                throw e;
            }
        });
        http.createContext("/", this::handle);
    }

    /** Loads the model, binds the port and starts serving; a bad bundle or a taken port is an error. */
    public static ScoreServer start(ServeConfig config, PrintStream log) {
        ModelSlot slot = new ModelSlot(config.model(), config.microBatch());
        try {
            ScoreServer s = new ScoreServer(config, slot, log);
            ServedModel m = slot.acquire();
            try {
                s.metrics.serving(m, slot.generation());
            } finally {
                m.release();
            }
            s.http.start();
            return s;
        } catch (java.net.BindException e) {
            slot.close();
            throw ReconException.input("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            slot.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * The JDK server reads its limits from system properties once, when it is first used: no
     * Nagle delay on small responses (without it a keep-alive client waits ~40 ms for each),
     * bounded headers, and a deadline for a whole request, so a slow client cannot hold a
     * thread forever.
     */
    private static void configureJdkServer(int readTimeout) {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.maxReqHeaderSize", Integer.toString(ServeConfig.MAX_HEADER_BYTES));
        System.setProperty("sun.net.httpserver.maxReqHeaders", "100");
        System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(readTimeout));
        System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(Math.max(30, readTimeout)));
    }

    /** The port it listens on (the one the system chose where the config said 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    public String url() {
        String h = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + h + ":" + port();
    }

    /** Requests answered so far. */
    public long served() {
        return served.get();
    }

    /** The bundle being served now. */
    public Bundle bundle() {
        ServedModel m = slot.acquire();
        try {
            return m.bundle();
        } finally {
            m.release();
        }
    }

    /** Reloads the served path (POST /v1/reload and SIGHUP); on failure the old model keeps serving. */
    public ReloadResult reload() {
        ServedModel before = slot.acquire();
        String old = before == null ? null : before.sha256();
        if (before != null) {
            before.release();
        }
        try {
            ServedModel fresh = slot.reload();
            metrics.reload(true);
            metrics.serving(fresh, slot.generation());
            return new ReloadResult(true, fresh.sha256(), old, slot.generation(), null);
        } catch (ReconException e) {
            metrics.reload(false);
            return new ReloadResult(false, old, old, slot.generation(), e.getMessage());
        }
    }

    /** What a reload did: the model serving after it, the one before, and why it failed, if it did. */
    public record ReloadResult(boolean ok, String sha256, String previous, long generation, String reason) {
    }

    /**
     * Stops accepting connections, lets the requests in flight finish (at most the config's
     * drain time), closes the port and unloads the model. The JDK's {@code HttpServer.stop}
     * closes the listener at once but, before JDK 21, then waits out the whole delay even with
     * nothing in flight; it runs on a thread of its own, and this returns as soon as the
     * workers are idle.
     */
    public void stop() {
        draining = true;
        Thread stopper = new Thread(() -> http.stop(config.drainSeconds()), "recon-http-stop");
        stopper.setDaemon(true);
        stopper.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.drainSeconds());
        try {
            stopper.join(100); // the listener closes first thing; a JDK that stops promptly is done here
            while (stopper.isAlive() && inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdown();
        slot.close();
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange ex) {
        long t0 = System.nanoTime();
        String endpoint = "other";
        Reply reply;
        try {
            Route route = Route.of(ex.getRequestURI().getRawPath());
            if (route == null) {
                throw new ApiException(404, "no such endpoint: " + ex.getRequestURI().getRawPath() + " (endpoints: "
                        + String.join(", ", Arrays.stream(Route.values()).map(r -> r.method + " " + r.path).toList()) + ")");
            }
            endpoint = route.path;
            if (!route.method.equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", route.method);
                throw new ApiException(405, ex.getRequestMethod() + " is not allowed on " + route.path + "; use "
                        + route.method);
            }
            if (route.needsToken && config.token() != null
                    && !config.token().accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"recon\"");
                throw new ApiException(401, ex.getRequestHeaders().containsKey("Authorization")
                        ? "wrong token" : "this server needs a token: send Authorization: Bearer TOKEN");
            }
            reply = switch (route) {
                case SCORE -> score(ex);
                case HEALTH -> new Reply(200, JSON_TYPE, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
                case READY -> ready(ex);
                case MODEL -> model(ex);
                case METRICS -> new Reply(200, metrics.contentType(), metrics.scrape());
                case RELOAD -> reload(ex);
            };
        } catch (ApiException e) {
            reply = Reply.error(e.status(), e.getMessage());
        } catch (IOException e) {
            reply = null; // the client went away or was too slow: nothing can be sent
        } catch (RuntimeException | Error e) {
            log.println("recon serve: internal error on " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
                    + ": " + e);
            reply = Reply.error(500, "internal error; the server's log has the cause");
        }
        // counted before the answer leaves, so that a client that reads /metrics next finds its request there
        served.incrementAndGet();
        metrics.request(endpoint, reply == null ? 499 : reply.status(), System.nanoTime() - t0);
        try {
            if (reply != null) {
                send(ex, reply);
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone: nothing more can be said
        } finally {
            ex.close();
        }
    }

    /** An answer: status, content type and body. */
    private record Reply(int status, String type, byte[] body) {
        static Reply error(int status, String message) {
            try {
                return new Reply(status, JSON_TYPE, bytes(fields("status", status, "error", reason(status), "message", message)));
            } catch (IOException e) {
                throw new UncheckedIOException(e); // never: it writes to memory
            }
        }
    }

    private Reply score(HttpExchange ex) throws IOException {
        ServedModel m = slot.acquire();
        if (m == null) {
            throw new ApiException(503, "the server is shutting down");
        }
        try {
            int explain = explain(ex.getRequestURI().getRawQuery(), m.features().size());
            Body body = readBody(ex);
            String type = mediaType(ex.getRequestHeaders().getFirst("Content-Type"));
            RequestRows rows;
            if (type.equals(CSV_TYPE)) {
                rows = RequestRows.csv(body.bytes(), body.length(), m.features(), config.maxRows());
            } else if (type.isEmpty() || type.equals(JSON_TYPE)) {
                rows = RequestRows.json(body.bytes(), body.length(), m.features(), m.index(), config.maxRows());
            } else {
                throw new ApiException(415, "unsupported Content-Type '" + type + "'; send application/json or text/csv"
                        + (type.equals("application/x-www-form-urlencoded")
                                ? " (curl -d sends this type: add -H 'Content-Type: application/json')" : ""));
            }
            ServedModel.Scored s = m.score(rows.values(), rows.rows(), explain);
            int flagged = 0;
            for (boolean f : s.flags()) {
                flagged += f ? 1 : 0;
            }
            metrics.scored(rows.rows(), flagged);
            String accept = ex.getRequestHeaders().getFirst("Accept");
            if (accept != null && accept.toLowerCase(Locale.ROOT).contains(CSV_TYPE)) {
                return new Reply(200, CSV_TYPE + "; charset=utf-8", csv(s));
            }
            return new Reply(200, JSON_TYPE, json(m, s, flagged));
        } finally {
            m.release();
        }
    }

    /** A request body: the first {@code length} bytes of {@code bytes}. */
    private record Body(byte[] bytes, int length) {
    }

    /** Reads the whole body, refusing (413) one over the limit before reading it where its length is declared. */
    private Body readBody(HttpExchange ex) throws IOException {
        long declared = -1;
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        if (cl != null) {
            try {
                declared = Long.parseLong(cl.strip());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Content-Length is not a number: " + cl);
            }
        }
        if (declared > config.maxBody()) {
            ex.getResponseHeaders().set("Connection", "close");
            throw ApiException.tooLarge("the body has " + declared + " bytes; the server takes at most " + config.maxBody()
                    + " (its --max-body)");
        }
        byte[] buf = new byte[declared >= 0 ? (int) declared : 8192];
        int n = 0;
        try (InputStream in = ex.getRequestBody()) {
            while (true) {
                if (n == buf.length) {
                    if (declared >= 0 || n > config.maxBody()) {
                        break;
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, config.maxBody() + 1L));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        }
        if (n > config.maxBody()) {
            ex.getResponseHeaders().set("Connection", "close");
            throw ApiException.tooLarge("the body is over " + config.maxBody() + " bytes (the server's --max-body)");
        }
        if (n == 0) {
            throw ApiException.badRequest("empty request body; send {\"rows\": [[v1, v2, ...]]} or CSV with a header");
        }
        return new Body(buf, n);
    }

    /** The media type of a Content-Type header, lower case, without parameters; empty where there is none. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** The {@code explain=K} query parameter: 0 where absent, at most the feature count. */
    private static int explain(String query, int features) {
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

    private static byte[] json(ServedModel m, ServedModel.Scored s, int flagged) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + s.scores().length * 64);
        double threshold = m.detector().threshold();
        try (JsonGenerator g = JSON_OUT.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", m.sha256());
            g.writeNumberField("threshold", threshold);
            g.writeNumberField("rows", s.scores().length);
            g.writeNumberField("flagged", flagged);
            g.writeArrayFieldStart("results");
            for (int r = 0; r < s.scores().length; r++) {
                g.writeStartObject();
                double score = s.scores()[r];
                if (Double.isFinite(score)) {
                    g.writeNumberField("score", score);
                } else {
                    g.writeNullField("score");
                }
                g.writeBooleanField("anomaly", s.flags()[r]);
                g.writeNumberField("threshold", threshold);
                if (!Double.isFinite(score)) {
                    g.writeStringField("reason", "non-finite score");
                }
                if (s.top() != null) {
                    g.writeArrayFieldStart("top");
                    for (Contribution c : s.top()[r]) {
                        g.writeStartObject();
                        g.writeStringField("feature", c.feature());
                        g.writeNumberField("error", (float) c.error());
                        g.writeNumberField("share", (float) c.share());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static byte[] csv(ServedModel.Scored s) {
        int k = s.top() == null || s.top().length == 0 ? 0 : s.top()[0].length;
        StringBuilder sb = new StringBuilder(ScoreCsv.header(k));
        for (int r = 0; r < s.scores().length; r++) {
            ScoreCsv.appendRow(sb, r + 1, s.scores()[r], s.flags()[r], s.top() == null ? null : List.of(s.top()[r]));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Reply ready(HttpExchange ex) throws IOException {
        ServedModel m = draining ? null : slot.acquire();
        if (m == null) {
            return new Reply(503, JSON_TYPE, bytes(fields("ready", false, "reason", "shutting down")));
        }
        try {
            return new Reply(200, JSON_TYPE, bytes(fields("ready", true, "model", m.sha256())));
        } finally {
            m.release();
        }
    }

    private Reply model(HttpExchange ex) throws IOException {
        ServedModel m = slot.acquire();
        if (m == null) {
            throw new ApiException(503, "the server is shutting down");
        }
        try {
            Bundle b = m.bundle();
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("server_version", Version.get());
            Map<String, Object> bundle = new LinkedHashMap<>();
            bundle.put("path", m.file().toString());
            bundle.put("sha256", m.sha256());
            bundle.put("engine_version", b.engineVersion());
            bundle.put("loaded_at", m.loadedAt().toString());
            bundle.put("generation", slot.generation());
            o.put("bundle", bundle);
            o.put("detector", BundleFormat.detector(b));
            o.put("features", b.featureNames());
            o.put("threshold", b.threshold());
            o.put("threshold_policy", b.policy().toString());
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("data", b.data());
            training.put("stop_reason", b.stopReason());
            training.put("metrics", b.metrics());
            o.put("training", training);
            o.put("sample_request", sampleRequest(m));
            return new Reply(200, JSON_TYPE, bytes(o));
        } finally {
            m.release();
        }
    }

    /** A request that scores the training data's mean row, ready to paste into a shell. */
    private Map<String, Object> sampleRequest(ServedModel m) throws IOException {
        float[] row = m.typicalRow();
        Map<String, Object> body = fields("rows", List.of(row));
        String json = JSON.writeValueAsString(body);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("method", "POST");
        r.put("url", url() + Route.SCORE.path + "?explain=3");
        r.put("content_type", JSON_TYPE);
        r.put("body", body);
        r.put("curl", "curl -s " + (config.token() == null ? "" : "-H \"Authorization: Bearer $(cat TOKEN_FILE)\" ")
                + "-H 'Content-Type: application/json' -d '" + json + "' '" + url() + Route.SCORE.path + "?explain=3'");
        return r;
    }

    private Reply reload(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            if (in.readNBytes(config.maxBody() + 1).length > config.maxBody()) {
                throw ApiException.tooLarge("the body is over " + config.maxBody() + " bytes");
            }
        }
        ReloadResult r = reload();
        log.println("recon serve: reload " + (r.ok() ? "done: now serving " + r.sha256() : "failed, still serving "
                + r.previous() + ": " + r.reason()));
        if (!r.ok()) {
            throw ApiException.unprocessable("reload failed, still serving " + r.previous() + ": " + r.reason());
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("reloaded", true);
        o.put("model", r.sha256());
        o.put("previous", r.previous());
        o.put("generation", r.generation());
        return new Reply(200, JSON_TYPE, bytes(o));
    }

    /** A JSON object with its fields in the order given: name, value, name, value, ... */
    private static Map<String, Object> fields(Object... nameValue) {
        Map<String, Object> o = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            o.put((String) nameValue[i], nameValue[i + 1]);
        }
        return o;
    }

    private static byte[] bytes(Object o) throws IOException {
        return JSON.writeValueAsBytes(o);
    }

    private static void send(HttpExchange ex, Reply r) throws IOException {
        ex.getResponseHeaders().set("Content-Type", r.type());
        ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        if (r.body().length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(r.body());
            }
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "unauthorized";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "payload too large";
            case 415 -> "unsupported media type";
            case 422 -> "unprocessable entity";
            case 503 -> "service unavailable";
            default -> "internal server error";
        };
    }
}
