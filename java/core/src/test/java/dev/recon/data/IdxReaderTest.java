package dev.recon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.recon.ReconException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX images and labels, gzip or plain, and a clear one-line error for each way a file can be wrong. */
class IdxReaderTest {
    @TempDir
    Path dir;

    private static byte[] idx(int magic, int[] dims, byte[] body) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        for (int v : dims) {
            out.writeInt(v);
        }
        out.write(body);
        return b.toByteArray();
    }

    private Path write(String name, byte[] bytes, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(bytes);
        }
        return p;
    }

    /** Three 2x3 images, classes 5, 7, 5. */
    private Path[] small(boolean gzip) throws IOException {
        byte[] px = new byte[18];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 15);
        }
        px[17] = (byte) 255;
        return new Path[] {write("img" + gzip, idx(2051, new int[] {3, 2, 3}, px), gzip),
            write("lab" + gzip, idx(2049, new int[] {3}, new byte[] {5, 7, 5}), gzip)};
    }

    @Test
    void readsPlainAndGzipAlike() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Path[] f = small(gzip);
            assertTrue(IdxReader.isIdxImages(f[0]));
            assertFalse(IdxReader.isIdxImages(f[1]));
            Dataset d = IdxReader.read(f[0], f[1], "7");
            assertEquals(3, d.rows());
            assertEquals(6, d.features());
            assertEquals(new ImageShape(2, 3, 1), d.image());
            assertEquals("px0", d.featureNames().get(0));
            assertEquals(15 / 255f, d.get(0, 1));
            assertEquals(1f, d.get(2, 5));
            assertArrayEquals(new boolean[] {true, false, true}, d.gatherLabels(d.allRows()));
            assertEquals("7", d.labels().normalValue());
            Dataset unlabelled = IdxReader.read(f[0], null, null);
            assertFalse(unlabelled.hasLabels());
        }
    }

    private String error(Path images, Path labels, String normal) {
        ReconException e = assertThrows(ReconException.class, () -> IdxReader.read(images, labels, normal));
        assertTrue(e.badInput());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage().replace(dir + "/", "");
    }

    @Test
    void wrongFilesAreRefusedByName() throws IOException {
        Path[] f = small(true);
        assertEquals("labtrue: not an IDX image file (magic number 0x00000801, expected 0x00000803, which is a "
                + "label file's)", error(f[1], null, null));
        assertEquals("imgtrue: not an IDX label file (magic number 0x00000803, expected 0x00000801, which is an "
                + "image file's)", error(f[0], f[0], "5"));
        Path truncated = write("short", idx(2051, new int[] {3, 2, 3}, new byte[10]), false);
        assertEquals("short: truncated: the header says 3 images of 2x3 (18 bytes of pixels) but the file holds 10",
                error(truncated, null, null));
        Path fewLabels = write("few", idx(2049, new int[] {2}, new byte[] {5, 7}), true);
        assertEquals("few: 2 labels for the 3 images of imgtrue", error(f[0], fewLabels, "5"));
        Path shortLabels = write("shortlab", idx(2049, new int[] {3}, new byte[] {5}), false);
        assertEquals("shortlab: truncated: the header says 3 labels but the file holds 1", error(f[0], shortLabels, "5"));
        assertEquals("--labels needs --normal-class: which class is normal (labtrue holds [5, 7])", error(f[0], f[1], null));
        assertEquals("--normal-class 3: labtrue has no such class (it holds [5, 7])", error(f[0], f[1], "3"));
        assertEquals("--normal-class: expected a class number, got 'shoe' (labtrue holds [5, 7])",
                error(f[0], f[1], "shoe"));
        assertEquals("--normal-class needs the labels: pass the label file with --labels", error(f[0], null, "5"));
        Path header = write("header", new byte[] {0, 0, 8, 3, 0, 0}, false);
        assertEquals("header: truncated IDX header (no image count)", error(header, null, null));
        Path corrupt = write("corrupt", new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}, false);
        assertTrue(error(corrupt, null, null).startsWith("corrupt: cannot read: "));
        assertTrue(error(dir.resolve("none"), null, null).endsWith("none: no such file"));
    }

    /** The MNIST test set in ../shared, against the facts its README states. */
    @Test
    void theMnistTestSetHasTheCountsItsReadmeStates() {
        Path mnist = Path.of(System.getProperty("basedir", "."), "../../../shared/data/mnist").normalize();
        if ("1".equals(System.getenv("RECON_REQUIRE_DATA"))) {
            assertTrue(Files.isDirectory(mnist), "the MNIST test set is missing: " + mnist);
        }
        assumeTrue(Files.isDirectory(mnist), "the MNIST test set is not beside this checkout");
        Dataset d = IdxReader.read(mnist.resolve("t10k-images-idx3-ubyte.gz"), mnist.resolve("t10k-labels-idx1-ubyte.gz"),
                "7");
        assertEquals(10_000, d.rows());
        assertEquals(new ImageShape(28, 28, 1), d.image());
        assertEquals(10_000 - 1028, d.anomalies(), "1,028 sevens");
        double sum = 0;
        for (float v : d.values()) {
            sum += v;
        }
        assertEquals(33.7912, sum / d.values().length * 255, 1e-3, "mean pixel value");
        assertFalse(d.isAnomaly(0), "the first test image is a 7");
        assertTrue(d.isAnomaly(1));
        assertNull(IdxReader.read(mnist.resolve("t10k-images-idx3-ubyte.gz"), null, null).labels());
    }
}
