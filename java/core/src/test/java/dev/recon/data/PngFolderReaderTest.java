package dev.recon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.ReconException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders of PNG images: class subfolders, grayscale and RGB, one size, and clear errors. */
class PngFolderReaderTest {
    @TempDir
    Path dir;

    private void gray(Path file, int w, int h, int value) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (value + x + 10 * y) & 0xff);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private void rgb(Path file, int w, int h, int r, int g, int b) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void classSubfoldersLabelTheImages() throws IOException {
        gray(dir.resolve("good/a.png"), 3, 2, 0);
        gray(dir.resolve("good/b.png"), 3, 2, 100);
        gray(dir.resolve("scratched/c.png"), 3, 2, 200);
        Files.writeString(dir.resolve("good/notes.txt"), "not an image");
        Dataset d = PngFolderReader.read(dir, "good");
        assertEquals(3, d.rows());
        assertEquals(new ImageShape(2, 3, 1), d.image());
        assertEquals(12 / 255f, d.get(0, 5), "row 1, column 2 of a.png: 0 + 2 + 10");
        assertEquals(100 / 255f, d.get(1, 0));
        assertArrayEquals(new boolean[] {false, false, true}, d.gatherLabels(d.allRows()));
        assertFalse(PngFolderReader.read(dir, null).hasLabels());
    }

    @Test
    void grayscaleBesideRgbBecomesThreeChannels() throws IOException {
        rgb(dir.resolve("a.png"), 2, 2, 255, 0, 51);
        gray(dir.resolve("b.png"), 2, 2, 0);
        Dataset d = PngFolderReader.read(dir, null);
        assertEquals(new ImageShape(2, 2, 3), d.image());
        assertEquals("px0_r", d.featureNames().get(0));
        assertEquals(1f, d.get(0, 0));
        assertEquals(0f, d.get(0, 1));
        assertEquals(0.2f, d.get(0, 2), 1e-7);
        assertEquals(d.get(1, 3), d.get(1, 4), "grayscale repeated into every channel");
        assertEquals(1 / 255f, d.get(1, 3));
    }

    /** Palette PNGs (as many tools write small images) hold indices: their colours are what count. */
    @Test
    void palettePngsAreReadThroughTheirColours() throws IOException {
        byte[] r = {0, (byte) 200, 10};
        byte[] g = {0, (byte) 200, 20};
        byte[] b = {0, (byte) 200, 30};
        java.awt.image.IndexColorModel grey = new java.awt.image.IndexColorModel(2, 3, r, r, r);
        java.awt.image.IndexColorModel colour = new java.awt.image.IndexColorModel(2, 3, r, g, b);
        for (java.awt.image.IndexColorModel cm : new java.awt.image.IndexColorModel[] {grey, colour}) {
            Path sub = dir.resolve(cm == grey ? "grey" : "colour");
            BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, cm);
            img.getRaster().setSample(0, 0, 0, 1);
            img.getRaster().setSample(1, 0, 0, 2);
            Files.createDirectories(sub);
            ImageIO.write(img, "png", sub.resolve("a.png").toFile());
            Dataset d = PngFolderReader.read(sub, null);
            if (cm == grey) {
                assertEquals(new ImageShape(1, 2, 1), d.image());
                assertEquals(200 / 255f, d.get(0, 0), 1e-6);
                assertEquals(10 / 255f, d.get(0, 1), 1e-6);
            } else {
                assertEquals(new ImageShape(1, 2, 3), d.image());
                assertEquals(10 / 255f, d.get(0, 3), 1e-6);
                assertEquals(30 / 255f, d.get(0, 5), 1e-6);
            }
        }
    }

    private String error(String normal) {
        ReconException e = assertThrows(ReconException.class, () -> PngFolderReader.read(dir, normal));
        assertTrue(e.badInput());
        return e.getMessage().replace(dir + "/", "").replace(dir.toString(), "DIR");
    }

    @Test
    void badFoldersAreRefusedByName() throws IOException {
        assertEquals("DIR: no .png files in the folder or its subfolders", error(null));
        gray(dir.resolve("good/a.png"), 3, 2, 0);
        gray(dir.resolve("good/b.png"), 4, 2, 0);
        assertEquals("good/b.png: 4x2 pixels; the images before it are 3x2 (one size for all, please resize)",
                error(null));
        Files.delete(dir.resolve("good/b.png"));
        Files.writeString(dir.resolve("good/c.png"), "not a png");
        assertTrue(error(null).startsWith("good/c.png: not a readable PNG image"), error(null));
        Files.delete(dir.resolve("good/c.png"));
        assertEquals("--normal-class bad: DIR has no subfolder of that name (it has [good])", error("bad"));
        gray(dir.resolve("loose.png"), 3, 2, 0);
        assertEquals("loose.png: an image outside the class subfolders; with --normal-class every image must be in one",
                error("good"));
    }
}
