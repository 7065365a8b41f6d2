package dev.recon.cli;

import dev.recon.report.Numbers;
import dev.recon.serve.BearerToken;
import dev.recon.serve.ScoreServer;
import dev.recon.serve.ServeConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recon serve}: score over HTTP until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a model over HTTP: POST /v1/score (JSON or CSV rows), GET /v1/health, /v1/ready, "
                + "/v1/model, /metrics (Prometheus), POST /v1/reload (or SIGHUP: load the bundle at --model again). "
                + "SIGTERM or Ctrl-C stops it gracefully: no new connections, requests in flight finish, exit 0."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "BUNDLE", required = true, description = "Model bundle, or a run folder holding model.recon.")
    Path model;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--threads", paramLabel = "N",
            description = "HTTP worker threads (default: 16): each reads one request at a time, a slow client's for at "
                    + "most --read-timeout. Scoring itself uses every core.")
    Integer threads;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Require 'Authorization: Bearer TOKEN' on every endpoint but health and ready; TOKEN is the "
                    + "file's first line, trimmed.")
    Path tokenFile;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1m",
            description = "Largest request body; k and m suffixes allowed (default: ${DEFAULT-VALUE}).")
    String maxBody;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "10000",
            description = "Most rows in one scoring request (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--read-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time a client may take to send a whole request; slower ones are cut off (default: ${DEFAULT-VALUE}).")
    int readTimeout;

    @Option(names = "--drain", paramLabel = "SECONDS", defaultValue = "10",
            description = "On shutdown, how long requests in flight may take to finish (default: ${DEFAULT-VALUE}).")
    int drain;

    @Option(names = "--micro-batch", paramLabel = "on|off", defaultValue = "on",
            description = "Score concurrent single-row requests together (default: ${DEFAULT-VALUE}).")
    String microBatch;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws InterruptedException {
        ServeConfig config = config();
        ScoreServer server = ScoreServer.start(config, System.err);
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onStop(stop::countDown);
        Signals.onReload(() -> server.reload());
        if (!common.quiet) {
            System.err.printf(Locale.ROOT, "recon serve: %s (%s, %d features, threshold %s) on %s%s%n",
                    config.model(), server.bundle().detector().id(), server.bundle().featureNames().size(),
                    Numbers.sci(server.bundle().threshold()), server.url(),
                    config.token() == null ? "" : ", token required");
            if (config.token() == null && !isLoopback(config.host())) {
                System.err.println("recon serve: warning: listening beyond this machine without --token-file: anyone "
                        + "who reaches the port can score and reload");
            }
        }
        stop.await();
        if (!common.quiet) {
            System.err.println("recon serve: stopping: finishing the requests in flight (at most " + drain + " s)");
        }
        server.stop();
        if (!common.quiet) {
            System.err.printf(Locale.ROOT, "recon serve: stopped after %,d requests%n", server.served());
        }
        return ExitCodes.OK;
    }

    ServeConfig config() {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be from 0 to 65535, got " + port);
        }
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("--max-rows must be at least 1, got " + maxRows);
        }
        if (readTimeout < 1) {
            throw new IllegalArgumentException("--read-timeout must be at least 1 second, got " + readTimeout);
        }
        if (drain < 0) {
            throw new IllegalArgumentException("--drain must be 0 or more seconds, got " + drain);
        }
        boolean batch = switch (microBatch.toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--micro-batch must be on or off, got " + microBatch);
        };
        int t = threads != null ? threads : 16;
        return new ServeConfig(model, host, port, t, tokenFile == null ? null : BearerToken.fromFile(tokenFile),
                bytes(maxBody), maxRows, readTimeout, drain, batch);
    }

    /** A byte count with an optional k or m suffix (binary: 1k = 1024). */
    static int bytes(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        long unit = t.endsWith("k") ? 1024 : t.endsWith("m") ? 1024 * 1024 : 1;
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        long v;
        try {
            v = Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            v = -1;
        }
        if (v < 1 || v > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--max-body must be a byte count from 1 to 2047m (k and m suffixes "
                    + "allowed), got " + s);
        }
        return (int) v;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
