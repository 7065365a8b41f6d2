package dev.recon.report;

import dev.recon.Version;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.baseline.IsolationForest;
import dev.recon.data.Dataset;
import dev.recon.eval.Confusion;
import dev.recon.eval.Curve;
import dev.recon.eval.EvalReport;
import dev.recon.io.Bundle;
import dev.recon.score.Contribution;
import dev.recon.score.Detector;
import dev.recon.score.Scores;
import dev.recon.cli.Text;
import dev.recon.train.EpochStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;
import org.knowm.xchart.XYChart;

/**
 * The HTML report of a run: one self-contained file (charts embedded as PNG) with the data,
 * the training, the scores against the labels, explanations of the top flagged rows, the latent
 * space, and an Isolation Forest baseline on the same rows. Every number comes from the same
 * objects as metrics.json; the report also embeds those metrics as JSON.
 */
public final class Report {
    /** Isolation Forest settings of Liu et al. and scikit-learn's defaults. */
    public static final int IFOREST_TREES = 100;
    public static final int IFOREST_SAMPLE = 256;
    private static final int TOP_ROWS = 10;
    private static final int TOP_FEATURES = 5;
    private static final int MAX_LATENT_NORMALS = 3000;

    private Report() {
    }

    /** The baseline's scores and metrics on the evaluated rows. */
    public record Baseline(double[] scores, EvalReport metrics, double threshold) {
    }

