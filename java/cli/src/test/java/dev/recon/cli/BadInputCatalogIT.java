package dev.recon.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A catalogue of bad inputs beyond {@link BadInputIT}'s, each through the real CLI: exit code 2,
 * one line on stderr that names the place (the file, or the option), no stack trace, and the
 * earlier run folder byte for byte as it was.
 */
class BadInputCatalogIT {
    @TempDir
    static Path dir;

    @BeforeAll
    static void trainASmallModel() throws Exception {
        Cli.trainSmallModel(dir);
        Files.writeString(dir.resolve("nolabels.csv"), "a,b,c\n1,2,3\n4,5,6\n");
        Files.writeString(dir.resolve("twocols.csv"), "a,b,Class\n1,2,0\n");
        Files.writeString(dir.resolve("othercols.csv"), "x,y,z\n1,2,3\n");
        Files.writeString(dir.resolve("notgzip.csv.gz"), "a,b,Class\n1,2,0\n");
        Files.write(dir.resolve("binary.csv"), new byte[] {0, 1, 2, (byte) 0xff, 10, 3, 4});
        Files.writeString(dir.resolve("text.recon"), "not a model\n");
        Files.createDirectories(dir.resolve("empty-run"));
        byte[] gz;
        try (var bo = new java.io.ByteArrayOutputStream(); var gzo = new java.util.zip.GZIPOutputStream(bo)) {
            gzo.write(Files.readAllBytes(dir.resolve("good.csv")));
            gzo.finish();
            gz = bo.toByteArray();
        }
        Files.write(dir.resolve("truncated.csv.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        Files.write(dir.resolve("truncated.recon"),
                java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("run/model.recon")), 500));
    }

    /** name, CSV content (or null: the file exists already), the arguments, what the line must name. */
    static Stream<Arguments> cases() {
        List<Arguments> c = new ArrayList<>();
        // data files
        c.add(csv("unterminated quote", "a,b,Class\n\"1,2,0\n3,4,0\n", "unterminated.csv"));
        c.add(csv("two decimal points", "a,b,Class\n1.2.3,2,0\n", "points.csv"));
        c.add(csv("exponent without digits", "a,b,Class\n1e,2,0\n", "exponent.csv"));
        c.add(csv("double sign", "a,b,Class\n--5,2,0\n", "sign.csv"));
        c.add(csv("hexadecimal", "a,b,Class\n0x1F,2,0\n", "hex.csv"));
        c.add(csv("lower-case inf", "a,b,Class\ninf,2,0\n", "inf.csv"));
        c.add(csv("negative infinity", "a,b,Class\n1,-Infinity,0\n", "neginf.csv"));
        c.add(csv("lower-case nan", "a,b,Class\nnan,2,0\n", "nan.csv"));
        c.add(csv("beyond float32", "a,b,Class\n1,-4e38,0\n", "big.csv"));
        c.add(csv("an extra field", "a,b,Class\n1,2,0\n1,2,3,0\n", "extra.csv"));
        c.add(csv("only a label column", "Class\n0\n1\n", "onlylabel.csv"));
        c.add(csv("three label values", "a,b,Class\n1,2,0\n1,2,1\n1,2,2\n", "three.csv"));
        c.add(csv("an empty label value", "a,b,Class\n1,2,\n", "emptylabel.csv"));
        c.add(csv("a blank header", "   \n1,2\n", "blankheader.csv"));
        c.add(csv("a byte-order mark and no rows", "\uFEFFa,b,Class\n", "bomonly.csv"));
        c.add(csv("a label-named column with a third value", "x,target\n1,0\n2,1\n3,7\n", "target.csv"));
        c.add(Arguments.of("not gzip behind .gz", null, args("train", "--data", "notgzip.csv.gz"), "notgzip.csv.gz"));
        c.add(Arguments.of("truncated gzip", null, args("train", "--data", "truncated.csv.gz"), "truncated.csv.gz"));
        c.add(Arguments.of("binary bytes", null, args("train", "--data", "binary.csv"), "binary.csv"));
        // options
        c.add(opt("--batch 0", "--batch", "0"));
        c.add(opt("--epochs -1", "--epochs", "-1"));
        c.add(opt("--hidden 0", "--hidden", "0"));
        c.add(opt("--hidden abc", "--hidden", "abc"));
        c.add(opt("--latent 0", "--latent", "0"));
        c.add(opt("--threshold val-quantile:1.5", "--threshold", "val-quantile:1.5"));
        c.add(opt("--threshold fpr:2", "--threshold", "fpr:2"));
        c.add(opt("--threshold mean-std:x", "--threshold", "mean-std:x"));
        c.add(opt("--patience -1", "--patience", "-1"));
        c.add(opt("--lr 0", "--lr", "0"));
        c.add(opt("--threads 0", "--threads", "0"));
        c.add(opt("--detector forest", "--detector", "forest"));
        c.add(opt("--init xavier", "--init", "xavier"));
        c.add(opt("--resume with another detector", "--resume", "run", "--epochs", "9", "--detector", "ae"));
        c.add(opt("--resume with another initialisation", "--resume", "run", "--epochs", "9", "--init", "torch"));
        // options about the data name the file (and the column) they could not apply to
        c.add(dataOpt("--exclude a missing column", "--exclude", "zzz"));
        c.add(dataOpt("--exclude the label column", "--exclude", "Class"));
        c.add(dataOpt("--label a missing column", "--label", "zzz"));
        c.add(dataOpt("--normal a value that never occurs", "--normal", "5"));
        c.add(opt("--no-label with --normal", "--no-label", "--normal", "0"));
        c.add(opt("an unknown option", "--frobnicate"));
        // models and other commands
        c.add(Arguments.of("score --explain -1", null, args("score", "--model", "run", "--data", "good.csv", "--explain",
                "-1"), "--explain"));
        c.add(withModel("score with a missing model", "score", "missing.recon", "good.csv", "missing.recon"));
        c.add(withModel("score with a text file as model", "score", "text.recon", "good.csv", "text.recon"));
        c.add(withModel("score with a truncated model", "score", "truncated.recon", "good.csv", "truncated.recon"));
        c.add(withModel("score with a folder without a model", "score", "empty-run", "good.csv", "empty-run"));
        c.add(withModel("score with a model column missing", "score", "run", "twocols.csv", "twocols.csv"));
        c.add(withModel("score with none of the model's columns", "score", "run", "othercols.csv",
                "othercols.csv: no column 'a', which the model was trained on"));
        c.add(withModel("evaluate unlabelled data", "evaluate", "run", "nolabels.csv", "nolabels.csv"));
        c.add(Arguments.of("evaluate --split bogus", null, args("evaluate", "--model", "run", "--data", "good.csv",
                "--split", "bogus"), "--split"));
        return c.stream();
    }

    private static String[] args(String... a) {
        return a;
    }

    private static Arguments csv(String name, String content, String file) {
        return Arguments.of(name, content, args("train", "--data", file, "--out", "run"), file);
    }

    /** {@code command --model model --data data}, whose error must name {@code expected}. */
    private static Arguments withModel(String name, String command, String model, String data, String expected) {
        return Arguments.of(name, null, args(command, "--model", model, "--data", data), expected);
    }

    private static Arguments opt(String name, String... options) {
        List<String> a = new ArrayList<>(List.of("train", "--data", "good.csv", "--out", "run"));
        a.addAll(List.of(options));
        return Arguments.of(name, null, a.toArray(new String[0]), options[0]);
    }

    private static Arguments dataOpt(String name, String... options) {
        Arguments a = opt(name, options);
        return Arguments.of(a.get()[0], a.get()[1], a.get()[2], "good.csv");
    }

    /** Every file below {@code run} with its bytes (nothing where the folder does not exist yet). */
    static Map<String, byte[]> snapshot(Path run) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        if (!Files.isDirectory(run)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(run.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedInOneLineNamingThePlaceWithNothingDamaged(String name, String content, String[] args, String place)
            throws Exception {
        if (content != null) {
            Files.writeString(dir.resolve(args[2]), content);
        }
        Map<String, byte[]> before = snapshot(dir.resolve("run"));
        Cli.Run r = Cli.run(dir, dir, args);
        assertEquals(2, r.code(), name + ": exit code; stderr: " + r.err());
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), name + ": one line on stderr: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), name + ": no stack trace: " + r.err());
        assertTrue(lines.get(0).startsWith("recon " + args[0] + ": "), lines.get(0));
        assertTrue(lines.get(0).contains(place), name + ": the line names " + place + ": " + lines.get(0));
        Map<String, byte[]> after = snapshot(dir.resolve("run"));
        assertEquals(before.keySet(), after.keySet(), name + ": the earlier run folder keeps its files");
        for (String f : before.keySet()) {
            assertArrayEquals(before.get(f), after.get(f), name + ": " + f + " unchanged");
        }
    }
}
