package dev.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code recon bench --suite}: the default train on every set of a folder, beside the peers' scores. */
class TabularSuiteIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Normal rows on a curve in 6 dimensions, anomalies off it; label column {@code label}. */
    private static void curve(Path file, long seed, int rows) throws IOException {
        StringBuilder sb = new StringBuilder("f0,f1,f2,f3,f4,f5,label\n");
        Random r = new Random(seed);
        for (int i = 0; i < rows; i++) {
            double t = r.nextGaussian();
            boolean anomaly = i % 25 == 0;
            for (int j = 0; j < 6; j++) {
                sb.append(anomaly ? r.nextGaussian() * 2 : Math.sin(t * (j + 1)) + 0.05 * r.nextGaussian()).append(',');
            }
            sb.append(anomaly ? 1 : 0).append('\n');
        }
        Files.writeString(file, sb);
    }

    @Test
    void runsTheDefaultTrainOnEverySetAndComparesWithThePeers() throws Exception {
        Path sets = Files.createDirectories(dir.resolve("sets"));
        curve(sets.resolve("alpha.csv"), 1, 1200);
        curve(sets.resolve("beta.csv"), 2, 900);
        // made-up peers: every peer at 0.5 on alpha (Recon must be best), kNN perfect on beta
        Files.writeString(sets.resolve("peers.json"), """
                {"alpha": {"ae_roc": [0.5, 0.5], "ae_ap": [0.1, 0.1], "knn_roc": 0.5, "knn_ap": 0.1,
                           "lof_roc": 0.5, "lof_ap": 0.1, "if_roc": 0.5, "if_ap": 0.1},
                 "beta":  {"ae_roc": [0.6, 0.7], "ae_ap": [0.2, 0.3], "knn_roc": 1.0, "knn_ap": 1.0,
                           "lof_roc": 0.5, "lof_ap": 0.1, "if_roc": 0.5, "if_ap": 0.1}}
                """);
        Cli.Run r = Cli.run(dir, dir, "bench", "--suite", "sets", "--json", "--out", "suite.json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(j, JSON.readTree(dir.resolve("suite.json").toFile()), "--out holds the same JSON");
        assertTrue(r.err().contains("alpha") && r.err().contains("recon best"), "the table goes to stderr with --json: "
                + r.err());
        JsonNode alpha = j.get("sets").get(0);
        JsonNode beta = j.get("sets").get(1);
        assertEquals("alpha", alpha.get("set").asText());
        assertEquals(6, alpha.get("features").asInt());
        assertEquals(1200, alpha.get("rows").asInt());
        assertEquals(0.65, beta.get("peers").get("ae").get("roc").asDouble(), 1e-12, "peer seeds are averaged");
        assertEquals("knn", beta.get("best_peer").asText());
        assertTrue(alpha.get("best").asBoolean());
        assertEquals(beta.get("roc").asDouble() >= 0.99, beta.get("matched").asBoolean());
        JsonNode s = j.get("summary");
        assertEquals((alpha.get("roc").asDouble() + beta.get("roc").asDouble()) / 2, s.get("roc").asDouble(), 1e-12);
        assertEquals(0.75, s.get("peers").get("knn").get("roc").asDouble(), 1e-12);
        assertEquals(1 + (beta.get("best").asBoolean() ? 1 : 0), s.get("best").asInt());

        // the suite's figure is the default `recon train`'s, seed 42
        Cli.Run t = Cli.run(dir, dir, "train", "--data", "sets/alpha.csv", "--out", "alpha-run", "--json", "--quiet");
        assertEquals(0, t.code(), t.err());
        assertEquals(JSON.readTree(t.out()).get("roc_auc").asDouble(), alpha.get("roc").asDouble(), 1e-12);
        assertEquals(JSON.readTree(t.out()).get("pr_auc").asDouble(), alpha.get("ap").asDouble(), 1e-12);
        assertEquals("ae-knn", JSON.readTree(t.out()).get("detector").get("kind").asText());
    }

    @Test
    void aFolderWithoutSetsIsAOneLineError() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Cli.Run r = Cli.run(dir, dir, "bench", "--suite", "empty");
        assertEquals(2, r.code());
        assertEquals(java.util.List.of("recon bench: empty: no .csv or .csv.gz files"), r.errLines());
        Cli.Run m = Cli.run(dir, dir, "bench", "--suite", "missing");
        assertEquals(2, m.code());
        assertEquals(java.util.List.of("recon bench: missing: no such folder"), m.errLines());
    }
}