    /**
     * Fits the Isolation Forest on the model's training rows and scores the evaluated rows; null
     * without the training and validation rows, or without labels.
     */
    public static Baseline baseline(ReportInput in) {
        if (in.trainRows() == null || in.trainRows().length < 2 || in.valRows() == null || in.valRows().length == 0
                || in.labels() == null) {
            return null;
        }
        Dataset d = in.data();
        float[] train = d.gather(in.trainRows());
        IsolationForest f = IsolationForest.fit(train, in.trainRows().length, d.features(), IFOREST_TREES,
                IFOREST_SAMPLE, in.bundle().config().seed());
        double[] s = f.score(d.gather(in.evalRows()), in.evalRows().length);
        // the model's own policy: validation quantiles from the validation rows, best-f1 from these labels
        double[] val = f.score(d.gather(in.valRows()), in.valRows().length);
        double threshold = in.bundle().policy().choose(val, s, in.labels());
        return new Baseline(s, EvalReport.of(s, in.labels(), threshold), threshold);
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

    public static String html(ReportInput in, Baseline base, String metricsJson) {
        Bundle b = in.bundle();
        Dataset d = in.data();
        Html h = new Html();
        h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Recon report</title><style>");
        h.raw("body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#1a202c;padding:0 1rem}"
                + "h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #cbd5e0;padding-bottom:.3rem}"
                + "table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}td,th{border:1px solid #e2e8f0;padding:.25rem .55rem;text-align:right}"
                + "th{background:#f7fafc}td.l,th.l{text-align:left}.warn{background:#fed7d7;border:2px solid #c53030;padding:.8rem;font-weight:bold}"
                + "img{max-width:100%;border:1px solid #e2e8f0;margin:.4rem 0}.grid{display:flex;flex-wrap:wrap;gap:1rem}"
                + ".muted{color:#718096}");
        h.raw("</style></head><body>");
        if (d.synthetic() || b.data().synthetic()) {
            h.raw("<p class=\"warn\">SYNTHETIC DATA: these results say nothing about real transactions.</p>");
        }
        h.tag("h1", "Recon report: " + in.command());
        h.p("Recon " + Version.get() + " · model " + b.spec().describe() + " · data " + d.source() + " · "
                + (in.ae() == null ? "scored every row (" + Text.count(in.evalRows().length) + " rows; no labels, so no "
                + "ROC, precision-recall or confusion matrix)"
                : "evaluated on the " + (in.split().equals("test") ? "held-out test split" : "whole file") + " ("
                + Text.count(in.evalRows().length) + " rows, " + Text.count(in.ae().anomalies()) + " anomalies)"));

        dataSection(h, d);
        trainingSection(h, in);
        scoresSection(h, in, base);
        explainSection(h, in);
        latentSection(h, in);
        baselineSection(h, in, base);

        h.raw("<script type=\"application/json\" id=\"recon-metrics\">" + metricsJson.replace("</", "<\\/") + "</script>");
        h.raw("</body></html>\n");
        return h.toString();
    }

    private static void dataSection(Html h, Dataset d) {
        h.tag("h2", "Data");
        int anomalies = d.anomalies();
        h.p(Text.count(d.rows()) + " rows, " + d.features() + " features" + (d.hasLabels()
                ? String.format(Locale.ROOT, "; %s normal and %s anomalous rows (%.3f %% anomalies), label column %s, normal value %s",
                Text.count(d.rows() - anomalies), Text.count(anomalies), 100.0 * anomalies / d.rows(), d.labels().column(),
                d.labels().normalValue()) : "; no labels"));
        int f = d.features();
        double[][] sn = new double[f][4];
        double[][] sa = new double[f][4];
        summarize(d, false, sn);
        summarize(d, true, sa);
        h.raw("<table><tr><th class=\"l\">feature</th><th>normal mean</th><th>normal std</th><th>normal min</th><th>normal max</th>"
                + "<th>anomaly mean</th><th>anomaly std</th><th>anomaly min</th><th>anomaly max</th></tr>");
        for (int j = 0; j < f; j++) {
            h.raw("<tr><td class=\"l\">" + Html.esc(d.featureNames().get(j)) + "</td>");
            for (double[][] s : new double[][][] {sn, sa}) {
                for (int k = 0; k < 4; k++) {
                    h.raw("<td>" + Text.sci(s[j][k]) + "</td>");
                }
            }
            h.raw("</tr>");
        }
        h.raw("</table>");
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

    private static void trainingSection(Html h, ReportInput in) {
        Bundle b = in.bundle();
        h.tag("h2", "Training");
        List<EpochStats> hist = b.state().history();
        h.p(String.format(Locale.ROOT, "%d epochs, batch %d, Adam lr %s, patience %d, seed %d; %s; best epoch %d (validation loss %s). "
                        + "Threshold %s (%s); a row is an anomaly when its score is at or above it.",
                b.state().epochsDone(), b.config().batch(), Float.toString(b.config().lr()), b.config().patience(),
                b.config().seed(), b.stopReason(), b.state().bestEpoch(), Text.num(b.state().bestValLoss()),
                Text.sci(b.threshold()), b.policy()));
        h.p("Backend: " + (in.device() != null ? in.device() : "not recorded (report made after training)")
                + (in.samplesPerSecond() != null ? String.format(Locale.ROOT, "; %s samples/s", Text.count(Math.round(in.samplesPerSecond()))) : "")
                + ". Training data: " + b.data().source() + ", fit " + Text.count(b.data().fitRows()) + " rows, validation "
                + Text.count(b.data().valRows()) + ".");
        if (!hist.isEmpty()) {
            double[] e = new double[hist.size()];
            double[] tr = new double[hist.size()];
            double[] va = new double[hist.size()];
            for (int i = 0; i < e.length; i++) {
                e[i] = hist.get(i).epoch();
                tr[i] = hist.get(i).trainLoss();
                va[i] = hist.get(i).valLoss();
            }
            XYChart c = Charts.chart("Loss per epoch", "epoch", "mean " + b.spec().loss().id() + " per row");
            Charts.line(c, "train", e, tr, Charts.NORMAL);
            Charts.line(c, "validation", e, va, Charts.ANOMALY);
            Charts.points(c, "best epoch", new double[] {b.state().bestEpoch()},
                    new double[] {hist.get(b.state().bestEpoch() - 1).valLoss()}, Charts.BASELINE);
            h.img(Charts.png(c), "train and validation loss per epoch");
        }
    }

    /** The label of evaluated row i: false (normal) when the data has no labels. */
    private static boolean anomalous(ReportInput in, int i) {
        return in.labels() != null && in.labels()[i];
    }

    private static void scoresSection(Html h, ReportInput in, Baseline base) {
        EvalReport r = in.ae();
        double threshold = in.bundle().threshold();
        h.tag("h2", "Scores");
        // histogram of log10(error), per class, as the fraction of that class's rows
        int bins = 60;
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
        double[] centers = new double[bins];
        double[] fn = new double[bins];
        double[] fa = new double[bins];
        long nn = 0;
        long na = 0;
        for (int i = 0; i < bins; i++) {
            centers[i] = lo + (i + 0.5) * (hi - lo) / bins;
        }
        for (int i = 0; i < in.errors().length; i++) {
            if (!Double.isFinite(in.errors()[i])) {
                continue;
            }
            int bin = (int) Math.min(bins - 1, (Math.log10(Math.max(in.errors()[i], 1e-12)) - lo) / (hi - lo) * bins);
            if (anomalous(in, i)) {
                fa[bin]++;
                na++;
            } else {
                fn[bin]++;
                nn++;
            }
        }
        double ymax = 0;
        for (int i = 0; i < bins; i++) {
            fn[i] = nn > 0 ? fn[i] / nn : 0;
            fa[i] = na > 0 ? fa[i] / na : 0;
            ymax = Math.max(ymax, Math.max(fn[i], fa[i]));
        }
        String what = in.bundle().knn() == null ? "Reconstruction error" : "Anomaly score (ae-knn)";
        XYChart hc = Charts.chart(r == null ? what : what + " by class", in.bundle().knn() == null ? "log10(error)" : "log10(score)",
                r == null ? "fraction of the rows" : "fraction of the class's rows");
        Charts.line(hc, (r == null ? "all rows (" : "normal (") + Text.count(nn) + ")", centers, fn, Charts.NORMAL);
        if (r != null) {
            Charts.line(hc, "anomalous (" + Text.count(na) + ")", centers, fa, Charts.ANOMALY);
        }
        double t = Math.log10(Math.max(threshold, 1e-12));
        Charts.line(hc, "threshold " + Text.sci(threshold), new double[] {t, t}, new double[] {0, ymax}, Charts.BASELINE);
        h.img(Charts.png(hc), "histogram of the anomaly scores, with the threshold");
        if (nonFinite > 0) {
            h.p(String.format(Locale.ROOT, "%s rows have a score that is not a finite number (the network or the distance overflowed on "
                    + "inputs far outside what it was trained on): they are not drawn here, and they are flagged.",
                    Text.count(nonFinite)));
        }
        if (r == null) {
            long flagged = Arrays.stream(in.errors()).filter(e -> !(e < threshold)).count();
            h.p(String.format(Locale.ROOT, "%s of %s rows (%.2f %%) are at or above the threshold %s.", Text.count(flagged),
                    Text.count(in.errors().length), 100.0 * flagged / in.errors().length, Text.sci(threshold)));
            return;
        }

        h.raw("<div class=\"grid\">");
        XYChart roc = Charts.chart("ROC", "false-positive rate", "true-positive rate (recall)");
        XYChart pr = Charts.chart("Precision-recall", "recall", "precision");
        curves(roc, pr, in.bundle().knn() == null ? "autoencoder" : "autoencoder + kNN", in.errors(), in.labels(), r,
                Charts.ANOMALY);
        if (base != null) {
            curves(roc, pr, "isolation forest", base.scores(), in.labels(), base.metrics(), Charts.BASELINE);
        }
        Charts.line(roc, "chance", new double[] {0, 1}, new double[] {0, 1}, new java.awt.Color(0xcbd5e0));
        roc.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        pr.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        h.img(Charts.png(roc), "ROC curve");
        h.img(Charts.png(pr), "precision-recall curve");
        h.raw("</div>");

        h.raw("<table><tr><th class=\"l\">metric</th><th>" + (in.bundle().knn() == null ? "autoencoder" : "autoencoder + kNN")
                + "</th>" + (base != null ? "<th>isolation forest</th>" : "") + "</tr>");
        metricRow(h, "ROC-AUC", r.rocAuc(), base == null ? null : base.metrics().rocAuc());
        metricRow(h, "PR-AUC (average precision)", r.prAuc(), base == null ? null : base.metrics().prAuc());
        metricRow(h, "best F1 (threshold on these labels)", r.bestF1(), base == null ? null : base.metrics().bestF1());
        metricRow(h, "recall at FPR 0.1 %", r.recallAtFpr001(), base == null ? null : base.metrics().recallAtFpr001());
        metricRow(h, "precision at the deployed threshold", r.atThreshold().precision(), base == null ? null : base.metrics().atThreshold().precision());
        metricRow(h, "recall at the deployed threshold", r.atThreshold().recall(), base == null ? null : base.metrics().atThreshold().recall());
        metricRow(h, "F1 at the deployed threshold", r.atThreshold().f1(), base == null ? null : base.metrics().atThreshold().f1());
        h.raw("</table>");

        h.raw("<div class=\"grid\">");
        confusion(h, "At the deployed threshold " + Text.sci(r.threshold()) + " (" + in.bundle().policy() + ")", r.atThreshold());
        confusion(h, "At the best-F1 threshold " + Text.sci(r.bestF1Threshold()), r.atBestF1());
        h.raw("</div>");
    }

    private static void curves(XYChart roc, XYChart pr, String name, double[] s, boolean[] y, EvalReport r, java.awt.Color color) {
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
        Charts.line(roc, String.format(Locale.ROOT, "%s (AUC %s)", name, Text.num(r.rocAuc())), unbox(fx), unbox(fy), color);
        Charts.line(pr, String.format(Locale.ROOT, "%s (AP %s)", name, Text.num(r.prAuc())), unbox(rx), unbox(ry), color);
    }

    private static double[] unbox(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void metricRow(Html h, String name, double ae, Double base) {
        h.raw("<tr><td class=\"l\">" + name + "</td><td>" + Text.num(ae) + "</td>" + (base != null ? "<td>" + Text.num(base) + "</td>" : "") + "</tr>");
    }

    private static void confusion(Html h, String title, Confusion c) {
        h.raw("<table><tr><th class=\"l\" colspan=\"3\">" + Html.esc(title) + "</th></tr>"
                + "<tr><th></th><th>flagged normal</th><th>flagged anomaly</th></tr>"
                + "<tr><th class=\"l\">normal</th><td>" + Text.count(c.tn()) + "</td><td>" + Text.count(c.fp()) + "</td></tr>"
                + "<tr><th class=\"l\">anomaly</th><td>" + Text.count(c.fn()) + "</td><td>" + Text.count(c.tp()) + "</td></tr>"
                + String.format(Locale.ROOT, "<tr><td class=\"l\" colspan=\"3\">precision %s, recall %s, F1 %s, %s flagged</td></tr></table>",
                Text.num(c.precision()), Text.num(c.recall()), Text.num(c.f1()), Text.count(c.flagged())));
    }

    private static void explainSection(Html h, ReportInput in) {
        h.tag("h2", "Top flagged rows");
        Integer[] order = new Integer[in.errors().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(in.errors()[b], in.errors()[a]));
        int k = Math.min(TOP_ROWS, order.length);
        int[] rows = new int[k];
        for (int i = 0; i < k; i++) {
            rows[i] = in.evalRows()[order[i]];
        }
        Dataset d = in.data();
        try (CpuBackend be = new CpuBackend(1); Detector det = Detector.of(in.bundle(), be)) {
            Scores s = det.score(dev.recon.pipeline.Features.select(subset(d, rows), in.bundle().featureNames()), k);
            h.p("The " + k + " evaluated rows with the largest anomaly score, and the features the autoencoder failed to "
                    + "reconstruct (each feature's share of the row's reconstruction error, in standardised units).");
            h.raw("<table><tr><th>data row</th><th>label</th><th>score</th><th class=\"l\">top features (share of the error)</th></tr>");
            for (int i = 0; i < k; i++) {
                StringBuilder sb = new StringBuilder();
                for (Contribution c : det.topFeatures(s.featureErrors()[i], TOP_FEATURES)) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(Html.esc(c.feature()))
                            .append(String.format(Locale.ROOT, " %.0f %%", 100 * c.share()));
                }
                String label = in.labels() == null ? "–" : in.labels()[order[i]] ? "anomaly" : "normal";
                h.raw("<tr><td>" + (rows[i] + 1) + "</td><td>" + label + "</td><td>"
                        + Text.sci(in.errors()[order[i]]) + "</td><td class=\"l\">" + sb + "</td></tr>");
            }
            h.raw("</table>");
        }
    }

    /** A dataset of just these rows (for scoring them through the public API). */
    private static Dataset subset(Dataset d, int[] rows) {
        return new Dataset(d.source(), d.featureNames(), d.gather(rows), rows.length, null, null, d.synthetic());
    }

    private static void latentSection(Html h, ReportInput in) {
        h.tag("h2", "Latent space");
        Dataset d = in.data();
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
        float[] codes;
        try (CpuBackend be = new CpuBackend(1); Detector det = Detector.of(in.bundle(), be)) {
            codes = det.latent(dev.recon.pipeline.Features.select(subset(d, rows), in.bundle().featureNames()),
                    rows.length);
        }
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
        XYChart c = Charts.chart("Latent codes, first two principal components", "PC 1", "PC 2");
        if (!nx.isEmpty()) {
            Charts.points(c, (in.labels() == null ? "rows (" : "normal (") + Text.count(nx.size()) + " shown)", col(nx, 0),
                    col(nx, 1), Charts.NORMAL);
        }
        if (!ax.isEmpty()) {
            Charts.points(c, "anomalous (" + Text.count(ax.size()) + ")", col(ax, 0), col(ax, 1), Charts.ANOMALY);
        }
        h.p("PCA of the " + z + "-dimensional latent codes of the evaluated rows (all anomalies, if labelled, and "
                + (stride == 1 ? "every normal row" : "one in " + stride + " normal rows") + ").");
        h.img(Charts.png(c), "latent space projected on its first two principal components");
    }

    private static double[] col(List<double[]> l, int j) {
        return l.stream().mapToDouble(a -> a[j]).toArray();
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

    private static void baselineSection(Html h, ReportInput in, Baseline base) {
        h.tag("h2", "Baseline: Isolation Forest");
        if (base == null) {
            h.p(in.labels() == null ? "No baseline: without labels there is nothing to compare it on."
                    : "No baseline: it was turned off (--baseline none), or it is fitted on the model's training rows, "
                    + "which can be recreated only from the data the model was trained on.");
            return;
        }
        h.p(String.format(Locale.ROOT, "Isolation Forest (Liu, Ting and Zhou, 2008): %d trees on subsamples of %d rows, fitted "
                        + "on the same %s training rows as the autoencoder (seed %d), scored on the same %s rows; its threshold "
                        + "follows the same policy (%s) on the same validation rows: %s. Scores and metrics are in the "
                        + "table above, beside the autoencoder's.", IFOREST_TREES, IFOREST_SAMPLE,
                Text.count(in.trainRows().length), in.bundle().config().seed(), Text.count(in.evalRows().length),
                in.bundle().policy(), Text.sci(base.threshold())));
        confusion(h, "Isolation Forest at its threshold " + Text.sci(base.threshold()), base.metrics().atThreshold());
    }
}
