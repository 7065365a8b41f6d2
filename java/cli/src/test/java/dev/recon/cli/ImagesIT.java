package dev.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images through the real CLI: IDX files with --labels and --normal-class (train, evaluate,
 * score, report, sample), a folder of PNGs, and the one-line errors of bad image input.
 * Class 1 is a bright bar across the middle of an 8x8 image, class 2 a bright column: trained on
 * class 1, the model must rank class 2 as anomalous.
 */
class ImagesIT {
    @TempDir
    static Path dir;
    static final ObjectMapper JSON = new ObjectMapper();

    static byte[] image(Random r, int cls) {
        byte[] px = new byte[64];
        for (int i = 0; i < 64; i++) {
            int y = i / 8;
            int x = i % 8;
            boolean on = cls == 1 ? y == 3 || y == 4 : x == 3 || x == 4;
            px[i] = (byte) Math.max(0, Math.min(255, (on ? 220 : 20) + r.nextInt(30) - 15));
        }
        return px;
    }

    static void idx(Path images, Path labels, int n, long seed) throws IOException {
        Random r = new Random(seed);
        ByteArrayOutputStream ib = new ByteArrayOutputStream();
        ByteArrayOutputStream lb = new ByteArrayOutputStream();
        DataOutputStream io = new DataOutputStream(ib);
        DataOutputStream lo = new DataOutputStream(lb);
        io.writeInt(2051);
        io.writeInt(n);
        io.writeInt(8);
        io.writeInt(8);
        lo.writeInt(2049);
        lo.writeInt(n);
        for (int i = 0; i < n; i++) {
            int cls = i % 5 == 0 ? 2 : 1;
            io.write(image(r, cls));
            lo.write(cls);
        }
        try (var out = new GZIPOutputStream(Files.newOutputStream(images))) {
            out.write(ib.toByteArray());
        }
        Files.write(labels, lb.toByteArray());
    }

    @BeforeAll
    static void data() throws IOException {
        idx(dir.resolve("train-images.gz"), dir.resolve("train-labels"), 600, 1);
        idx(dir.resolve("test-images.gz"), dir.resolve("test-labels"), 200, 2);
        Random r = new Random(3);
        for (int cls = 1; cls <= 2; cls++) {
            Path sub = Files.createDirectories(dir.resolve("png/" + (cls == 1 ? "good" : "defect")));
            for (int i = 0; i < (cls == 1 ? 150 : 20); i++) {
                byte[] px = image(r, cls);
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                for (int p = 0; p < 64; p++) {
                    img.getRaster().setSample(p % 8, p / 8, 0, px[p] & 0xff);
                }
                ImageIO.write(img, "png", sub.resolve(String.format("%03d.png", i)).toFile());
            }
        }
    }

