package dev.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rung 7: the CLI end to end, on the real credit-card subset and on synthetic and unlabelled data. */
class EndToEndIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void demoOnTheRealSubsetThenEvaluateAndScore() throws Exception {
        Path cc = Cli.creditCard();
        if ("1".equals(System.getenv("RECON_REQUIRE_DATA"))) {
            // CI has ../shared beside the checkout: a missing file is a failure there, not a skip
            assertTrue(cc != null, "the credit-card subset is missing beside this checkout");
        }
        assumeTrue(cc != null, "the credit-card subset is not beside this checkout");
        Cli.Run demo = Cli.run(dir, Cli.repo(), "demo", "--out", "run", "--json");
        assertEquals(0, demo.code(), demo.err());
        JsonNode m = JSON.readTree(demo.out());
        assertTrue(m.get("data").get("source").asText().endsWith("shared/data/creditcard/creditcard.csv.gz"),
                "the demo finds ../shared data: " + m.get("data").get("source"));
        assertEquals(false, m.get("synthetic").asBoolean());
        assertEquals(17_891, m.get("data").get("rows").asInt());
        assertEquals(3480 + 492, m.get("rows").asInt());
        assertEquals(492, m.get("anomalies").asInt());
        assertTrue(m.get("roc_auc").asDouble() > 0.94, "ROC-AUC " + m.get("roc_auc"));
        for (String k : new String[] {"pr_auc", "best_f1", "best_f1_threshold", "threshold", "precision", "recall", "f1",
            "confusion", "flagged", "recall_at_fpr_0.001"}) {
            assertTrue(m.has(k), k);
        }
        for (String f : new String[] {"model.recon", "metrics.json", "report.txt", "report.html"}) {
            assertTrue(Files.isRegularFile(dir.resolve("run").resolve(f)), f);
        }
        assertEquals(JSON.readTree(dir.resolve("run/metrics.json").toFile()), m, "metrics.json holds what --json printed");
        // the report shows the same numbers: its embedded metrics equal metrics.json's
        JsonNode embedded = embeddedMetrics(dir.resolve("run/report.html"));
        for (String k : new String[] {"roc_auc", "pr_auc", "best_f1", "threshold", "precision", "recall", "f1",
            "confusion", "flagged", "recall_at_fpr_0.001", "rows", "anomalies"}) {
            assertEquals(m.get(k), embedded.get("autoencoder").get(k), "report.html " + k);
        }
        assertEquals(m.get("baseline_iforest"), embedded.get("iforest"));
        assertTrue(m.get("baseline_iforest").get("roc_auc").asDouble() > 0.9, "Isolation Forest baseline");
        String html = Files.readString(dir.resolve("run/report.html"));
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.4f", m.get("roc_auc").asDouble())));
        assertEquals(5, html.split("<img src=\"data:image/png;base64,", -1).length - 1, "five embedded charts");
        assertTrue(html.contains("data-metric=\"roc_auc\" data-value=\"" + m.get("roc_auc").asDouble() + "\""),
                "the summary carries metrics.json's ROC-AUC");

