package dev.recon.data;

import dev.recon.ReconException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a numeric CSV file ({@code .csv}, or gzip-compressed {@code .csv.gz}) into a
 * {@link Dataset}. A header row is required; every column but the optional label column and
 * the excluded ones must hold finite numbers. Fields may be quoted. Any problem is reported as
 * {@code file:line:column (column NAME): reason}, with the column counted from 1.
 */
public final class CsvReader {
    private static final int ROLE_LABEL = -1;
    private static final int ROLE_SKIP = -2;

    private final String name;
    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private long line;
    /** The field separator: a comma, or a tab or semicolon where the header has no comma. */
    private byte delim = ',';

    private CsvReader(String name, InputStream in) {
        this.name = name;
        this.in = in;
        this.buf = new byte[1 << 22];
    }

    /** Reads the first {@code length} bytes of {@code data} in place: they are not copied, and not changed. */
    private CsvReader(String name, byte[] data, int length) {
        this.name = name;
        this.in = InputStream.nullInputStream();
        this.buf = data;
        this.lim = length;
        this.eof = true;
    }

    /** Reads CSV text held in memory (a request body, say), {@code name} standing for it in errors. */
    public static Dataset read(String name, byte[] data, int length, CsvOptions opt) {
        try {
            return new CsvReader(name, data, length).parse(opt);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // never: the bytes are all in memory
        }
    }