    private static JsonNode json(Cli.Run r) throws IOException {
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void idxTrainEvaluateScoreReportAndSample() throws Exception {
        for (String kind : new String[] {"ae", "vae"}) {
            Path model = dir.resolve("model-" + kind);
            JsonNode t = json(Cli.run(dir, dir, "train", "--data", "train-images.gz", "--labels", "train-labels",
                    "--normal-class", "1", "--kind", kind, "--epochs", "15", "--out", model.toString(), "--json",
                    "--quiet", "--baseline", "none"));
            assertTrue(t.path("architecture").asText().contains("sigmoid output, bce"), t.toString());
            JsonNode e = json(Cli.run(dir, dir, "evaluate", "--model", model.toString(), "--data", "test-images.gz",
                    "--labels", "test-labels", "--normal-class", "1", "--out", dir.resolve("eval-" + kind).toString(),
                    "--json", "--baseline", "none"));
            assertEquals(200, e.path("rows").asInt());
            assertEquals(40, e.path("anomalies").asInt());
            assertTrue(e.path("roc_auc").asDouble() > 0.95, kind + ": bars versus columns " + e);
            String html = Files.readString(dir.resolve("eval-" + kind).resolve("report.html"));
            assertTrue(html.contains("id=\"images\"") && html.contains("Most anomalous"), "the images section");
            assertEquals(kind.equals("vae"), html.contains("<h3>Samples</h3>"), "samples for the VAE only");
            Cli.Run s = Cli.run(dir, dir, "score", "--model", model.toString(), "--data", "test-images.gz");
            assertEquals(0, s.code(), s.err());
            assertEquals(201, s.out().split("\n").length, "a header and a line per image");
            Cli.Run rep = Cli.run(dir, dir, "report", "--model", model.toString(), "--data", "test-images.gz", "--out",
                    dir.resolve("report-" + kind).toString());
            assertEquals(0, rep.code(), rep.err());
            assertTrue(Files.readString(dir.resolve("report-" + kind).resolve("report.html")).contains("id=\"images\""));
        }
        assertTrue(error("evaluate", "--model", "model-ae", "--data", "test-images.gz", "--out", "x")
                .contains("this command needs labels"));
        Cli.Run sample = Cli.run(dir, dir, "sample", "--model", dir.resolve("model-vae").toString(), "--n", "16",
                "--out", "grid.png");
        assertEquals(0, sample.code(), sample.err());
        BufferedImage grid = ImageIO.read(dir.resolve("grid.png").toFile());
        assertEquals(4 * (8 * 3 + 1) + 1, grid.getWidth(), "4 by 4 tiles of 8 pixels at scale 3, 1-pixel gaps");
        Cli.Run again = Cli.run(dir, dir, "sample", "--model", dir.resolve("model-vae").toString(), "--n", "16",
                "--out", "grid2.png");
        assertEquals(0, again.code());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("grid.png")),
                Files.readAllBytes(dir.resolve("grid2.png"))), "seeded: the same grid");
        Cli.Run csv = Cli.run(dir, dir, "sample", "--model", dir.resolve("model-vae").toString(), "--n", "5",
                "--out", "samples.csv");
        assertEquals(0, csv.code(), csv.err());
        assertEquals(6, Files.readAllLines(dir.resolve("samples.csv")).size());
    }

    @Test
    void aFolderOfPngsTrainsWithItsSubfoldersAsClasses() throws Exception {
        Path model = dir.resolve("model-png");
        JsonNode t = json(Cli.run(dir, dir, "train", "--data", "png", "--normal-class", "good", "--epochs", "15",
                "--out", model.toString(), "--json", "--quiet", "--baseline", "none"));
        assertTrue(t.path("roc_auc").asDouble() > 0.95, t.toString());
    }

    private static String error(String... args) throws Exception {
        Cli.Run r = Cli.run(dir, dir, args);
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        return r.err().trim();
    }

    @Test
    void badImageInputGetsOneLineNamingTheFileOrOption() throws Exception {
        Files.write(dir.resolve("short-images"), java.util.Arrays.copyOf(
                new java.util.zip.GZIPInputStream(Files.newInputStream(dir.resolve("train-images.gz"))).readAllBytes(), 400));
        assertTrue(error("train", "--data", "short-images", "--out", "x").contains(
                "short-images: truncated: the header says 600 images of 8x8"));
        assertTrue(error("train", "--data", "train-images.gz", "--labels", "train-labels", "--normal-class", "7",
                "--out", "x").contains("--normal-class 7: "));
        assertTrue(error("train", "--data", "train-images.gz", "--labels", "test-labels", "--normal-class", "1",
                "--out", "x").contains("200 labels for the 600 images"));
        assertTrue(error("train", "--data", "png", "--normal-class", "scratched", "--out", "x")
                .contains("has no subfolder of that name (it has [defect, good])"));
        Files.writeString(dir.resolve("table.csv"), "a,b,Class\n1,2,0\n3,4,1\n");
        assertTrue(error("train", "--data", "table.csv", "--labels", "train-labels", "--out", "x")
                .contains("--labels is for image data"));
        assertTrue(error("train", "--data", "train-images.gz", "--labels", "train-labels", "--normal-class", "1",
                "--loss", "bce", "--output", "identity", "--out", "x").contains("--loss bce needs --output sigmoid"));
        StringBuilder wide = new StringBuilder("a,b\n");
        for (int i = 0; i < 60; i++) {
            wide.append(i % 7).append(',').append(i % 3).append('\n');
        }
        Files.writeString(dir.resolve("wide.csv"), wide.toString());
        assertTrue(error("train", "--data", "wide.csv", "--loss", "bce", "--out", "x")
                .contains("wide.csv: --output sigmoid (and --loss bce) needs every value in [0, 1]"));
    }
}