        Cli.Run ev = Cli.run(dir, Cli.repo(), "evaluate", "--model", "run", "--data", cc.toString(), "--json");
        assertEquals(0, ev.code(), ev.err());
        JsonNode e = JSON.readTree(ev.out());
        assertEquals("test", e.get("split").asText());
        for (String k : new String[] {"roc_auc", "pr_auc", "best_f1", "threshold", "f1", "confusion", "recall_at_fpr_0.001"}) {
            assertEquals(m.get(k), e.get(k), k + ": evaluate re-creates the training run's test split");
        }
        Cli.Run table = Cli.run(dir, Cli.repo(), "evaluate", "--model", "run/model.recon", "--data", cc.toString(),
                "--out", "ev", "--baseline", "none");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("ROC-AUC"), table.out());
        assertEquals(m.get("roc_auc"), embeddedMetrics(dir.resolve("ev/report.html")).get("autoencoder").get("roc_auc"));
        assertTrue(embeddedMetrics(dir.resolve("ev/report.html")).get("iforest") == null, "--baseline none");
        Cli.Run rep = Cli.run(dir, Cli.repo(), "report", "--model", "run", "--data", cc.toString(), "--out", "rep");
        assertEquals(0, rep.code(), rep.err());
        assertEquals(m.get("baseline_iforest"), embeddedMetrics(dir.resolve("rep/report.html")).get("iforest"));

        Cli.Run sc = Cli.run(dir, Cli.repo(), "score", "--model", "run", "--data", cc.toString(), "--out", "scores.csv",
                "--explain", "3");
        assertEquals(0, sc.code(), sc.err());
        List<String> lines = Files.readAllLines(dir.resolve("scores.csv"));
        assertEquals("row,score,anomaly,top1_feature,top1_share,top2_feature,top2_share,top3_feature,top3_share,reason",
                lines.get(0));
        assertEquals(17_891 + 1, lines.size());
        String[] first = lines.get(1).split(",");
        assertEquals("1", first[0]);
        assertTrue(Double.parseDouble(first[1]) >= 0);
        assertTrue(first[2].equals("0") || first[2].equals("1"));
        long flagged = lines.stream().skip(1).filter(l -> l.split(",")[2].equals("1")).count();
        assertTrue(sc.err().contains(String.format("%,d flagged", flagged)), sc.err());
    }

    static JsonNode embeddedMetrics(Path html) throws java.io.IOException {
        String s = Files.readString(html);
        String open = "<script type=\"application/json\" id=\"recon-metrics\">";
        int a = s.indexOf(open) + open.length();
        return JSON.readTree(s.substring(a, s.indexOf("</script>", a)).replace("<\\/", "</"));
    }

    @Test
    void demoWithoutDataRunsOnLabelledSyntheticData() throws Exception {
        // a home whose ../shared surely does not exist (the temporary folder's parent might have one)
        Path home = Files.createDirectories(dir.resolve("home/recon"));
        Cli.Run r = Cli.run(dir, home, "demo", "--out", "syn", "--epochs", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("NO CREDIT-CARD DATA FOUND; running on SYNTHETIC data"), r.err());
        assertTrue(r.out().startsWith("*** SYNTHETIC DATA"), r.out());
        assertTrue(Files.readString(dir.resolve("syn/report.txt")).startsWith("*** SYNTHETIC DATA"));
        assertTrue(Files.readString(dir.resolve("syn/report.html")).contains("SYNTHETIC DATA"));
        JsonNode m = JSON.readTree(dir.resolve("syn/metrics.json").toFile());
        assertTrue(m.get("synthetic").asBoolean());
        assertEquals(284_807, m.get("data").get("rows").asInt());
        assertTrue(m.get("roc_auc").asDouble() > 0.8, "ROC-AUC " + m.get("roc_auc"));
    }

    @Test
    void unlabelledTrainingAndScoring() throws Exception {
        StringBuilder sb = new StringBuilder("x,y,z,id\n");
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 2000; i++) {
            double t = r.nextGaussian();
            double y = i == 1999 ? 10 : Math.sin(t) + 0.05 * r.nextGaussian();
            sb.append(t).append(',').append(y).append(',').append(t * t).append(",id").append(i).append('\n');
        }
        Files.writeString(dir.resolve("flows.csv"), sb);
        Cli.Run t = Cli.run(dir, dir, "train", "--data", "flows.csv", "--exclude", "id", "--out", "u", "--json",
                "--threads", "1");
        assertEquals(0, t.code(), t.err());
        JsonNode m = JSON.readTree(t.out());
        assertTrue(m.get("roc_auc") == null, "no labels, no metrics");
        String html = Files.readString(dir.resolve("u/report.html"));
        assertTrue(html.contains("no labels, so no ROC"), "the report of unlabelled data says what it cannot show");
        assertEquals(4, html.split("<img src=\"data:image/png;base64,", -1).length - 1,
                "loss, errors, latent space (PCA and t-SNE)");
        assertTrue(html.contains("<title>Recon train · flows.csv · ae-knn</title>"), "the tab names the run");
        assertTrue(html.indexOf("id=\"summary\"") > 0 && html.indexOf("id=\"summary\"") < html.indexOf("id=\"feature-stats\""),
                "the summary comes before the per-feature statistics");
        // outside the charts' base64 data, which may spell anything
        assertFalse(html.replaceAll("<img [^>]*>", "").contains("n/a"), "an unlabelled report shows no column it cannot fill");
        assertFalse(html.contains("anomaly mean") || html.contains("<th>label</th>"), "no anomaly columns, no label column");
        assertEquals(3, m.get("data").get("features").asInt());
        // recon report works on unlabelled data as train does
        Cli.Run rep = Cli.run(dir, dir, "report", "--model", "u", "--data", "flows.csv", "--out", "urep");
        assertEquals(0, rep.code(), rep.err());
        assertTrue(Files.readString(dir.resolve("urep/report.html")).contains("no labels, so no ROC"));
        Cli.Run s = Cli.run(dir, dir, "score", "--model", "u", "--data", "flows.csv", "--explain", "1");
        assertEquals(0, s.code(), s.err());
        List<String> lines = s.out().lines().toList();
        assertEquals(2001, lines.size());
        String last = lines.get(2000);
        assertTrue(last.startsWith("2000,") && last.contains(",1,y,"), "the planted outlier is flagged and blamed on y: " + last);

        // fail closed: values far outside what the model saw (finite floats) overflow in the network;
        // the row is scored, flagged, and says why, and the summary counts it
        Files.writeString(dir.resolve("huge.csv"), "x,y,z,id\n0.1,0.1,0.01,a\n3e38,-3e38,3e38,b\n");
        Cli.Run h = Cli.run(dir, dir, "score", "--model", "u", "--data", "huge.csv", "--out", "huge-scores.csv");
        assertEquals(0, h.code(), h.err());
        List<String> hl = Files.readAllLines(dir.resolve("huge-scores.csv"));
        assertEquals("row,score,anomaly,reason", hl.get(0));
        assertTrue(hl.get(1).endsWith(",0,"), hl.get(1));
        assertTrue(hl.get(2).startsWith("2,") && hl.get(2).endsWith(",1,non-finite score"), hl.get(2));
        assertTrue(h.err().contains("2 rows, 1 flagged") && h.err().contains("1 of them with a score that is not a finite"),
                h.err());
    }

    /** The launcher users run: Vector API kernels on, the JDK's incubator notice kept off stderr. */
    @Test
    void launcherKeepsStderrToReconsOwnLines() throws Exception {
        Path launcher = Cli.repo().resolve("recon");
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "info").directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        assertEquals("", err, "stderr of recon info");
        assertTrue(out.contains("backend  cpu   available: Java, Vector API"), out);

        Process bad = new ProcessBuilder("bash", launcher.toString(), "train", "--data", "missing.csv")
                .directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String badErr = new String(bad.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(2, bad.waitFor());
        assertEquals("recon train: missing.csv: no such file\n", badErr);
    }

    /**
     * On a terminal (a pseudo-terminal from util-linux's {@code script}), Recon's stderr is the
     * terminal: the progress bar is redrawn in place with losses and samples/s, fitted to 80
     * columns, and the JDK's incubator notice still does not show.
     */
    @Test
    void launcherKeepsStderrATerminal() throws Exception {
        StringBuilder sb = new StringBuilder("a,b,c\n");
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 3000; i++) {
            sb.append(r.nextGaussian()).append(',').append(r.nextGaussian()).append(',').append(r.nextGaussian()).append('\n');
        }
        Files.writeString(dir.resolve("tty.csv"), sb);
        String cmd = "stty cols 80; bash '" + Cli.repo().resolve("recon") + "' train --data tty.csv --epochs 3 --out tty";
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", cmd, "/dev/null").directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectErrorStream(true);
        pb.environment().remove("CI");
        Process p = pb.start();
        String tty = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), tty);
        assertFalse(tty.contains("WARNING"), tty);
        String bar = java.util.Arrays.stream(tty.split("\r\n")[0].split("\r")).filter(s -> s.contains("ep 3 loss"))
                .findFirst().orElseThrow(() -> new AssertionError("no redrawn progress bar on the terminal: " + tty));
        assertTrue(bar.matches(".*100% \\[=+\\] .* ep 3 loss \\S+ val \\S+ \\d+k/s\\s*"), bar);
        assertTrue(bar.length() <= 80, bar.length() + " columns: " + bar);
        assertTrue(Files.exists(dir.resolve("tty/model.recon")));
    }

    /** The launcher execs the JVM: SIGTERM reaches it, its exit code is the command's, nothing is left running. */
    @Test
    void launcherPassesSignalsToJava() throws Exception {
        StringBuilder sb = new StringBuilder("a,b,c,d\n");
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 20_000; i++) {
            sb.append(r.nextGaussian()).append(',').append(r.nextGaussian()).append(',').append(r.nextGaussian())
                    .append(',').append(r.nextGaussian()).append('\n');
        }
        Files.writeString(dir.resolve("long.csv"), sb);
        Process p = new ProcessBuilder("bash", Cli.repo().resolve("recon").toString(), "train", "--data", "long.csv",
                "--epochs", "100000", "--patience", "0", "--out", "long", "--quiet").directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // wait until the JVM is training (it holds the launcher's process id after exec)
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!p.info().command().orElse("").endsWith("java") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(p.info().command().orElse("").endsWith("java"), "the launcher's process became the JVM: "
                + p.info().command().orElse("?"));
        Thread.sleep(1500);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the JVM ends on SIGTERM");
        assertEquals(143, p.exitValue(), "128 + SIGTERM, the JVM's own exit code");
        assertEquals(0, p.descendants().filter(ProcessHandle::isAlive).count(), "nothing left running");
    }

    @Test
    void helpAndInfo() throws Exception {
        for (String c : new String[] {"demo", "train", "evaluate", "score", "export", "report", "serve", "bench", "info"}) {
            Cli.Run h = Cli.run(dir, dir, c, "--help");
            assertEquals(0, h.code(), c);
            assertTrue(h.out().contains("Usage: recon " + c), h.out());
        }
        Cli.Run i = Cli.run(dir, dir, "info", "--json");
        assertEquals(0, i.code());
        JsonNode n = JSON.readTree(i.out());
        assertTrue(n.get("backends").get(0).get("available").asBoolean());
        assertEquals("cuda", n.get("backends").get(1).get("name").asText());
    }
}
