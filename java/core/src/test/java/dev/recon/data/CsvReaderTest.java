package dev.recon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.ReconException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private String error(String content, CsvOptions opt) throws IOException {
        Path p = file("bad.csv", content);
        ReconException e = assertThrows(ReconException.class, () -> CsvReader.read(p, opt));
        assertTrue(e.badInput());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage().replace(p.toString(), "bad.csv");
    }

    @Test
    void readsFeaturesAndLabels() throws IOException {
        Path p = file("ok.csv", "\"a\",b,Class\r\n1,2.5,0\r\n-3,4e2,1\r\n\r\n5, 6 ,\"0\"\r\n");
        Dataset d = CsvReader.read(p, CsvOptions.defaults());
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals(3, d.rows());
        assertEquals(400f, d.get(1, 1));
        assertEquals(6f, d.get(2, 1));
        assertTrue(d.isAnomaly(1));
        assertFalse(d.isAnomaly(2));
        assertEquals(new Dataset.Labels("Class", "0", "1"), d.labels());
    }

    @Test
    void readsTextHeldInMemoryInPlaceAndNamesItInErrors() throws IOException {
        String text = "id,b,a\nx,1,2\ny,3,4.5\n";
        byte[] bytes = (text + "trailing bytes not given to the reader").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] copy = bytes.clone();
        int len = text.length();
        assertEquals(List.of("id", "b", "a"), CsvReader.header("request body", bytes, len));
        Dataset d = CsvReader.read("request body", bytes, len, CsvOptions.featuresOnly(List.of("id")));
        Dataset f = CsvReader.read(file("m.csv", text), CsvOptions.featuresOnly(List.of("id")));
        assertEquals(f.featureNames(), d.featureNames());
        assertArrayEquals(f.values(), d.values());
        assertArrayEquals(copy, bytes, "the caller's bytes are left as they were");
        byte[] bad = "a,b\n1,2\n3,x\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ReconException e = assertThrows(ReconException.class,
                () -> CsvReader.read("request body", bad, bad.length, CsvOptions.featuresOnly(List.of())));
        assertTrue(e.getMessage().startsWith("request body:3:2 (column b): "), e.getMessage());
    }

    @Test
    void withoutLabelColumnEveryColumnIsAFeature() throws IOException {
        Dataset d = CsvReader.read(file("u.csv", "x,y\n1,2\n3,4"), CsvOptions.defaults());
        assertFalse(d.hasLabels());
        assertEquals(2, d.features());
        assertEquals(4f, d.get(1, 1));
    }

    @Test
    void readsGzipByExtensionAndLongFiles() throws IOException {
        Path p = dir.resolve("big.csv.gz");
        StringBuilder sb = new StringBuilder("t,v,Class\n");
        for (int i = 0; i < 300_000; i++) {
            sb.append(i).append(',').append(i * 0.5).append(',').append(i % 100 == 0 ? 1 : 0).append('\n');
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        }
        Dataset d = CsvReader.read(p, CsvOptions.defaults());
        assertEquals(300_000, d.rows());
        assertEquals(3000, d.anomalies());
        assertEquals(149_999.5f, d.get(299_999, 1));
    }

    @Test
    void textLabelsWithNormalAndExclusions() throws IOException {
        Path p = file("t.csv", "id,x,kind\nA1,1,ok\nA2,2,bad\nA3,3,ok\n");
        Dataset d = CsvReader.read(p, new CsvOptions("kind", "ok", null, List.of("id"), true));
        assertEquals(List.of("x"), d.featureNames());
        assertEquals(1, d.anomalies());
        assertEquals("bad", d.labels().anomalyValue());
        assertTrue(error("id,x,kind\nA1,1,up\nA2,2,down\n", new CsvOptions("kind", null, null, List.of("id"), true))
                .contains("equally often and none is 0: say which is normal with --normal"));
    }

    @Test
    void tabAndSemicolonSeparatedFiles() throws IOException {
        Dataset t = CsvReader.read(file("t.tsv", "a\tb\tClass\n1\t2.5\t0\n3\t\t1\n".replace("\t\t1", "\t4\t1")),
                CsvOptions.defaults());
        assertEquals(List.of("a", "b"), t.featureNames());
        assertEquals(4f, t.get(1, 1));
        Dataset sc = CsvReader.read(file("s.csv", "a;b;Class\n1;2,5;0\n".replace("2,5", "2.5")), CsvOptions.defaults());
        assertEquals(2.5f, sc.get(0, 1));
        assertEquals("bad.csv:2:2 (column b): empty value", error("a\tb\n1\t\n", CsvOptions.defaults()));
    }

    @Test
    void theNormalValueIsInferredWhereItIsClear() throws IOException {
        CsvOptions label = new CsvOptions("y", null, null, List.of(), true);
        // a word that means normal
        Dataset d = CsvReader.read(file("w.csv", "x,y\n1,o\n2,n\n3,n\n4,o\n5,o\n"), label);
        assertEquals("n", d.labels().normalValue());
        assertEquals(3, d.anomalies());
        d = CsvReader.read(file("b.csv", "x,y\n1,True\n2,False\n3,False\n"), label);
        assertEquals("False", d.labels().normalValue());
        // otherwise the majority: anomalies are the minority
        d = CsvReader.read(file("m.csv", "x,y\n1,1\n2,-1\n3,1\n4,1\n"), label);
        assertEquals("1", d.labels().normalValue());
        assertEquals(1, d.anomalies());
    }

    @Test
    void numericLabelSpellingsAreOneValue() throws IOException {
        Dataset d = CsvReader.read(file("n.csv", "x,Class\n1,0\n2,1.0\n3,0.0\n4,1\n"), CsvOptions.defaults());
        assertEquals(2, d.anomalies());
    }

    @Test
    void errorsNameFileLineAndColumn() throws IOException {
        CsvOptions o = CsvOptions.defaults();
        assertEquals("bad.csv:3:2 (column b): not a number: \"x1\"", error("a,b\n1,2\n3,x1\n", o));
        assertEquals("bad.csv:2:1 (column a): NaN and infinity are not allowed: \"NaN\"", error("a,b\nNaN,2\n", o));
        assertEquals("bad.csv:2:2 (column b): NaN and infinity are not allowed: \"-inf\"", error("a,b\n1,-inf\n", o));
        assertEquals("bad.csv:2:2 (column b): empty value", error("a,b\n1,\n", o));
        assertEquals("bad.csv:2:2 (column b): out of float32 range: \"1e39\"", error("a,b\n1,1e39\n", o));
        assertEquals("bad.csv:3: expected 2 fields as in the header, found 3", error("a,b\n1,2\n1,2,3\n", o));
        assertEquals("bad.csv:2: expected 2 fields as in the header, found 1", error("a,b\n1\n", o));
        assertEquals("bad.csv: empty file (a header row is required)", error("", o));
        assertEquals("bad.csv: no data rows after the header", error("a,b\n\n", o));
        assertEquals("bad.csv:1:2 (column a): duplicate column name in the header", error("a,a\n1,2\n", o));
        assertEquals("bad.csv:1: no label column 'y' (columns: a, b)", error("a,b\n1,2\n",
                new CsvOptions("y", null, null, List.of(), true)));
        assertEquals("bad.csv:1: no label column 'Class'; name the label column with --label",
                error("a,b\n1,2\n", new CsvOptions(null, null, null, List.of(), true)));
        assertTrue(error("a,Class\n1,0\n2,1\n3,2\n", o).startsWith(
                "bad.csv:4:2 (column Class): label value \"2\" is neither the normal value nor the anomaly value"));
        assertEquals("bad.csv: the normal value \"7\" never occurs in label column Class (values: 0, 1)",
                error("a,Class\n1,0\n2,1\n", new CsvOptions(null, "7", null, List.of(), false)));
        assertEquals("bad.csv:2:1 (column #1): unterminated quoted field", error("a,b\n\"1,2\n", o));
    }

    @Test
    void missingAndMisnamedFiles() throws IOException {
        ReconException e = assertThrows(ReconException.class,
                () -> CsvReader.read(dir.resolve("nope.csv"), CsvOptions.defaults()));
        assertTrue(e.getMessage().endsWith("nope.csv: no such file"));
        Path fake = file("fake.csv.gz", "a,b\n1,2\n");
        e = assertThrows(ReconException.class, () -> CsvReader.read(fake, CsvOptions.defaults()));
        assertTrue(e.getMessage().endsWith("fake.csv.gz: not a gzip file, though its name ends in .gz"), e.getMessage());
    }

    /** A missing label value is an error at its place, never a class of its own. */
    @Test
    void anEmptyLabelValueIsAnError() throws IOException {
        assertEquals("bad.csv:3:3 (column Class): empty label value",
                error("a,b,Class\n1,2,0\n1,2,\n1,2,1\n", CsvOptions.defaults()));
        assertEquals("bad.csv:2:3 (column Class): empty label value",
                error("a,b,Class\n1,2, \n1,2,1\n", CsvOptions.defaults()));
    }

    /** A column named like a label is taken as the label, not silently used as a feature. */
    @Test
    void aColumnNamedLikeALabelIsTheLabel() throws IOException {
        Dataset d = CsvReader.read(file("t.csv", "x,Is_Anomaly,y\n1,0,2\n3,1,4\n5,0,6\n"), CsvOptions.defaults());
        assertEquals(List.of("x", "y"), d.featureNames());
        assertEquals("Is_Anomaly", d.labels().column());
        assertEquals(1, d.anomalies());
        // --no-label: every column a feature
        Dataset f = CsvReader.read(file("t.csv", "x,label,y\n1,0,2\n3,1,4\n"), CsvOptions.featuresOnly(List.of()));
        assertEquals(List.of("x", "label", "y"), f.featureNames());
        // an excluded column is not taken as the label
        Dataset e = CsvReader.read(file("t.csv", "x,target,y\n1,0,2\n3,1,4\n"),
                new CsvOptions(null, null, null, List.of("target"), false));
        assertEquals(null, e.labels());
        assertEquals(List.of("x", "y"), e.featureNames());
        // one that holds a third value gets a hint, not a silent feature
        assertEquals("bad.csv:4:2 (column target): column target was taken as the label by its name, but holds a third "
                + "value \"2.5\" (seen: 0, 1); pass --no-label if it is a feature, or --label NAME",
                error("x,target\n1,0\n2,1\n3,2.5\n", CsvOptions.defaults()));
    }
}
