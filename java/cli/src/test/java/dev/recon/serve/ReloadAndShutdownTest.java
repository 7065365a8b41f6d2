package dev.recon.serve;

import static dev.recon.serve.ServeFixtures.get;
import static dev.recon.serve.ServeFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.model.DetectorKind;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swapping the model under load, refusing a bad one, and stopping with requests in flight. */
class ReloadAndShutdownTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path a;
    static Path b;

    @BeforeAll
    static void train() {
        a = dir.resolve("a.recon");
        b = dir.resolve("b.recon");
        ServeFixtures.train(a, DetectorKind.AE_KNN, 1);
        ServeFixtures.train(b, DetectorKind.AE, 2);
    }

    static String sha(ScoreServer s) throws Exception {
        return JSON.readTree(get(s, "/v1/model").body()).get("bundle").get("sha256").asText();
    }

    static void install(Path from, Path served) throws Exception {
        Path tmp = served.resolveSibling(served.getFileName() + ".new");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, served, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void reloadSwapsInANewBundleAndABadOneLeavesTheOldServing() throws Exception {
        Path served = dir.resolve("served.recon");
        install(a, served);
        ScoreServer s = ScoreServer.start(ServeFixtures.config(served, null, 1 << 20, 100, true), System.err);
        try {
            String shaA = sha(s);
            install(b, served);
            assertEquals(shaA, sha(s), "a changed file is not served before a reload");
            var r = json(s, "/v1/reload", "");
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals(shaA, body.get("previous").asText());
            String shaB = sha(s);
            assertEquals(shaB, body.get("model").asText());
            assertFalse(shaA.equals(shaB));
            assertEquals("ae", JSON.readTree(get(s, "/v1/model").body()).get("detector").get("kind").asText());

            byte[] good = Files.readAllBytes(served);
            good[good.length / 2] ^= 1;
            Files.write(served, good);
            var bad = json(s, "/v1/reload", "");
            assertEquals(422, bad.statusCode(), bad.body());
            String why = JSON.readTree(bad.body()).get("message").asText();
            assertTrue(why.contains("still serving " + shaB) && why.contains("checksum"), why);
            assertEquals(shaB, sha(s));
            assertEquals(200, json(s, "/v1/score", "{\"rows\": [[0, 0, 0, 0, 0]]}").statusCode());
            String metrics = get(s, "/metrics").body();
            assertTrue(metrics.contains("recon_model_reloads_total{result=\"ok\"} 1.0"), metrics);
            assertTrue(metrics.contains("recon_model_reloads_total{result=\"failed\"} 1.0"), metrics);
            assertTrue(metrics.contains("recon_model_generation 2.0"), metrics);
        } finally {
            s.stop();
        }
        ScoreServer.ReloadResult late = s.reload();
        assertFalse(late.ok(), "a stopped server loads no model");
        assertEquals(null, s.bundle());
    }

    @Test
    void reloadsUnderLoadFailNoRequest() throws Exception {
        Path served = dir.resolve("busy.recon");
        install(a, served);
        ScoreServer s = ScoreServer.start(ServeFixtures.config(served, null, 1 << 20, 100, true), System.err);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        java.util.Map<String, AtomicInteger> perModel = new ConcurrentHashMap<>();
        try {
            List<Future<String>> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                final int rows = c == 0 ? 50 : 1;
                clients.add(pool.submit(() -> {
                    StringBuilder body = new StringBuilder("{\"rows\": [");
                    for (int r = 0; r < rows; r++) {
                        body.append(r == 0 ? "" : ",").append("[0.1, 0.2, 0.3, 0.4, 0.5]");
                    }
                    String req = body.append("]}").toString();
                    while (running.get()) {
                        var r = json(s, "/v1/score", req);
                        if (r.statusCode() != 200) {
                            return r.statusCode() + " " + r.body();
                        }
                        perModel.computeIfAbsent(JSON.readTree(r.body()).get("model").asText(), k -> new AtomicInteger())
                                .incrementAndGet();
                        ok.incrementAndGet();
                    }
                    return null;
                }));
            }
            // twelve reloads, each once the clients have had at least 20 answers from the model before
            for (int i = 0; i < 12; i++) {
                int before = ok.get();
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (ok.get() < before + 20 && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                install(i % 2 == 0 ? b : a, served);
                assertEquals(200, json(s, "/v1/reload", "").statusCode());
            }
            running.set(false);
            for (Future<String> f : clients) {
                assertEquals(null, f.get(), "a request failed during the reloads");
            }
            assertEquals(2, perModel.size(), "both models answered: " + perModel);
            assertTrue(ok.get() >= 12 * 20, ok.get() + " answers");
        } finally {
            running.set(false);
            pool.shutdownNow();
            s.stop();
        }
    }

    @Test
    void stopFinishesTheRequestInFlightThenClosesThePort() throws Exception {
        ScoreServer s = ScoreServer.start(ServeFixtures.config(a, null, 1 << 20, 100, true), System.err);
        int port = s.port();
        String body = "{\"rows\": [[0.1, 0.2, 0.3, 0.4, 0.5]]}";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            // half a request: the server has taken it and waits for the rest of the body
            out.write(("POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body.substring(0, 10)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (s.inFlight() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, s.inFlight(), "the half-sent request reached no worker");
            Thread stopper = new Thread(s::stop);
            stopper.start();
            Thread.sleep(300);
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
                    "the port still takes connections while stopping");
            assertTrue(stopper.isAlive(), "stop() returned with a request in flight");
            out.write(body.substring(10).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.contains("\"anomaly\""), answer);
            stopper.join(10_000);
            assertFalse(stopper.isAlive());
        }
    }
}
