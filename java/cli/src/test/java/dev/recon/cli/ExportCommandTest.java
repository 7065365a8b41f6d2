package dev.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code recon export} in process, through {@link Main#run}: the file, and the one-line refusals. */
class ExportCommandTest {
    @TempDir
    Path dir;

    static final Path MODEL = Cli.repo().resolve("models/creditcard-subset/model.recon");

    record Outcome(int code, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    /** Runs one command; the command's own notes go to System.err, as in the launcher, so that is captured too. */
    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(e);
            try {
                code = Main.run(args, o, e);
            } finally {
                System.setErr(systemErr);
            }
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesAnOnnxFileAndSaysSoInOneLine() throws Exception {
        Path file = dir.resolve("m.onnx");
        Outcome r = run("export", "--model", MODEL.toString(), "--format", "onnx", "--out", file.toString());
        assertEquals(0, r.code(), r.err());
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(file));
        assertEquals(4, m.getGraph().getOutputCount());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("recon export: ae-knn detector, 30 features, ") && r.err().contains(file.toString()),
                r.err());
        assertEquals("", r.out());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temporary file is left beside it");
        }
    }

    @Test
    void quietWritesTheFileWithoutANote() {
        Path file = dir.resolve("run").resolve("m.onnx");
        Outcome r = run("export", "--model", MODEL.getParent().toString(), "--out", file.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(Files.isRegularFile(file), "a run folder is read as its model.recon; onnx is the default format");
    }

    @Test
    void refusesAnotherFormatInOneLine() {
        Path file = dir.resolve("m.pmml");
        Outcome r = run("export", "--model", MODEL.toString(), "--format", "pmml", "--out", file.toString());
        assertEquals(2, r.code());
        assertEquals(List.of("recon export: --format: expected onnx, got 'pmml'"), r.errLines());
        assertFalse(Files.exists(file));
    }

    @Test
    void refusesAMissingBundleInOneLineWithoutAStackTrace() {
        Path file = dir.resolve("m.onnx");
        Outcome r = run("export", "--model", dir.resolve("nothing.recon").toString(), "--out", file.toString());
        assertEquals(2, r.code(), r.err());
        assertOneLineError(r);
        assertTrue(r.err().contains("nothing.recon"), r.err());
        assertFalse(Files.exists(file));
    }

    @Test
    void refusesACorruptBundleInOneLineWithoutAStackTrace() throws Exception {
        byte[] good = Files.readAllBytes(MODEL);
        Path bad = dir.resolve("bad.recon");
        // the real file cut short: what an interrupted copy leaves
        Files.write(bad, java.util.Arrays.copyOf(good, good.length / 2));
        Path file = dir.resolve("m.onnx");
        Outcome r = run("export", "--model", bad.toString(), "--out", file.toString());
        assertEquals(2, r.code(), r.err());
        assertOneLineError(r);
        assertFalse(Files.exists(file));
        Files.write(bad, "not a bundle at all\n".getBytes(StandardCharsets.UTF_8));
        Outcome r2 = run("export", "--model", bad.toString(), "--out", file.toString());
        assertEquals(2, r2.code(), r2.err());
        assertOneLineError(r2);
    }

    private static void assertOneLineError(Outcome r) {
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("recon export: "), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }
}
