package dev.recon.report;

import dev.recon.data.ImageShape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Image rows drawn as a grid of tiles: values in [0, 1] as grayscale or RGB, or per-pixel errors
 * as a heat map (black through red to yellow), each pixel drawn as a {@code scale}-by-{@code scale}
 * block so that 28-pixel images stay visible, tiles one pixel apart on white.
 */
public final class ImageGrid {
    private ImageGrid() {
    }

    /** The tiles in rows of {@code columns}; each tile is one image row (shape.pixels() values in [0, 1]). */
    public static BufferedImage grid(List<float[]> tiles, ImageShape shape, int columns, int scale, boolean heat,
                                     float heatMax) {
        int cols = Math.max(1, Math.min(columns, tiles.size()));
        int rows = (tiles.size() + cols - 1) / cols;
        int tw = shape.width() * scale;
        int th = shape.height() * scale;
        BufferedImage img = new BufferedImage(cols * (tw + 1) + 1, rows * (th + 1) + 1, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, 0xffffff);
            }
        }
        for (int t = 0; t < tiles.size(); t++) {
            float[] v = tiles.get(t);
            int ox = 1 + (t % cols) * (tw + 1);
            int oy = 1 + (t / cols) * (th + 1);
            for (int py = 0; py < shape.height(); py++) {
                for (int px = 0; px < shape.width(); px++) {
                    int rgb = heat ? heat(pixelMean(v, shape, py, px) / heatMax) : colour(v, shape, py, px);
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(ox + px * scale + dx, oy + py * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        return img;
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, Math.round((Float.isNaN(v) ? 0f : v) * 255f)));
    }

    private static int colour(float[] v, ImageShape shape, int py, int px) {
        int o = (py * shape.width() + px) * shape.channels();
        if (shape.channels() == 1) {
            int g = level(v[o]);
            return (g << 16) | (g << 8) | g;
        }
        return (level(v[o]) << 16) | (level(v[o + 1]) << 8) | level(v[o + 2]);
    }

    private static float pixelMean(float[] v, ImageShape shape, int py, int px) {
        int o = (py * shape.width() + px) * shape.channels();
        float s = 0;
        for (int c = 0; c < shape.channels(); c++) {
            s += v[o + c];
        }
        return s / shape.channels();
    }

    /** 0 black, 0.5 red, 1 yellow: errors read at a glance. */
    private static int heat(float t) {
        float u = Float.isNaN(t) ? 1f : Math.max(0f, Math.min(1f, t));
        int r = level(Math.min(1f, 2 * u));
        int g = level(Math.max(0f, 2 * u - 1));
        return (r << 16) | (g << 8);
    }

    /** As a data URI for an {@code <img>} in the one-file report. */
    public static String dataUri(BufferedImage img) {
        return "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png(img));
    }

    public static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
