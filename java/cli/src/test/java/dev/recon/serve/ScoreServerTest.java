package dev.recon.serve;

import static dev.recon.serve.ServeFixtures.DATA;
import static dev.recon.serve.ServeFixtures.FEATURES;
import static dev.recon.serve.ServeFixtures.get;
import static dev.recon.serve.ServeFixtures.json;
import static dev.recon.serve.ServeFixtures.post;
import static dev.recon.serve.ServeFixtures.request;
import static dev.recon.serve.ServeFixtures.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.io.Bundle;
import dev.recon.model.DetectorKind;
import dev.recon.score.Contribution;
import dev.recon.score.Detector;
import dev.recon.score.Scores;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on an ephemeral loopback port, talked to with the JDK's HttpClient: every endpoint and error. */
class ScoreServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path modelFile;
    static Bundle bundle;
    static Detector detector;
    static ScoreServer server;
    /** Small limits: 4 KiB bodies, 5 rows. */
    static ScoreServer strict;

    @BeforeAll
    static void start() {
        modelFile = dir.resolve("model.recon");
        bundle = ServeFixtures.train(modelFile, DetectorKind.AE_KNN, 42);
        detector = Detector.load(modelFile);
        server = ScoreServer.start(ServeFixtures.config(modelFile, null, ServeConfig.DEFAULT_MAX_BODY,
                ServeConfig.DEFAULT_MAX_ROWS, true), System.err);
        strict = ScoreServer.start(ServeFixtures.config(modelFile, null, 4096, 5, false), System.err);
    }

    @AfterAll
    static void stop() {
        server.stop();
        strict.stop();
        detector.close();
    }

    static float[] row(int r) {
        float[] x = new float[FEATURES];
        System.arraycopy(DATA.values(), r * FEATURES, x, 0, FEATURES);
        return x;
    }

    static String arrays(int from, int to) {
        List<String> rows = new ArrayList<>();
        for (int r = from; r < to; r++) {
            List<String> v = new ArrayList<>();
            for (float f : row(r)) {
                v.add(Float.toString(f));
            }
            rows.add("[" + String.join(",", v) + "]");
        }
        return "{\"rows\": [" + String.join(",", rows) + "]}";
    }

    static JsonNode body(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** An error answer: the status, a JSON object with a message, and no stack trace. */
    static String error(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode e = body(r);
        assertEquals(status, e.get("status").asInt());
        String m = e.get("message").asText();
        assertFalse(m.isBlank());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat ") || r.body().contains("dev.recon."), r.body());
        return m;
    }

    @Test
    void healthAndReadyAnswerWithoutAModelQuestion() throws Exception {
        HttpResponse<String> h = get(server, "/v1/health");
        assertEquals(200, h.statusCode());
        assertEquals("ok", body(h).get("status").asText());
        HttpResponse<String> r = get(server, "/v1/ready");
        assertEquals(200, r.statusCode());
        assertTrue(body(r).get("ready").asBoolean());
    }

    @Test
    void scoresArraysAsTheDetectorDoes() throws Exception {
        int n = 200;
        HttpResponse<String> r = json(server, "/v1/score", arrays(0, n));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode b = body(r);
        float[] flat = new float[n * FEATURES];
        System.arraycopy(DATA.values(), 0, flat, 0, flat.length);
        Scores s = detector.score(flat, n);
        assertEquals(n, b.get("rows").asInt());
        assertEquals(s.flagged(), b.get("flagged").asInt());
        assertEquals(bundle.threshold(), b.get("threshold").asDouble());
        for (int i = 0; i < n; i++) {
            JsonNode res = b.get("results").get(i);
            assertEquals(s.errors()[i], res.get("score").asDouble(), 1e-9 * Math.abs(s.errors()[i]), "row " + i);
            assertEquals(s.anomalies()[i], res.get("anomaly").asBoolean(), "row " + i);
            assertEquals(bundle.threshold(), res.get("threshold").asDouble());
        }
        assertTrue(s.flagged() > 0 && s.flagged() < n, "the check needs flagged and normal rows");
    }

    @Test
    void singleRowsScoreAsTheDetectorDoesAlone() throws Exception {
        for (int r = 0; r < 40; r++) {
            JsonNode res = body(json(server, "/v1/score", arrays(r, r + 1))).get("results").get(0);
            double want = detector.score(new float[][] {row(r)}).errors()[0];
            assertEquals(want, res.get("score").asDouble(), 1e-6 * Math.abs(want), "row " + r);
        }
    }

    @Test
    void objectRowsInAnyKeyOrderEqualArrays() throws Exception {
        List<String> names = bundle.featureNames();
        StringBuilder sb = new StringBuilder("{\"rows\": [");
        for (int r = 0; r < 3; r++) {
            sb.append(r == 0 ? "{" : ",{");
            for (int j = FEATURES - 1; j >= 0; j--) {
                sb.append('"').append(names.get(j)).append("\":").append(row(r)[j]).append(j == 0 ? "}" : ",");
            }
        }
        JsonNode objects = body(json(server, "/v1/score", sb.append("]}").toString())).get("results");
        JsonNode arrays = body(json(server, "/v1/score", arrays(0, 3))).get("results");
        assertEquals(arrays, objects);
    }

    @Test
    void csvBodiesTakeColumnsByNameAndCanAnswerInCsv() throws Exception {
        List<String> names = new ArrayList<>(bundle.featureNames());
        java.util.Collections.reverse(names);
        StringBuilder csv = new StringBuilder("id," + String.join(",", names) + ",Class\n");
        for (int r = 0; r < 4; r++) {
            csv.append("row").append(r);
            for (int j = FEATURES - 1; j >= 0; j--) {
                csv.append(',').append(row(r)[j]);
            }
            csv.append(",0\n");
        }
        JsonNode fromCsv = body(post(server, "/v1/score", "text/csv", csv.toString())).get("results");
        assertEquals(body(json(server, "/v1/score", arrays(0, 4))).get("results"), fromCsv);

        HttpResponse<String> asCsv = send(request(server, "/v1/score?explain=2").header("Content-Type", "text/csv")
                .header("Accept", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv.toString())).build());
        assertEquals(200, asCsv.statusCode());
        String[] lines = asCsv.body().split("\n");
        assertEquals("row,score,anomaly,top1_feature,top1_share,top2_feature,top2_share,reason", lines[0]);
        assertEquals(5, lines.length);
        String first = detector.explain(row(0), 1).get(0).feature();
        assertEquals(first, lines[1].split(",")[3]);
    }

    @Test
    void explainGivesTheDetectorsTopFeatures() throws Exception {
        JsonNode top = body(json(server, "/v1/score?explain=3", arrays(5, 6))).get("results").get(0).get("top");
        List<Contribution> want = detector.explain(row(5), 3);
        assertEquals(3, top.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(want.get(i).feature(), top.get(i).get("feature").asText());
            assertEquals(want.get(i).share(), top.get(i).get("share").asDouble(), 1e-6);
        }
        assertEquals(FEATURES, body(json(server, "/v1/score?explain=99", arrays(5, 6))).get("results").get(0).get("top").size());
    }

    @Test
    void modelDescribesTheBundleAndItsSampleRequestWorks() throws Exception {
        HttpResponse<String> r = get(server, "/v1/model");
        assertEquals(200, r.statusCode());
        JsonNode m = body(r);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(modelFile)));
        assertEquals(sha, m.get("bundle").get("sha256").asText());
        assertEquals(bundle.featureNames().toString(), JSON.convertValue(m.get("features"), List.class).toString());
        assertEquals(bundle.threshold(), m.get("threshold").asDouble());
        assertEquals(bundle.policy().toString(), m.get("threshold_policy").asText());
        assertEquals("ae-knn", m.get("detector").get("kind").asText());
        assertTrue(m.get("training").get("metrics").has("roc_auc"));
        JsonNode sample = m.get("sample_request");
        assertTrue(sample.get("curl").asText().startsWith("curl "));
        HttpResponse<String> s = send(HttpRequest.newBuilder(java.net.URI.create(sample.get("url").asText()))
                .header("Content-Type", sample.get("content_type").asText())
                .POST(HttpRequest.BodyPublishers.ofString(sample.get("body").toString())).build());
        assertEquals(200, s.statusCode(), s.body());
        assertFalse(body(s).get("results").get(0).get("anomaly").asBoolean(), "the mean training row is normal");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertTrue(error(json(server, "/v1/score", "{\"rows\": [[1, 2"), 400).contains("malformed JSON"));
        error(json(server, "/v1/score", "[1, 2]"), 400);
        error(json(server, "/v1/score", "{\"rows\": [[1,2,3,4,5]]} trailing"), 400);
        error(json(server, "/v1/score", ""), 400);
        // past Jackson's nesting limit: an error without a location
        assertTrue(error(json(server, "/v1/score", "{\"rows\": [" + "[".repeat(1200)), 400).contains("malformed JSON"));
        error(json(server, "/v1/score", "{\"rows\": [[" + "1".repeat(2000) + "]]}"), 400);
    }

    @Test
    void oversizedHeadersAreRefused() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer;
            try {
                answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            } catch (java.net.SocketException e) {
                answer = ""; // reset: refused too
            }
            assertFalse(answer.startsWith("HTTP/1.1 200"), answer);
        }
        assertEquals(200, get(server, "/v1/health").statusCode(), "the server serves on");
    }

    @Test
    void rowsThatCannotBeScoredAre422AndNameTheFeatures() throws Exception {
        String all = String.join(", ", bundle.featureNames());
        assertTrue(error(json(server, "/v1/score", "{\"rows\": [[1, 2, 3]]}"), 422).contains(all));
        assertTrue(error(json(server, "/v1/score", "{\"rows\": [[1, 2, 3, 4, 5, 6]]}"), 422).contains("6 values"));
        assertTrue(error(json(server, "/v1/score", "{\"rows\": [{\"f1\": 1, \"nope\": 2}]}"), 422).contains("unknown feature 'nope'"));
        String missing = error(json(server, "/v1/score", "{\"rows\": [{\"f1\": 1, \"f2\": 2}]}"), 422);
        assertTrue(missing.contains("missing 3 features (f3, f4, f5)") && missing.contains(all), missing);
        assertTrue(error(json(server, "/v1/score", "{\"rows\": [[NaN, 1, 2, 3, 4]]}"), 422).contains("not a finite"));
        assertTrue(error(json(server, "/v1/score", "{\"rows\": [[1, 1e39, 2, 3, 4]]}"), 422).contains("not a finite"));
        assertTrue(error(json(server, "/v1/score", "{\"rows\": [[1, \"2\", 2, 3, 4]]}"), 422).contains("expected a number"));
        error(json(server, "/v1/score", "{\"rows\": [null]}"), 422);
        error(json(server, "/v1/score", "{\"rows\": []}"), 422);
        error(json(server, "/v1/score", "{\"data\": []}"), 422);
        assertTrue(error(post(server, "/v1/score", "text/csv", "f1,f2\n1,2\n"), 422).contains("f3, f4, f5"));
        assertTrue(error(post(server, "/v1/score", "text/csv", "f1,f2,f3,f4,f5\n1,2,3,x,5\n"), 422)
                .contains("request body:2:4"));
    }

    @Test
    void limitsAre413() throws Exception {
        String big = "{\"rows\": [" + "[1,2,3,4,5],".repeat(1000) + "[1,2,3,4,5]]}";
        assertTrue(error(json(strict, "/v1/score", big), 413).contains("4096"));
        assertTrue(error(json(strict, "/v1/score", arrays(0, 6)), 413).contains("5"));
        assertEquals(200, json(strict, "/v1/score", arrays(0, 5)).statusCode());
        StringBuilder csv = new StringBuilder("f1,f2,f3,f4,f5\n");
        for (int r = 0; r < 6; r++) {
            csv.append("1,2,3,4,5\n");
        }
        error(post(strict, "/v1/score", "text/csv", csv.toString()), 413);
        // a body without a declared length (chunked) is cut off at the limit too
        HttpResponse<String> chunked = send(request(strict, "/v1/score").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        big.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build());
        error(chunked, 413);
    }

    @Test
    void pathsMethodsTypesAndParameters() throws Exception {
        assertTrue(error(get(server, "/v2/score"), 404).contains("/v1/score"));
        error(get(server, "/v1/score/"), 404);
        HttpResponse<String> m = get(server, "/v1/score");
        error(m, 405);
        assertEquals("POST", m.headers().firstValue("Allow").orElse(""));
        error(json(server, "/v1/health", "{}"), 405);
        error(send(request(server, "/metrics").DELETE().build()), 405);
        assertTrue(error(post(server, "/v1/score", "application/x-www-form-urlencoded", "a=b"), 415).contains("curl"));
        error(json(server, "/v1/score?explain=-1", arrays(0, 1)), 400);
        error(json(server, "/v1/score?explain=x", arrays(0, 1)), 400);
        error(json(server, "/v1/score?limit=3", arrays(0, 1)), 400);
    }

    @Test
    void metricsCountRequestsRowsAndTheModel() throws Exception {
        ServeFixtures.serving(ServeFixtures.config(modelFile, null, 1 << 20, 100, true), s -> {
            json(s, "/v1/score", arrays(0, 50));
            json(s, "/v1/score", arrays(0, 1));
            json(s, "/v1/score", "{");
            get(s, "/nowhere");
            String text = get(s, "/metrics").body();
            Scores sc = detector.score(java.util.Arrays.copyOf(DATA.values(), 50 * FEATURES), 50);
            int flagged = sc.flagged() + (sc.anomalies()[0] ? 1 : 0);
            assertTrue(text.contains("recon_http_requests_total{endpoint=\"/v1/score\",status=\"200\"} 2.0"), text);
            assertTrue(text.contains("recon_http_requests_total{endpoint=\"/v1/score\",status=\"400\"} 1.0"), text);
            assertTrue(text.contains("recon_http_requests_total{endpoint=\"other\",status=\"404\"} 1.0"), text);
            assertTrue(text.contains("recon_rows_scored_total 51.0"), text);
            assertTrue(text.contains("recon_rows_flagged_total " + flagged + ".0"), text);
            assertTrue(text.contains("recon_http_request_duration_seconds_bucket{endpoint=\"/v1/score\",le=\"+Inf\"} 3"), text);
            assertTrue(text.contains("recon_model_info{detector=\"ae-knn\",engine_version=\"" + bundle.engineVersion()
                    + "\",features=\"5\",sha256=\""), text);
            assertTrue(text.contains("recon_model_generation 1.0"), text);
        });
    }

    /** A one-row scoring request carrying {@code authorization}. */
    static HttpResponse<String> scoreAs(ScoreServer s, String authorization) throws Exception {
        return send(request(s, "/v1/score").header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(arrays(0, 1))).build());
    }

    @Test
    void aTokenGuardsEverythingButHealthAndReady() throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "  s3cret-token \nsecond line ignored\n");
        ServeFixtures.serving(ServeFixtures.config(modelFile, BearerToken.fromFile(tokenFile), 1 << 20, 100, true), s -> {
            assertEquals(200, get(s, "/v1/health").statusCode());
            assertEquals(200, get(s, "/v1/ready").statusCode());
            for (String path : List.of("/v1/model", "/metrics")) {
                HttpResponse<String> r = get(s, path);
                assertTrue(error(r, 401).contains("Bearer"), path);
                assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
                assertEquals(200, send(request(s, path).header("Authorization", "Bearer s3cret-token").GET().build())
                        .statusCode(), path);
            }
            error(json(s, "/v1/score", arrays(0, 1)), 401);
            error(json(s, "/v1/reload", "{}"), 401);
            for (String wrong : List.of("Bearer s3cret", "Bearer s3cret-token2", "Basic s3cret-token", "s3cret-token")) {
                assertEquals("wrong token", error(scoreAs(s, wrong), 401), wrong);
            }
            assertEquals(200, scoreAs(s, "bearer s3cret-token").statusCode());
        });
    }

    @Test
    void anEmptyOrMissingTokenFileIsRefused() throws Exception {
        Path empty = dir.resolve("empty-token");
        Files.writeString(empty, "   \n");
        String m = org.junit.jupiter.api.Assertions.assertThrows(dev.recon.ReconException.class,
                () -> BearerToken.fromFile(empty)).getMessage();
        assertTrue(m.contains("empty"), m);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.recon.ReconException.class,
                () -> BearerToken.fromFile(dir.resolve("none"))).getMessage().toLowerCase(Locale.ROOT).contains("no such"));
    }
}
