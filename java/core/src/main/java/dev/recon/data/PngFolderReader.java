package dev.recon.data;

import dev.recon.ReconException;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of PNG images, such as a user's product photos: either the images themselves, or
 * one subfolder per class ({@code good/}, {@code scratched/}, ...), the class being the
 * subfolder's name. Every image must have one size; grayscale and RGB may mix (grayscale images
 * are then repeated into three channels). Values are in [0, 1]; an alpha channel is ignored.
 * Files are read in name order, classes in name order, so the rows' order is fixed.
 */
public final class PngFolderReader {
    private PngFolderReader() {
    }

    /** The images under {@code dir}; with {@code normalClass}, images of every other class are anomalies. */
    public static Dataset read(Path dir, String normalClass) {
        List<Path> files = new ArrayList<>();
        List<String> classOf = new ArrayList<>();
        TreeSet<String> classes = new TreeSet<>();
        try (Stream<Path> top = Files.list(dir)) {
            for (Path p : top.sorted().toList()) {
                if (Files.isDirectory(p)) {
                    String c = p.getFileName().toString();
                    try (Stream<Path> in = Files.list(p)) {
                        for (Path f : in.filter(PngFolderReader::isPng).sorted().toList()) {
                            files.add(f);
                            classOf.add(c);
                            classes.add(c);
                        }
                    }
                } else if (isPng(p)) {
                    files.add(p);
                    classOf.add(null);
                }
            }
        } catch (IOException e) {
            throw ReconException.input(dir + ": cannot list the folder: " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw ReconException.input(dir + ": no .png files in the folder or its subfolders");
        }
        List<Raster> rasters = new ArrayList<>(files.size());
        List<Integer> depth = new ArrayList<>(files.size());
        int channels = 1;
        int height = -1;
        int width = -1;
        for (Path f : files) {
            BufferedImage img;
            try {
                img = ImageIO.read(f.toFile());
            } catch (IOException | RuntimeException e) {
                throw ReconException.input(f + ": not a readable PNG image (" + e.getMessage() + ")");
            }
            if (img == null) {
                throw ReconException.input(f + ": not a readable PNG image");
            }
            if (height < 0) {
                height = img.getHeight();
                width = img.getWidth();
            } else if (img.getHeight() != height || img.getWidth() != width) {
                throw ReconException.input(f + ": " + img.getWidth() + "x" + img.getHeight() + " pixels; the images "
                        + "before it are " + width + "x" + height + " (one size for all, please resize)");
            }
            // palette (indexed) images hold indices, not values: they are read through their colour
            // model as 8-bit RGB
            boolean plain = !(img.getColorModel() instanceof java.awt.image.IndexColorModel);
            // one or two bands (grey, grey + alpha) are grey; three or four (RGB, RGBA) colour
            int colour = plain ? (img.getRaster().getNumBands() <= 2 ? 1 : 3) : grayPalette(img) ? 1 : 3;
            if (!plain) {
                BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
                rgb.getGraphics().drawImage(img, 0, 0, null);
                img = rgb;
            }
            channels = Math.max(channels, colour);
            rasters.add(img.getRaster());
            depth.add(colour);
        }
        ImageShape shape = new ImageShape(height, width, channels);
        int d = shape.pixels();
        if ((long) d * files.size() > Integer.MAX_VALUE - 64) {
            throw ReconException.input(dir + ": " + files.size() + " images of " + shape + " are too many values for "
                    + "one data set (2^31 at most)");
        }
        float[] x = new float[d * files.size()];
        for (int i = 0; i < files.size(); i++) {
            Raster r = rasters.get(i);
            int own = depth.get(i);
            float max = (1 << r.getSampleModel().getSampleSize(0)) - 1;
            int o = i * d;
            for (int y = 0; y < height; y++) {
                for (int xx = 0; xx < width; xx++) {
                    for (int c = 0; c < channels; c++) {
                        x[o++] = r.getSample(xx, y, own == 1 ? 0 : c) / max;
                    }
                }
            }
        }
        boolean[] anomaly = null;
        Dataset.Labels labels = null;
        if (normalClass != null) {
            if (!classes.contains(normalClass)) {
                throw ReconException.input("--normal-class " + normalClass + ": " + dir + " has no subfolder of that "
                        + "name" + (classes.isEmpty() ? " (its images are not in class subfolders)" : " (it has "
                        + classes + ")"));
            }
            anomaly = new boolean[files.size()];
            for (int i = 0; i < files.size(); i++) {
                if (classOf.get(i) == null) {
                    throw ReconException.input(files.get(i) + ": an image outside the class subfolders; with "
                            + "--normal-class every image must be in one");
                }
                anomaly[i] = !classOf.get(i).equals(normalClass);
            }
            labels = new Dataset.Labels("class", normalClass, "any other class");
        }
        return new Dataset(dir.toString(), shape.featureNames(), x, files.size(), anomaly, labels, false).withImage(shape);
    }

    /** True where every colour of an indexed image's palette is a grey. */
    private static boolean grayPalette(BufferedImage img) {
        if (!(img.getColorModel() instanceof java.awt.image.IndexColorModel icm)) {
            return false;
        }
        for (int i = 0; i < icm.getMapSize(); i++) {
            if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPng(Path p) {
        return Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png");
    }
}
