package dev.recon.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.SyntheticData;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.model.DetectorKind;
import dev.recon.score.Detector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** recon spark score|train in the tests' local[2] session: the files they write, and bad input in one line with exit 2. */
class SparkMainTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SparkMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path csv(dev.recon.data.Dataset ds) throws Exception {
        Path f = tmp.resolve("data.csv");
        LocalSpark.frame(ds, 1).coalesce(1).write().option("header", "true").csv(tmp.resolve("csv").toString());
        try (var files = Files.list(tmp.resolve("csv"))) {
            Files.copy(files.filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow(), f);
        }
        return f;
    }

    @Test
    void trainThenScoreWriteABundleAndParquetThatMatchTheDetector() throws Exception {
        LocalSpark.session();
        dev.recon.data.Dataset ds = SyntheticData.generate(5, 3000, 60, 4);
        Path data = csv(ds);
        Run train = run("train", "--data", data.toString(), "--label", "label", "--detector", "ae", "--epochs", "3",
                "--partitions", "2",
                "--out", tmp.resolve("model").toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("\"rows\":3000,\"partitions\":2,\"epochs\":3,"), train.out());
        Bundle b = BundleFormat.read(tmp.resolve("model"));
        assertEquals(DetectorKind.AE, b.detector());
        assertEquals(List.of("f1", "f2", "f3", "f4", "f5"), b.featureNames());
        assertTrue(Files.isDirectory(tmp.resolve("model/spark-model")));

        Run score = run("score", "--model", tmp.resolve("model").toString(), "--data", data.toString(), "--out",
                tmp.resolve("scores.parquet").toString(), "--explain", "2");
        assertEquals(0, score.code(), score.err());
        assertTrue(score.out().startsWith("scored 3000 rows in "), score.out());
        List<Row> rows = LocalSpark.session().read().parquet(tmp.resolve("scores.parquet").toString()).collectAsList();
        assertEquals(3000, rows.size());
        try (CpuBackend be = new CpuBackend(1); Detector det = Detector.of(b, be)) {
            for (Row r : rows.subList(0, 100)) {
                float[] x = new float[5];
                for (int j = 0; j < 5; j++) {
                    x[j] = (float) r.getDouble(j);
                }
                double want = det.errors(x, 1)[0];
                assertEquals(want, r.getDouble(r.fieldIndex("recon_error")), 1e-6 * want);
                assertEquals(2, r.getList(r.fieldIndex("recon_top_features")).size());
            }
        }

        Run again = run("score", "--model", tmp.resolve("model").toString(), "--data", data.toString(), "--out",
                tmp.resolve("scores.parquet").toString());
        assertEquals(2, again.code());
        assertOneLine(again.err(), "recon spark score: ");
        assertTrue(again.err().contains("already exists"), again.err());
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        LocalSpark.session();
        Path data = csv(SyntheticData.generate(3, 500, 10, 2));
        Run missingModel = run("score", "--model", tmp.resolve("none.recon").toString(), "--data", data.toString(),
                "--out", tmp.resolve("o").toString());
        assertEquals(2, missingModel.code());
        assertOneLine(missingModel.err(), "recon spark score: ");
        assertTrue(missingModel.err().contains("none.recon"), missingModel.err());

        Run noInput = run("train", "--data", tmp.resolve("no.parquet").toString(), "--out", tmp.resolve("m").toString());
        assertEquals("recon spark train: --data " + tmp.resolve("no.parquet") + ": no such file or folder\n", noInput.err());

        Run noColumn = run("train", "--data", data.toString(), "--features", "f1,zz", "--out", tmp.resolve("m").toString());
        assertEquals(2, noColumn.code());
        assertEquals("recon spark train: no column 'zz' (inputCols) among [f1, f2, f3, label]\n", noColumn.err());
        assertFalse(Files.exists(tmp.resolve("m")), "nothing written");
    }

    private static void assertOneLine(String err, String prefix) {
        assertTrue(err.startsWith(prefix), err);
        assertEquals(1, err.lines().count(), err);
    }
}
