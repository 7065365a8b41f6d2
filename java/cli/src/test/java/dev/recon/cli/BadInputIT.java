package dev.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rung 8 through the real CLI: every kind of bad input gets exit code 2 and exactly one line
 * on stderr naming the file, line and column (or the option), with no stack trace; and
 * nothing already written is damaged.
 */
class BadInputIT {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void trainASmallModel() throws Exception {
        Cli.trainSmallModel(dir);
        model = dir.resolve("run/model.recon");
    }

    /** Runs recon and checks the contract for bad input; returns the one stderr line. */
    static String fails(String... args) throws Exception {
        java.util.Map<String, byte[]> before = BadInputCatalogIT.snapshot(dir.resolve("run"));
        Cli.Run r = Cli.run(dir, dir, args);
        // nothing already written is touched
        java.util.Map<String, byte[]> after = BadInputCatalogIT.snapshot(dir.resolve("run"));
        assertEquals(before.keySet(), after.keySet(), "the earlier run folder keeps its files");
        for (String f : before.keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(before.get(f), after.get(f), f + " unchanged");
        }
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), "one line on stderr: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(lines.get(0).startsWith("recon " + args[0] + ": "), lines.get(0));
        return lines.get(0);
    }

    static Path csv(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void malformedCsvFilesNameFileLineAndColumn() throws Exception {
        csv("nonnum.csv", "a,b,c,Class\n1,2,3,0\n1,x,3,0\n");
        assertEquals("recon train: nonnum.csv:3:2 (column b): not a number: \"x\"",
                fails("train", "--data", "nonnum.csv", "--out", "o1"));
        csv("nan.csv", "a,b,c,Class\n1,2,NaN,0\n");
        assertEquals("recon train: nan.csv:2:3 (column c): NaN and infinity are not allowed: \"NaN\"",
                fails("train", "--data", "nan.csv", "--out", "o1"));
        csv("inf.csv", "a,b,c,Class\n1,2,3,0\n1,Infinity,3,0\n");
        assertTrue(fails("train", "--data", "inf.csv").startsWith("recon train: inf.csv:3:2 (column b): NaN and infinity"));
        csv("ragged.csv", "a,b,c,Class\n1,2,3,0\n1,2,0\n");
        assertEquals("recon train: ragged.csv:3: expected 4 fields as in the header, found 3",
                fails("train", "--data", "ragged.csv"));
        csv("empty.csv", "");
        assertEquals("recon train: empty.csv: empty file (a header row is required)", fails("train", "--data", "empty.csv"));
        csv("header.csv", "a,b,c,Class\n");
        assertEquals("recon train: header.csv: no data rows after the header", fails("train", "--data", "header.csv"));
        csv("labels.csv", "a,b,c,Class\n1,2,3,0\n1,2,3,1\n1,2,3,7\n");
        assertTrue(fails("train", "--data", "labels.csv").startsWith(
                "recon train: labels.csv:4:4 (column Class): label value \"7\" is neither"));
        assertEquals("recon train: missing.csv: no such file", fails("train", "--data", "missing.csv"));
        csv("nolabel.csv", "a,b,c,Class\n1,2,3,0\n1,2,3,\n");
        assertEquals("recon train: nolabel.csv:3:4 (column Class): empty label value",
                fails("train", "--data", "nolabel.csv", "--out", "o1"));
        assertEquals("recon train: --no-label cannot go with --label, --normal or --anomaly",
                fails("train", "--data", "good.csv", "--no-label", "--label", "Class"));
    }

    @Test
    void wrongColumnsAndMissingLabels() throws Exception {
        assertEquals("recon train: good.csv:1: no label column 'Label' (columns: a, b, c, Class)",
                fails("train", "--data", "good.csv", "--label", "Label"));
        csv("nolabel.csv", "a,b,c\n1,2,3\n");
        assertEquals("recon evaluate: nolabel.csv:1: no label column 'Class' (columns: a, b, c)",
                fails("evaluate", "--model", model.toString(), "--data", "nolabel.csv"));
        csv("fewer.csv", "a,b,Class\n1,2,0\n");
        assertTrue(fails("score", "--model", model.toString(), "--data", "fewer.csv")
                .startsWith("recon score: fewer.csv: no column 'c', which the model was trained on"));
        csv("tiny.csv", "a,Class\n1,0\n2,0\n3,1\n");
        assertEquals("recon train: tiny.csv: too few normal rows to train on: the file has 3 rows, 2 of them normal; "
                + "the split keeps 1 of those (0 to fit, 1 to validate; the rest are test rows), and training needs "
                + "at least 20",
                fails("train", "--data", "tiny.csv"));
    }

    @Test
    void badOptions() throws Exception {
        // --resume continues with the model's settings: a different one is refused, not ignored
        assertEquals("recon train: --resume continues with the model's own settings; these differ: --batch 512 (the "
                + "model's: 256), --seed 7 (the model's: 42) (leave them out)",
                fails("train", "--data", "good.csv", "--resume", "run", "--epochs", "4", "--batch", "512", "--seed", "7"));
        assertTrue(fails("train", "--data", "good.csv", "--threshold", "median").contains("unknown policy"));
        assertTrue(fails("train", "--data", "good.csv", "--epochs", "0").contains("--epochs must be at least 1"));
        assertTrue(fails("train", "--data", "good.csv", "--lr", "-1").contains("--lr must be a positive number"));
        assertTrue(fails("train", "--data", "good.csv", "--loss", "huber").contains("unknown loss"));
        assertTrue(fails("train", "--data", "good.csv", "--device", "tpu").contains("unknown device"));
        assertTrue(fails("train", "--epochs", "3").contains("Missing required option: '--data=FILE'"));
        assertTrue(fails("train", "--data", "good.csv", "--frobnicate").contains("Unknown option: '--frobnicate'"));
        assertTrue(fails("evaluate", "--model", model.toString(), "--data", "good.csv", "--split", "half")
                .contains("--split: expected test or all"));
    }

    @Test
    void corruptedBundles() throws Exception {
        byte[] good = Files.readAllBytes(model);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x55;
        Files.write(dir.resolve("flipped.recon"), bad);
        assertEquals("recon score: flipped.recon: corrupted or truncated model bundle (checksum mismatch)",
                fails("score", "--model", "flipped.recon", "--data", "good.csv"));
        Files.write(dir.resolve("short.recon"), java.util.Arrays.copyOf(good, good.length / 3));
        assertEquals("recon evaluate: short.recon: corrupted or truncated model bundle (checksum mismatch)",
                fails("evaluate", "--model", "short.recon", "--data", "good.csv"));
        assertEquals("recon score: good.csv: not a Recon model bundle (bad magic bytes)",
                fails("score", "--model", "good.csv", "--data", "good.csv"));
    }

    @Test
    void failuresLeaveExistingOutputsAlone() throws Exception {
        Path out = dir.resolve("scores.csv");
        Files.writeString(out, "precious\n");
        csv("broken.csv", "a,b,c\n1,2,3\n1,2\n");
        fails("score", "--model", model.toString(), "--data", "broken.csv", "--out", "scores.csv");
        assertEquals("precious\n", Files.readString(out));
        byte[] before = Files.readAllBytes(model);
        fails("train", "--data", "broken.csv", "--out", "run");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(model)));
        try (var files = Files.list(dir.resolve("run"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void debugShowsTheStackTrace() throws Exception {
        Cli.Run r = Cli.run(dir, dir, "train", "--data", "missing.csv", "--debug");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void divergenceInTheFirstEpochIsAFailureThatWritesNothing() throws Exception {
        byte[] before = Files.readAllBytes(model);
        // Adam moves every weight by about lr per step: 1e30 overflows float32 within the first batches
        Cli.Run r = Cli.run(dir, dir, "train", "--data", "good.csv", "--out", "run", "--lr", "1e30", "--quiet");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("recon train: training diverged in epoch 1"), r.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(model)), "the earlier model is untouched");
    }
}
