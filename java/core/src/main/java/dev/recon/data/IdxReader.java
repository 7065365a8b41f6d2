package dev.recon.data;

import dev.recon.ReconException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * IDX files, the format of MNIST and Fashion-MNIST, gzip-compressed or plain: an image file
 * (magic 2051: count, rows, columns, then one unsigned byte per pixel) and optionally its label
 * file (magic 2049: count, then one byte per label). Every number is big-endian. Pixels become
 * values in [0, 1] (byte / 255); with a normal class, rows of every other class are anomalies.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** True where {@code file} starts (after gzip, if compressed) with the IDX image magic number. */
    public static boolean isIdxImages(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (DataInputStream in = open(file)) {
            return in.readInt() == IMAGES_MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The images of {@code images}, labelled from {@code labels} when it is not null: class
     * {@code normalClass} normal, every other class an anomaly.
     */
    public static Dataset read(Path images, Path labels, String normalClass) {
        byte[] pixels;
        int count;
        int height;
        int width;
        try (DataInputStream in = open(images)) {
            int magic = readHeaderInt(in, images, "magic number");
            if (magic != IMAGES_MAGIC) {
                throw ReconException.input(images + ": not an IDX image file (magic number " + hex(magic)
                        + ", expected " + hex(IMAGES_MAGIC) + (magic == LABELS_MAGIC ? ", which is a label file's" : "")
                        + ")");
            }
            count = readHeaderInt(in, images, "image count");
            height = readHeaderInt(in, images, "row count");
            width = readHeaderInt(in, images, "column count");
            if (count < 1 || height < 1 || width < 1) {
                throw ReconException.input(images + ": IDX header says " + count + " images of " + height + "x" + width);
            }
            long bytes = (long) count * height * width;
            if (bytes > Integer.MAX_VALUE - 64) {
                throw ReconException.input(images + ": " + count + " images of " + height + "x" + width
                        + " pixels are too many for one data set (2^31 values at most)");
            }
            pixels = in.readNBytes((int) bytes);
            if (pixels.length < bytes) {
                throw ReconException.input(String.format(Locale.ROOT, "%s: truncated: the header says %,d images of "
                        + "%dx%d (%,d bytes of pixels) but the file holds %,d", images, count, height, width, bytes,
                        pixels.length));
            }
        } catch (NoSuchFileException e) {
            throw ReconException.input(images + ": no such file");
        } catch (IOException e) {
            throw ReconException.input(images + ": cannot read: " + e.getMessage());
        }
        ImageShape shape = new ImageShape(height, width, 1);
        float[] x = new float[pixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (pixels[i] & 0xff) / 255f;
        }
        boolean[] anomaly = null;
        Dataset.Labels lab = null;
        if (labels != null) {
            byte[] classes = readLabels(labels, count, images);
            int normal = parseClass(normalClass, classes, labels);
            anomaly = new boolean[count];
            for (int i = 0; i < count; i++) {
                anomaly[i] = (classes[i] & 0xff) != normal;
            }
            lab = new Dataset.Labels("class", Integer.toString(normal), "any other class");
        } else if (normalClass != null) {
            throw ReconException.input("--normal-class needs the labels: pass the label file with --labels");
        }
        return new Dataset(images.toString(), shape.featureNames(), x, count, anomaly, lab, false).withImage(shape);
    }

    private static byte[] readLabels(Path labels, int count, Path images) {
        try (DataInputStream in = open(labels)) {
            int magic = readHeaderInt(in, labels, "magic number");
            if (magic != LABELS_MAGIC) {
                throw ReconException.input(labels + ": not an IDX label file (magic number " + hex(magic) + ", expected "
                        + hex(LABELS_MAGIC) + (magic == IMAGES_MAGIC ? ", which is an image file's" : "") + ")");
            }
            int n = readHeaderInt(in, labels, "label count");
            if (n != count) {
                throw ReconException.input(String.format(Locale.ROOT, "%s: %,d labels for the %,d images of %s",
                        labels, n, count, images));
            }
            byte[] classes = in.readNBytes(n);
            if (classes.length < n) {
                throw ReconException.input(String.format(Locale.ROOT, "%s: truncated: the header says %,d labels but "
                        + "the file holds %,d", labels, n, classes.length));
            }
            return classes;
        } catch (NoSuchFileException e) {
            throw ReconException.input(labels + ": no such file");
        } catch (IOException e) {
            throw ReconException.input(labels + ": cannot read: " + e.getMessage());
        }
    }

    private static int parseClass(String normalClass, byte[] classes, Path labels) {
        TreeSet<Integer> present = new TreeSet<>();
        for (byte c : classes) {
            present.add(c & 0xff);
        }
        if (normalClass == null) {
            throw ReconException.input("--labels needs --normal-class: which class is normal (" + labels + " holds "
                    + present + ")");
        }
        int normal;
        try {
            normal = Integer.parseInt(normalClass.trim());
        } catch (NumberFormatException e) {
            throw ReconException.input("--normal-class: expected a class number, got '" + normalClass + "' ("
                    + labels + " holds " + present + ")");
        }
        if (!present.contains(normal)) {
            throw ReconException.input("--normal-class " + normal + ": " + labels + " has no such class (it holds "
                    + present + ")");
        }
        return normal;
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new DataInputStream(in);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static int readHeaderInt(DataInputStream in, Path file, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw ReconException.input(file + ": truncated IDX header (no " + what + ")");
        }
    }

    private static String hex(int v) {
        return String.format(Locale.ROOT, "0x%08x", v);
    }
}