    /** The column names of the header row of CSV text held in memory. */
    public static List<String> header(String name, byte[] data, int length) {
        try {
            return new CsvReader(name, data, length).readHeader();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Dataset read(Path path, CsvOptions opt) {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw ReconException.input(name + ": is a directory, not a CSV file");
        }
        try (InputStream raw = Files.newInputStream(path)) {
            InputStream in = name.toLowerCase(Locale.ROOT).endsWith(".gz") ? gunzip(name, raw) : raw;
            return new CsvReader(name, in).parse(opt);
        } catch (NoSuchFileException e) {
            throw ReconException.input(name + ": no such file");
        } catch (EOFException e) {
            throw ReconException.input(name + ": the compressed data is truncated");
        } catch (ZipException e) {
            throw ReconException.input(name + ": corrupt gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw ReconException.input(name + ": cannot read: " + e.getMessage());
        }
    }

    /** The column names of a CSV file's header row. */
    public static List<String> header(Path path) {
        String name = path.toString();
        try (InputStream raw = Files.newInputStream(path)) {
            InputStream in = name.toLowerCase(Locale.ROOT).endsWith(".gz") ? gunzip(name, raw) : raw;
            return new CsvReader(name, in).readHeader();
        } catch (NoSuchFileException e) {
            throw ReconException.input(name + ": no such file");
        } catch (IOException e) {
            throw ReconException.input(name + ": cannot read: " + e.getMessage());
        }
    }

    private static InputStream gunzip(String name, InputStream raw) throws IOException {
        try {
            return new GZIPInputStream(raw, 1 << 16);
        } catch (ZipException | EOFException e) {
            throw ReconException.input(name + ": not a gzip file, though its name ends in .gz");
        }
    }

    private ReconException error(long ln, String msg) {
        return ReconException.input(name + ":" + ln + ": " + msg);
    }

    private ReconException error(long ln, int col, String colName, String msg) {
        return ReconException.input(name + ":" + ln + ":" + (col + 1) + " (column " + colName + "): " + msg);
    }

    /** Makes sure a whole line starting at pos is in the buffer; returns the index of its '\n' or lim at the end. */
    private int lineEnd() throws IOException {
        int from = pos;
        while (true) {
            for (int i = from; i < lim; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            if (eof) {
                return lim;
            }
            from = lim - pos;
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            if (lim == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                eof = true;
            } else {
                lim += n;
            }
        }
    }

    /** Splits the line [s, e) into fields: starts in fs, ends in fe; returns the count (may exceed the arrays). */
    private int split(int s, int e, int[] fs, int[] fe, long ln) {
        int count = 0;
        int p = s;
        while (true) {
            while (p < e && space(buf[p])) {
                p++;
            }
            int a;
            int z;
            int next;
            if (p < e && buf[p] == '"') {
                int q = p + 1;
                while (true) {
                    while (q < e && buf[q] != '"') {
                        q++;
                    }
                    if (q >= e) {
                        throw error(ln, count, "#" + (count + 1), "unterminated quoted field");
                    }
                    if (q + 1 < e && buf[q + 1] == '"') {
                        q += 2; // "" is an escaped quote
                        continue;
                    }
                    break;
                }
                a = p + 1;
                z = q;
                next = q + 1;
                while (next < e && space(buf[next])) {
                    next++;
                }
                if (next < e && buf[next] != delim) {
                    throw error(ln, count, "#" + (count + 1), "text after a closing quote");
                }
            } else {
                next = p;
                while (next < e && buf[next] != delim) {
                    next++;
                }
                a = p;
                z = next;
                while (z > a && space(buf[z - 1])) {
                    z--;
                }
            }
            if (count < fs.length) {
                fs[count] = a;
                fe[count] = z;
            }
            count++;
            if (next >= e) {
                return count;
            }
            p = next + 1;
        }
    }

    private String text(int a, int z) {
        return new String(buf, a, z - a, StandardCharsets.UTF_8).replace("\"\"", "\"");
    }

    /** Padding around a field: spaces, and tabs unless they separate the fields. */
    private boolean space(byte b) {
        return b == ' ' || b == '\t' && delim != '\t';
    }

    private byte detectDelimiter(int s, int e) {
        boolean tab = false;
        boolean semicolon = false;
        for (int i = s; i < e; i++) {
            if (buf[i] == ',') {
                return ',';
            }
            tab |= buf[i] == '\t';
            semicolon |= buf[i] == ';';
        }
        return tab ? (byte) '\t' : semicolon ? (byte) ';' : (byte) ',';
    }

    private List<String> readHeader() throws IOException {
        line = 1;
        int e = lineEnd();
        if (lim == 0) {
            throw ReconException.input(name + ": empty file (a header row is required)");
        }
        int s = pos;
        if (e - s >= 3 && (buf[s] & 0xFF) == 0xEF && (buf[s + 1] & 0xFF) == 0xBB && (buf[s + 2] & 0xFF) == 0xBF) {
            s += 3; // UTF-8 byte order mark
        }
        int le = e > s && buf[e - 1] == '\r' ? e - 1 : e;
        delim = detectDelimiter(s, le);
        int[] hs = new int[4096];
        int[] he = new int[4096];
        int cols = split(s, le, hs, he, 1);
        if (cols > hs.length) {
            throw error(1, "more than " + hs.length + " columns");
        }
        List<String> header = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < cols; c++) {
            String h = text(hs[c], he[c]).trim();
            if (h.isEmpty()) {
                throw error(1, c, "#" + (c + 1), "empty column name in the header");
            }
            if (!seen.add(h)) {
                throw error(1, c, h, "duplicate column name in the header");
            }
            header.add(h);
        }
        pos = Math.min(e + 1, lim);
        return header;
    }

    private Dataset parse(CsvOptions opt) throws IOException {
        List<String> header = readHeader();
        int cols = header.size();
        int e;
        int s;
        int le;

        int labelCol = opt.unlabelled() ? -1 : header.indexOf(opt.labelColumn());
        boolean inferred = false;
        if (labelCol < 0 && opt.label() == null && !opt.unlabelled()) {
            // a column named like a label is never silently used as a feature: it is taken as the label
            labelCol = LabelInference.column(header, opt.exclude());
            inferred = labelCol >= 0;
        }
        if (opt.label() != null && labelCol < 0) {
            throw error(1, "no label column '" + opt.label() + "' (columns: " + abbreviate(header) + ")");
        }
        if (opt.labelRequired() && labelCol < 0) {
            throw error(1, "no label column '" + opt.labelColumn() + "'; name the label column with --label");
        }
        int[] role = new int[cols];
        for (String x : opt.exclude()) {
            int c = header.indexOf(x);
            if (c < 0) {
                throw error(1, "no column '" + x + "' to exclude (columns: " + abbreviate(header) + ")");
            }
            role[c] = ROLE_SKIP;
        }
        List<String> features = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            if (c == labelCol) {
                if (role[c] == ROLE_SKIP) {
                    throw error(1, c, header.get(c), "the label column cannot also be excluded");
                }
                role[c] = ROLE_LABEL;
            } else if (role[c] != ROLE_SKIP) {
                role[c] = features.size();
                features.add(header.get(c));
            }
        }
        if (features.isEmpty()) {
            throw error(1, "no feature columns left (columns: " + abbreviate(header) + ")");
        }

        int d = features.size();
        float[] x = new float[d * 4096];
        byte[] labelIds = labelCol >= 0 ? new byte[4096] : null;
        LabelInference lv = labelCol >= 0 ? new LabelInference(opt, inferred ? header.get(labelCol) : null) : null;
        int rows = 0;
        int[] fs = new int[cols];
        int[] fe = new int[cols];
        while (pos < lim || !eof) {
            line++;
            e = lineEnd();
            if (pos >= lim && eof) {
                break;
            }
            s = pos;
            le = e > s && buf[e - 1] == '\r' ? e - 1 : e;
            pos = Math.min(e + 1, lim);
            if (isBlank(s, le)) {
                continue;
            }
            int n = split(s, le, fs, fe, line);
            if (n != cols) {
                throw error(line, "expected " + cols + " fields as in the header, found " + n);
            }
            if ((rows + 1) * d > x.length) {
                x = Arrays.copyOf(x, x.length * 2);
            }
            if (labelIds != null && rows >= labelIds.length) {
                labelIds = Arrays.copyOf(labelIds, labelIds.length * 2);
            }
            int base = rows * d;
            for (int c = 0; c < cols; c++) {
                int r = role[c];
                if (r >= 0) {
                    double v = DecimalParser.parse(buf, fs[c], fe[c]);
                    float f = (float) v;
                    if (Float.isNaN(f) || Float.isInfinite(f)) {
                        throw error(line, c, header.get(c), whyNotNumber(fs[c], fe[c], v));
                    }
                    x[base + r] = f;
                } else if (r == ROLE_LABEL) {
                    String t = text(fs[c], fe[c]).trim();
                    if (t.isEmpty()) {
                        // a missing label must not become a class of its own
                        throw error(line, c, header.get(c), "empty label value");
                    }
                    final int col = c;
                    labelIds[rows] = lv.id(t, () -> error(line, col, header.get(col), lv.thirdValue(t)));
                }
            }
            rows++;
        }
        if (rows == 0) {
            throw ReconException.input(name + ": no data rows after the header");
        }
        boolean[] anomaly = null;
        Dataset.Labels labels = null;
        if (lv != null) {
            int[] counts = new int[lv.values.size()];
            for (int i = 0; i < rows; i++) {
                counts[labelIds[i]]++;
            }
            labels = lv.resolve(name, header.get(labelCol), counts);
            anomaly = new boolean[rows];
            byte normalId = (byte) lv.values.indexOf(labels.normalValue());
            for (int i = 0; i < rows; i++) {
                anomaly[i] = labelIds[i] != normalId;
            }
        }
        return new Dataset(name, features, x, rows, anomaly, labels, false);
    }

    private boolean isBlank(int s, int e) {
        for (int i = s; i < e; i++) {
            if (!space(buf[i])) {
                return false;
            }
        }
        return true;
    }

    private String whyNotNumber(int a, int z, double v) {
        String t = text(a, z);
        if (t.isEmpty()) {
            return "empty value";
        }
        String low = t.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
        if (low.equals("nan") || low.equals("inf") || low.equals("infinity")) {
            return "NaN and infinity are not allowed: " + quote(t);
        }
        if (!Double.isNaN(v)) {
            return "out of float32 range: " + quote(t);
        }
        return "not a number: " + quote(t);
    }

    static String quote(String t) {
        return "\"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"";
    }

    private static String abbreviate(List<String> header) {
        return header.size() <= 12 ? String.join(", ", header)
                : String.join(", ", header.subList(0, 12)) + ", ... (" + header.size() + " in all)";
    }
}
