package dev.recon.report;

import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Dataset;
import dev.recon.eval.Curve;
import dev.recon.pipeline.Features;
import dev.recon.score.Contribution;
import dev.recon.data.ImageShape;
import dev.recon.io.Bundle;
import dev.recon.score.Detector;
import dev.recon.score.VaeSamples;
import dev.recon.score.Scores;
import dev.recon.train.EpochStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * Everything a report shows, computed: per-feature statistics, the loss curve, the score
 * histogram, ROC and precision-recall points, the top flagged rows with their explanations, the
 * latent codes projected by PCA, and the baseline. {@link ReportHtml} only lays it out.
 *
 * @param in        what was evaluated
 * @param baseline  the Isolation Forest on the same rows; null where there is none
 * @param normal    mean, population std, min, max of each feature over the normal rows (all rows without labels)
 * @param anomalous the same over the anomalous rows (NaN without labels)
 * @param loss      the loss per epoch; null without history
 * @param histogram the anomaly scores' histogram
 * @param model     the detector's ROC and PR points; null without labels
 * @param forest    the baseline's; null without a baseline
 * @param flagged   the flagged evaluated rows (score at or above the threshold) with the largest scores, largest first
 * @param latent    the latent codes of the evaluated rows on their first two principal components
 * @param images    for image data: reconstructions, error maps, samples and the latent map; else null
 */
