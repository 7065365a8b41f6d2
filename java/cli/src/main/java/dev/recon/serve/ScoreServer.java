package dev.recon.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recon.ReconException;
import dev.recon.io.Bundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;
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
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopped: a request that arrives on an open connection still gets its answer (503)
                try {
                    task.run();
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        });
        http.createContext("/", this::handle);
    }

    /** Loads the model, binds the port and starts serving; a bad bundle or a taken port is an error. */
    public static ScoreServer start(ServeConfig config, PrintStream log) {
        ModelSlot slot = new ModelSlot(config.model(), config.microBatch());
        try {
            ScoreServer s = new ScoreServer(config, slot, log);
            ModelSlot.Swap now = slot.now();
            s.metrics.serving(now.now(), now.generation());
            s.http.start();
            return s;
        } catch (IOException | java.nio.channels.UnresolvedAddressException e) {
            // a port in use, an address this machine does not have, a name that does not resolve
            slot.close();
            throw ReconException.input("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + (e.getMessage() == null ? "the address does not resolve" : e.getMessage()));
        } catch (RuntimeException e) {
            slot.close();
            throw e;
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

    /** Requests handed to the workers and not answered yet. */
    int inFlight() {
        return inFlight.get();
    }

    /** The bundle being served now; null once stopped. */
    public Bundle bundle() {
        ServedModel m = slot.acquire();
        if (m == null) {
            return null;
        }
        try {
            return m.bundle();
        } finally {
            m.release();
        }
    }

    /**
     * Reloads the served path (POST /v1/reload and SIGHUP) and logs the outcome; on failure the
     * old model keeps serving.
     */
    public ReloadResult reload() {
        ReloadResult r;
        try {
            ModelSlot.Swap swap = slot.reload();
            metrics.reload(true);
            metrics.serving(swap.now(), swap.generation());
            r = new ReloadResult(true, swap.now().sha256(), swap.before().sha256(), swap.generation(), null);
        } catch (RuntimeException e) {
            metrics.reload(false);
            ModelSlot.Swap now = slot.now();
            String sha = now.now() == null ? null : now.now().sha256();
            r = new ReloadResult(false, sha, sha, now.generation(), e instanceof ReconException ? e.getMessage()
                    : "cannot load it: " + e);
        }
        log.println("recon serve: reload " + (r.ok() ? "done: now serving " + r.sha256() : "failed, still serving "
                + r.previous() + ": " + r.reason()));
        return r;
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
                case HEALTH -> Reply.json(200, Reply.fields("status", "ok"));
                case READY -> ready(ex);
                case MODEL -> model();
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

    private Reply score(HttpExchange ex) throws IOException {
        ServedModel m = slot.acquire();
        if (m == null) {
            throw new ApiException(503, "the server is shutting down");
        }
        try {
            int explain = Requests.explain(ex.getRequestURI().getRawQuery(), m.features().size());
            Requests.Body body = Requests.body(ex, config.maxBody());
            String type = Requests.mediaType(ex.getRequestHeaders().getFirst("Content-Type"));
            RequestRows rows;
            if (type.equals(Reply.CSV_TYPE)) {
                rows = RequestRows.csv(body.bytes(), body.length(), m.features(), config.maxRows());
            } else if (type.isEmpty() || type.equals(Reply.JSON_TYPE)) {
                rows = RequestRows.json(body.bytes(), body.length(), m.features(), m.index(), config.maxRows());
            } else {
                throw new ApiException(415, "unsupported Content-Type '" + type + "'; send application/json or text/csv"
                        + (type.equals("application/x-www-form-urlencoded")
                                ? " (curl -d sends this type: add -H 'Content-Type: application/json')" : ""));
            }
            ServedModel.Scored s = m.score(rows.values(), rows.rows(), explain);
            int flagged = s.flagged();
            metrics.scored(rows.rows(), flagged);
            String accept = ex.getRequestHeaders().getFirst("Accept");
            if (accept != null && accept.toLowerCase(Locale.ROOT).contains(Reply.CSV_TYPE)) {
                return Reply.csv(s);
            }
            return Reply.scores(m.sha256(), m.detector().threshold(), s, flagged);
        } finally {
            m.release();
        }
    }

    private Reply ready(HttpExchange ex) throws IOException {
        ServedModel m = draining ? null : slot.acquire();
        if (m == null) {
            return Reply.json(503, Reply.fields("ready", false, "reason", "shutting down"));
        }
        try {
            return Reply.json(200, Reply.fields("ready", true, "model", m.sha256()));
        } finally {
            m.release();
        }
    }

    private Reply model() {
        ModelSlot.Swap now = slot.now();
        ServedModel m = slot.acquire();
        if (m == null) {
            throw new ApiException(503, "the server is shutting down");
        }
        try {
            return Reply.json(200, ModelInfo.of(m, now.generation(), url() + Route.SCORE.path, config.token() != null));
        } finally {
            m.release();
        }
    }

    private Reply reload(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            if (in.readNBytes(config.maxBody() + 1).length > config.maxBody()) {
                throw ApiException.tooLarge("the body is over " + config.maxBody() + " bytes");
            }
        }
        ReloadResult r = reload();
        if (!r.ok()) {
            throw ApiException.unprocessable("reload failed, still serving " + r.previous() + ": " + r.reason());
        }
        return Reply.json(200, Reply.fields("reloaded", true, "model", r.sha256(), "previous", r.previous(),
                "generation", r.generation()));
    }

    private void send(HttpExchange ex, Reply r) throws IOException {
        ex.getResponseHeaders().set("Content-Type", r.type());
        if (draining) {
            ex.getResponseHeaders().set("Connection", "close"); // no next request on this connection
        }
        ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        if (r.body().length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(r.body());
            }
        }
    }


}