public record ReportModel(ReportInput in, Baseline baseline, double[][] normal, double[][] anomalous, LossCurve loss,
                          Histogram histogram, CurvePoints model, CurvePoints forest, List<FlaggedRow> flagged,
                          Latent latent, Images images) {
    static final int TOP_ROWS = 10;
    static final int TOP_FEATURES = 5;
    private static final int MAX_LATENT_NORMALS = 3000;
    private static final int BINS = 60;

    /** Train and validation loss per epoch. */
    public record LossCurve(double[] epochs, double[] train, double[] validation) {
    }

    /**
     * The histogram of log10(score), per class, as fractions of each class's rows.
     *
     * @param normals   rows drawn as normal (every row without labels), finite scores only
     * @param nonFinite rows whose score is not a finite number (not drawn)
     * @param flagged   rows at or above the threshold, non-finite ones included
     */
    public record Histogram(double[] centers, double[] normalFraction, double[] anomalyFraction, long normals,
                            long anomalies, double maxFraction, long nonFinite, long flagged) {
    }

    /** ROC points (from (0, 0)) and precision-recall points, at most about 2,000 of each. */
    public record CurvePoints(double[] fpr, double[] tpr, double[] recall, double[] precision) {
    }

    /** One of the top flagged rows: its 1-based data row, label ("–" without labels), score and top features. */
    public record FlaggedRow(int dataRow, String label, double score, List<Contribution> top) {
    }

    /**
     * Projected latent codes, and how the normal rows were sampled (every {@code stride}-th); and
     * their t-SNE embedding where asked for (null otherwise), with its size and time.
     */
    public record Latent(List<double[]> normals, List<double[]> anomalies, long stride, int dimensions,
                         List<double[]> tsneNormals, List<double[]> tsneAnomalies, double tsneSeconds) {
    }

    /**
     * What an image model's report draws, every image in the data's units (values in [0, 1]).
     *
     * @param normal      the lowest-scored evaluated images, most normal first, and their reconstructions
     * @param anomalous   the highest-scored, most anomalous first, and their reconstructions
     * @param errorMaps   the flagged images among those, with |reconstruction - input| per pixel
     * @param samples     draws from a VAE's prior; empty for a plain autoencoder
     * @param latentMap   for a 2-D latent, decoded points of a {@code mapSize} x {@code mapSize} grid; else empty
     */
    public record Images(ImageShape shape, List<float[]> normal, List<float[]> normalRecon, List<float[]> anomalous,
                         List<float[]> anomalousRecon, List<float[]> errorMaps, float errorMax, List<float[]> samples,
                         List<float[]> latentMap, int mapSize) {
    }

    static final int IMAGE_ROW = 8;
    static final int SAMPLES = 32;
    static final int MAP_SIZE = 12;

    public static ReportModel compute(ReportInput in, Baseline baseline) {
        return compute(in, baseline, 0);
    }

    /** The report's content, with a t-SNE view of the latent codes of at most {@code tsneRows} rows (0: none). */
    public static ReportModel compute(ReportInput in, Baseline baseline, int tsneRows) {
        Dataset d = in.data();
        double[][] normal = new double[d.features()][4];
        double[][] anomalous = new double[d.features()][4];
        summarize(d, false, normal);
        summarize(d, true, anomalous);
        CurvePoints model = in.ae() == null ? null : curve(in.errors(), in.labels());
        CurvePoints forest = in.ae() == null || baseline == null ? null : curve(baseline.scores(), in.labels());
        // one detector for the explanations and the latent codes
        try (CpuBackend be = new CpuBackend(1); Detector det = Detector.of(in.bundle(), be)) {
            return new ReportModel(in, baseline, normal, anomalous, loss(in), histogram(in), model, forest,
                    flagged(in, det), latent(in, det, tsneRows), images(in, det, be));
        }
    }

    /** The label of evaluated row i: false (normal) when the data has no labels. */
    private static boolean anomalous(ReportInput in, int i) {
        return in.labels() != null && in.labels()[i];
    }

    /** The metrics the report embeds: the autoencoder's (the keys of metrics.json) and the baseline's. */
    public static Map<String, Object> embeddedMetrics(ReportInput in, Baseline b) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (in.ae() == null) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("threshold", in.bundle().threshold());
            u.put("rows", in.evalRows().length);
            long flagged = Arrays.stream(in.errors()).filter(e -> !(e < in.bundle().threshold())).count();
            u.put("flagged", flagged);
            m.put("autoencoder", u);
            return m;
        }
        m.put("autoencoder", in.ae().toMap());
        if (b != null) {
            m.put("iforest", b.metrics().toMap());
        }
        return m;
    }

    /** mean, population std, min, max of each feature over the normal or anomalous rows. */
    private static void summarize(Dataset d, boolean anomalies, double[][] out) {
        int f = d.features();
        long n = 0;
        double[] sum = new double[f];
        double[] sq = new double[f];
        double[] mn = new double[f];
        double[] mx = new double[f];
        Arrays.fill(mn, Double.POSITIVE_INFINITY);
        Arrays.fill(mx, Double.NEGATIVE_INFINITY);
        for (int r = 0; r < d.rows(); r++) {
            if (d.hasLabels() && d.isAnomaly(r) != anomalies || !d.hasLabels() && anomalies) {
                continue;
            }
            n++;
            for (int j = 0; j < f; j++) {
                double v = d.get(r, j);
                sum[j] += v;
                sq[j] += v * v;
                mn[j] = Math.min(mn[j], v);
                mx[j] = Math.max(mx[j], v);
            }
        }
        for (int j = 0; j < f; j++) {
            double mean = n > 0 ? sum[j] / n : Double.NaN;
            out[j][0] = mean;
            out[j][1] = n > 0 ? Math.sqrt(Math.max(0, sq[j] / n - mean * mean)) : Double.NaN;
            out[j][2] = n > 0 ? mn[j] : Double.NaN;
            out[j][3] = n > 0 ? mx[j] : Double.NaN;
        }
    }

    private static LossCurve loss(ReportInput in) {
        List<EpochStats> hist = in.bundle().state().history();
        if (hist.isEmpty()) {
            return null;
        }
        double[] e = new double[hist.size()];
        double[] tr = new double[hist.size()];
        double[] va = new double[hist.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = hist.get(i).epoch();
            tr[i] = hist.get(i).trainLoss();
            va[i] = hist.get(i).valLoss();
        }
        return new LossCurve(e, tr, va);
    }

    private static Histogram histogram(ReportInput in) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        long nonFinite = 0;
        for (double e : in.errors()) {
            if (!Double.isFinite(e)) {
                nonFinite++;
                continue;
            }
            double l = Math.log10(Math.max(e, 1e-12));
            lo = Math.min(lo, l);
            hi = Math.max(hi, l);
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        if (hi <= lo) {
            hi = lo + 1;
        }
        double[] centers = new double[BINS];
        double[] fn = new double[BINS];
        double[] fa = new double[BINS];
        long nn = 0;
        long na = 0;
        for (int i = 0; i < BINS; i++) {
            centers[i] = lo + (i + 0.5) * (hi - lo) / BINS;
        }
        for (int i = 0; i < in.errors().length; i++) {
            if (!Double.isFinite(in.errors()[i])) {
                continue;
            }
            int bin = (int) Math.min(BINS - 1, (Math.log10(Math.max(in.errors()[i], 1e-12)) - lo) / (hi - lo) * BINS);
            if (anomalous(in, i)) {
                fa[bin]++;
                na++;
            } else {
                fn[bin]++;
                nn++;
            }
        }
        double ymax = 0;
        for (int i = 0; i < BINS; i++) {
            fn[i] = nn > 0 ? fn[i] / nn : 0;
            fa[i] = na > 0 ? fa[i] / na : 0;
            ymax = Math.max(ymax, Math.max(fn[i], fa[i]));
        }
        double threshold = in.bundle().threshold();
        long flagged = Arrays.stream(in.errors()).filter(e -> !(e < threshold)).count();
        return new Histogram(centers, fn, fa, nn, na, ymax, nonFinite, flagged);
    }

    private static CurvePoints curve(double[] s, boolean[] y) {
        Curve c = Curve.of(s, y);
        int n = c.points();
        int step = Math.max(1, n / 2000);
        List<Double> fx = new ArrayList<>(List.of(0.0));
        List<Double> fy = new ArrayList<>(List.of(0.0));
        List<Double> rx = new ArrayList<>();
        List<Double> ry = new ArrayList<>();
        for (int i = 0; i < n; i += step) {
            fx.add(c.fpr(i));
            fy.add(c.tpr(i));
            rx.add(c.tpr(i));
            ry.add(c.precision(i));
        }
        fx.add(c.fpr(n - 1));
        fy.add(c.tpr(n - 1));
        return new CurvePoints(unbox(fx), unbox(fy), unbox(rx), unbox(ry));
    }

    private static double[] unbox(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static List<FlaggedRow> flagged(ReportInput in, Detector det) {
        Integer[] order = new Integer[in.errors().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(in.errors()[b], in.errors()[a]));
        // only rows the model flags (a score that is not a number is flagged too): the largest scores come first
        double threshold = in.bundle().threshold();
        int k = 0;
        while (k < Math.min(TOP_ROWS, order.length) && !(in.errors()[order[k]] < threshold)) {
            k++;
        }
        int[] rows = new int[k];
        for (int i = 0; i < k; i++) {
            rows[i] = in.evalRows()[order[i]];
        }
        List<FlaggedRow> out = new ArrayList<>();
        if (k == 0) {
            return out;
        }
        Scores s = det.score(Features.select(subset(in.data(), rows), in.bundle().featureNames()), k);
        for (int i = 0; i < k; i++) {
            String label = in.labels() == null ? "–" : in.labels()[order[i]] ? "anomaly" : "normal";
            out.add(new FlaggedRow(rows[i] + 1, label, in.errors()[order[i]],
                    det.topFeatures(s.featureErrors()[i], TOP_FEATURES)));
        }
        return out;
    }

    private static Images images(ReportInput in, Detector det, CpuBackend be) {
        ImageShape shape = in.data().image();
        if (shape == null || in.errors().length == 0) {
            return null;
        }
        Integer[] order = new Integer[in.errors().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // NaN scores last among the normal end, first among the anomalous one
        Arrays.sort(order, (a, b) -> Double.compare(in.errors()[a], in.errors()[b]));
        int k = Math.min(IMAGE_ROW, order.length);
        int[] low = new int[k];
        int[] high = new int[k];
        for (int i = 0; i < k; i++) {
            low[i] = in.evalRows()[order[i]];
            high[i] = in.evalRows()[order[order.length - 1 - i]];
        }
        List<float[]> normal = rowsOf(in.data(), low);
        List<float[]> anomalous = rowsOf(in.data(), high);
        List<float[]> normalRecon = reconstructions(in, det, low);
        List<float[]> anomalousRecon = reconstructions(in, det, high);
        List<float[]> maps = new ArrayList<>();
        float max = 0f;
        for (int i = 0; i < k; i++) {
            if (in.errors()[order[order.length - 1 - i]] < in.bundle().threshold()) {
                break; // not flagged
            }
            float[] m = new float[shape.pixels()];
            for (int j = 0; j < m.length; j++) {
                m[j] = Math.abs(anomalousRecon.get(i)[j] - anomalous.get(i)[j]);
                max = Math.max(max, m[j]);
            }
            maps.add(m);
        }
        Bundle b = in.bundle();
        int d = b.spec().inputDim();
        List<float[]> samples = new ArrayList<>();
        if (b.spec().variational()) {
            float[] x = VaeSamples.draw(b, SAMPLES, b.config().seed(), be);
            for (int i = 0; i < SAMPLES; i++) {
                samples.add(Arrays.copyOfRange(x, i * d, (i + 1) * d));
            }
        }
        List<float[]> map = new ArrayList<>();
        if (b.spec().latent() == 2) {
            // a VAE's prior spans about +-2.5; a plain autoencoder's codes are wherever training put them
            double[] lo = {-2.5, -2.5};
            double[] hi = {2.5, 2.5};
            if (!b.spec().variational()) {
                float[] codes = det.latent(Features.select(subset(in.data(), in.evalRows()), b.featureNames()),
                        in.evalRows().length);
                lo = new double[] {Double.MAX_VALUE, Double.MAX_VALUE};
                hi = new double[] {-Double.MAX_VALUE, -Double.MAX_VALUE};
                for (int i = 0; i < codes.length; i++) {
                    lo[i % 2] = Math.min(lo[i % 2], codes[i]);
                    hi[i % 2] = Math.max(hi[i % 2], codes[i]);
                }
            }
            float[] grid = new float[MAP_SIZE * MAP_SIZE * 2];
            for (int r = 0; r < MAP_SIZE; r++) {
                for (int c = 0; c < MAP_SIZE; c++) {
                    grid[(r * MAP_SIZE + c) * 2] = (float) (lo[0] + (hi[0] - lo[0]) * c / (MAP_SIZE - 1));
                    grid[(r * MAP_SIZE + c) * 2 + 1] = (float) (hi[1] - (hi[1] - lo[1]) * r / (MAP_SIZE - 1));
                }
            }
            float[] x = det.decode(grid, MAP_SIZE * MAP_SIZE);
            for (int i = 0; i < MAP_SIZE * MAP_SIZE; i++) {
                map.add(Arrays.copyOfRange(x, i * d, (i + 1) * d));
            }
        }
        return new Images(shape, normal, normalRecon, anomalous, anomalousRecon, maps, max, samples, map, MAP_SIZE);
    }

    private static List<float[]> rowsOf(Dataset d, int[] rows) {
        List<float[]> out = new ArrayList<>();
        for (int r : rows) {
            out.add(Arrays.copyOfRange(d.values(), r * d.features(), (r + 1) * d.features()));
        }
        return out;
    }

    private static List<float[]> reconstructions(ReportInput in, Detector det, int[] rows) {
        int d = in.bundle().spec().inputDim();
        float[] x = det.reconstruct(Features.select(subset(in.data(), rows), in.bundle().featureNames()), rows.length);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            out.add(Arrays.copyOfRange(x, i * d, (i + 1) * d));
        }
        return out;
    }

    /** A dataset of just these rows (for scoring them through the public API). */
    private static Dataset subset(Dataset d, int[] rows) {
        return new Dataset(d.source(), d.featureNames(), d.gather(rows), rows.length, null, null, d.synthetic());
    }

    private static Latent latent(ReportInput in, Detector det, int tsneRows) {
        // every anomaly, and an evenly spaced sample of the normal rows
        List<Integer> pick = new ArrayList<>();
        long normals = 0;
        for (int i = 0; i < in.evalRows().length; i++) {
            normals += anomalous(in, i) ? 0 : 1;
        }
        long stride = Math.max(1, (normals + MAX_LATENT_NORMALS - 1) / MAX_LATENT_NORMALS);
        long seen = 0;
        for (int i = 0; i < in.evalRows().length; i++) {
            if (anomalous(in, i) || seen++ % stride == 0) {
                pick.add(i);
            }
        }
        int[] rows = pick.stream().mapToInt(i -> in.evalRows()[i]).toArray();
        int z = in.bundle().spec().latent();
        float[] codes = det.latent(Features.select(subset(in.data(), rows), in.bundle().featureNames()), rows.length);
        double[][] m = new double[rows.length][z];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < z; j++) {
                m[i][j] = codes[i * z + j];
            }
        }
        double[][] xy = pca2(m, z);
        List<double[]> nx = new ArrayList<>();
        List<double[]> ax = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            (anomalous(in, pick.get(i)) ? ax : nx).add(xy[i]);
        }
        if (tsneRows < 4 || rows.length < 4) {
            return new Latent(nx, ax, stride, z, null, null, 0);
        }
        // every s-th of the plotted rows, normals and anomalies alike, so that both keep their share
        int s = (rows.length + tsneRows - 1) / tsneRows;
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < rows.length; i += s) {
            chosen.add(i);
        }
        double[] codes2 = new double[chosen.size() * z];
        for (int c = 0; c < chosen.size(); c++) {
            System.arraycopy(m[chosen.get(c)], 0, codes2, c * z, z);
        }
        long t0 = System.nanoTime();
        TSne.Result r = TSne.embed(codes2, chosen.size(), z, 30, 750, in.bundle().config().seed(), 0.5);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<double[]> tn = new ArrayList<>();
        List<double[]> ta = new ArrayList<>();
        for (int c = 0; c < chosen.size(); c++) {
            double[] p = {r.y()[2 * c], r.y()[2 * c + 1]};
            (anomalous(in, pick.get(chosen.get(c))) ? ta : tn).add(p);
        }
        return new Latent(nx, ax, stride, z, tn, ta, seconds);
    }

    /** Rows projected on the two leading principal components (one component when z is 1). */
    static double[][] pca2(double[][] m, int z) {
        double[][] out = new double[m.length][2];
        if (m.length < 2) {
            return out;
        }
        if (z == 1) {
            for (int i = 0; i < m.length; i++) {
                out[i][0] = m[i][0];
            }
            return out;
        }
        RealMatrix cov = new Covariance(m).getCovarianceMatrix();
        EigenDecomposition eig = new EigenDecomposition(cov);
        double[] values = eig.getRealEigenvalues();
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        double[] mean = new double[z];
        for (double[] r : m) {
            for (int j = 0; j < z; j++) {
                mean[j] += r[j] / m.length;
            }
        }
        for (int k = 0; k < 2; k++) {
            double[] v = eig.getEigenvector(order[k]).toArray();
            for (int i = 0; i < m.length; i++) {
                double s = 0;
                for (int j = 0; j < z; j++) {
                    s += (m[i][j] - mean[j]) * v[j];
                }
                out[i][k] = s;
            }
        }
        return out;
    }
}
