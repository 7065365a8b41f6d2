package dev.recon.report;

import static dev.recon.report.Numbers.count;
import static dev.recon.report.Numbers.num;
import static dev.recon.report.Numbers.sci;

import dev.recon.Version;
import dev.recon.data.Dataset;
import dev.recon.eval.Confusion;
import dev.recon.eval.EvalReport;
import dev.recon.eval.ThresholdPolicy;
import dev.recon.io.Bundle;
import dev.recon.score.Contribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * Lays a computed {@link ReportModel} out as one self-contained HTML file (charts embedded as
 * PNG): the data, the training, the scores against the labels, explanations of the top flagged
 * rows, the latent space, and the Isolation Forest baseline; it embeds the metrics as JSON too.
 * Computes nothing of its own.
 */
public final class ReportHtml {
    private ReportHtml() {
    }

    public static String render(ReportModel m, String metricsJson) {
        ReportInput in = m.in();
        Bundle b = in.bundle();
        Dataset d = in.data();
        Html h = new Html();
        h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
                + Html.esc(title(in)) + "</title><style>");
        h.raw("body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#1a202c;padding:0 1rem}"
                + "h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #cbd5e0;padding-bottom:.3rem}"
                + "table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}td,th{border:1px solid #e2e8f0;padding:.25rem .55rem;text-align:right}"
                + "th{background:#f7fafc}td.l,th.l{text-align:left}.warn{background:#fed7d7;border:2px solid #c53030;padding:.8rem;font-weight:bold}"
                + "img{max-width:100%;height:auto;border:1px solid #e2e8f0;margin:.4rem 0}.grid{display:flex;flex-wrap:wrap;gap:1rem}"
                + ".muted{color:#718096}.scroll{overflow-x:auto}"
                + "#summary{background:#f7fafc;border:1px solid #cbd5e0;border-radius:6px;padding:.2rem 1rem .8rem}"
                + "#summary h2{margin-top:.8rem}.big{font-size:1.05rem}p{overflow-wrap:anywhere}"
                + "@media (max-width:700px){body{margin:1rem auto}table{font-size:.78rem}td,th{padding:.2rem .3rem}}");
        h.raw("</style></head><body>");
        if (d.synthetic() || b.data().synthetic()) {
            h.raw("<p class=\"warn\">SYNTHETIC DATA: these results say nothing about real transactions.</p>");
        }
        h.tag("h1", "Recon report: " + in.command());
        h.p("Recon " + Version.get() + " · model " + b.spec().describe() + " · data " + d.source() + " · "
                + (in.ae() == null ? "scored every row (" + count(in.evalRows().length) + " rows; no labels, so no "
                + "ROC, precision-recall or confusion matrix)"
                : "evaluated on the " + (in.split().equals("test") ? "held-out test split" : "whole file") + " ("
                + count(in.evalRows().length) + " rows, " + count(in.ae().anomalies()) + " anomalies)"));

        summarySection(h, m);
        dataSection(h, m);
        trainingSection(h, m);
        scoresSection(h, m);
        imagesSection(h, m);
        explainSection(h, m);
        latentSection(h, m);
        baselineSection(h, m);

        h.raw("<script type=\"application/json\" id=\"recon-metrics\">" + metricsJson.replace("</", "<\\/") + "</script>");
        h.raw("</body></html>\n");
        return h.toString();
    }

    /** The tab's title: the command, the data file and the detector. */
    static String title(ReportInput in) {
        String file = java.nio.file.Path.of(in.data().source()).getFileName().toString();
        return "Recon " + in.command() + " · " + file + " · " + in.bundle().detector().id();
    }

    /**
     * What a reader needs first: what was trained on what, the headline metrics beside the
     * baseline's, the deployed threshold, the confusion matrix at it, and the flag rate per
     * 10,000 rows. Each number carries its exact value ({@code data-value}) under the key
     * metrics.json uses ({@code data-metric}), so that a check can compare the two.
     */
    private static void summarySection(Html h, ReportModel m) {
        ReportInput in = m.in();
        Bundle b = in.bundle();
        EvalReport r = in.ae();
        Baseline base = m.baseline();
        h.raw("<section id=\"summary\">");
        h.tag("h2", "Summary");
        String kind = b.spec().variational() ? "Variational autoencoder" : "Autoencoder";
        h.raw("<p class=\"big\">" + Html.esc((b.knn() == null ? kind + " " : kind + " with nearest-neighbour distance (ae-knn), ")
                + b.spec().describe() + ", trained on " + count(b.data().fitRows()) + (b.labels() == null ? " rows of " : " normal rows of ")
                + b.data().source() + " (seed " + b.config().seed() + "); " + (r == null
                ? "scored every row of " + in.data().source() + ": " + count(in.evalRows().length) + " rows, no labels."
                : "evaluated on the " + (in.split().equals("test") ? "held-out test split" : "whole file") + ": "
                + count(r.rows()) + " rows, " + count(r.anomalies()) + " of them anomalies.")) + "</p>");
        long flagged = r == null ? m.histogram().flagged() : r.atThreshold().flagged();
        long rows = r == null ? in.evalRows().length : r.rows();
        if (r != null) {
            h.raw("<div class=\"scroll\"><table><tr><th class=\"l\">on these rows</th><th>" + (b.knn() == null ? "autoencoder"
                    : "autoencoder + kNN") + "</th>" + (base != null ? "<th>isolation forest</th>" : "") + "</tr>");
            headline(h, "ROC-AUC", "roc_auc", r.rocAuc(), base == null ? null : base.metrics().rocAuc());
            headline(h, "average precision (PR-AUC)", "pr_auc", r.prAuc(), base == null ? null : base.metrics().prAuc());
            headline(h, "recall at 0.1 % false positives", "recall_at_fpr_0.001", r.recallAtFpr001(),
                    base == null ? null : base.metrics().recallAtFpr001());
            headline(h, "F1 at the deployed threshold", "f1", r.atThreshold().f1(),
                    base == null ? null : base.metrics().atThreshold().f1());
            h.raw("</table></div>");
        }
        h.raw("<p>Deployed threshold " + value("threshold", b.threshold(), sci(b.threshold())) + " (policy "
                + Html.esc(b.policy().toString()) + "): a row is flagged when its score is at or above it.</p>");
        if (r != null) {
            Confusion c = r.atThreshold();
            h.raw("<table class=\"confusion\"><tr><th></th><th></th><th colspan=\"2\">predicted</th></tr>"
                    + "<tr><th></th><th></th><th>normal</th><th>anomaly</th></tr>"
                    + "<tr><th rowspan=\"2\">actual</th><th>normal</th><td>" + value("tn", c.tn(), count(c.tn())) + "</td><td>"
                    + value("fp", c.fp(), count(c.fp())) + "</td></tr><tr><th>anomaly</th><td>" + value("fn", c.fn(), count(c.fn()))
                    + "</td><td>" + value("tp", c.tp(), count(c.tp())) + "</td></tr></table>");
            long normals = r.rows() - r.anomalies();
            h.p(String.format(Locale.ROOT, "At this threshold Recon flags %s of the %s rows, %s in every 10,000; %s of the %s "
                            + "normal rows are false alarms (%s per 10,000 normal rows), and it finds %s of the %s anomalies.",
                    count(flagged), count(rows), per10k(flagged, rows), count(c.fp()), count(normals), per10k(c.fp(), normals),
                    count(c.tp()), count(r.anomalies())));
        } else {
            h.p(String.format(Locale.ROOT, "Recon flags %s of the %s rows, %s in every 10,000.", count(flagged), count(rows),
                    per10k(flagged, rows)));
        }
        h.raw("</section>");
    }

    private static void headline(Html h, String name, String key, double ae, Double base) {
        h.raw("<tr><td class=\"l\">" + name + "</td><td>" + value(key, ae, num(ae)) + "</td>"
                + (base != null ? "<td data-baseline=\"" + key + "\" data-value=\"" + base + "\">" + num(base) + "</td>" : "")
                + "</tr>");
    }

    /** A number as shown, with its exact value and its metrics.json key for the browser check. */
    private static String value(String key, double exact, String shown) {
        return "<span data-metric=\"" + key + "\" data-value=\"" + exact + "\">" + shown + "</span>";
    }

    private static String value(String key, long exact, String shown) {
        return "<span data-metric=\"" + key + "\" data-value=\"" + exact + "\">" + shown + "</span>";
    }

    private static String per10k(long part, long whole) {
        return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", 10_000.0 * part / whole);
    }

    private static void dataSection(Html h, ReportModel m) {
        Dataset d = m.in().data();
        h.tag("h2", "Data");
        int anomalies = d.anomalies();
        h.p(count(d.rows()) + " rows, " + d.features() + " features" + (d.hasLabels()
                ? String.format(Locale.ROOT, "; %s normal and %s anomalous rows (%.3f %% anomalies), label column %s, normal value %s",
                count(d.rows() - anomalies), count(anomalies), 100.0 * anomalies / d.rows(), d.labels().column(),
                d.labels().normalValue()) : "; no labels"));
        boolean labelled = d.hasLabels();
        if (d.image() != null) {
            // a table of 784 pixels says nothing: the images section shows them
            double n = 0;
            double a = 0;
            for (int j = 0; j < d.features(); j++) {
                n += m.normal()[j][0];
                a += labelled ? m.anomalous()[j][0] : 0;
            }
            h.raw("<div id=\"feature-stats\"><p>" + Html.esc(d.image() + " images, one feature per pixel"
                    + (d.image().channels() == 3 ? " and channel" : "") + ", values in [0, 1]; mean value "
                    + num(n / d.features()) + (labelled ? " in normal images, " + num(a / d.features())
                    + " in anomalous ones" : "") + ".") + "</p></div>");
            return;
        }
        h.raw("<div id=\"feature-stats\" class=\"scroll\"><table><tr><th class=\"l\">feature</th>"
                + (labelled ? "<th>normal mean</th><th>normal std</th><th>normal min</th><th>normal max</th>"
                + "<th>anomaly mean</th><th>anomaly std</th><th>anomaly min</th><th>anomaly max</th>"
                : "<th>mean</th><th>std</th><th>min</th><th>max</th>") + "</tr>");
        for (int j = 0; j < d.features(); j++) {
            h.raw("<tr><td class=\"l\">" + Html.esc(d.featureNames().get(j)) + "</td>");
            for (double[][] s : labelled ? new double[][][] {m.normal(), m.anomalous()} : new double[][][] {m.normal()}) {
                for (int k = 0; k < 4; k++) {
                    h.raw("<td>" + sci(s[j][k]) + "</td>");
                }
            }
            h.raw("</tr>");
        }
        h.raw("</table></div>");
    }

    private static void trainingSection(Html h, ReportModel m) {
        ReportInput in = m.in();
        Bundle b = in.bundle();
        h.tag("h2", "Training");
        h.p(String.format(Locale.ROOT, "%d epochs, batch %d, Adam lr %s, patience %d, seed %d; %s; best epoch %d (validation loss %s). "
                        + "Threshold %s (%s); a row is an anomaly when its score is at or above it.",
                b.state().epochsDone(), b.config().batch(), Float.toString(b.config().lr()), b.config().patience(),
                b.config().seed(), b.stopReason(), b.state().bestEpoch(), num(b.state().bestValLoss()),
                sci(b.threshold()), b.policy()));
        h.p("Backend: " + (in.device() != null ? in.device() : "not recorded (report made after training)")
                + (in.samplesPerSecond() != null ? String.format(Locale.ROOT, "; %s samples/s", count(Math.round(in.samplesPerSecond()))) : "")
                + ". Training data: " + b.data().source() + ", fit " + count(b.data().fitRows()) + " rows, validation "
                + count(b.data().valRows()) + ".");
        ReportModel.LossCurve loss = m.loss();
        if (loss != null) {
            XYChart c = Charts.chart("Loss per epoch", "epoch", "mean " + b.spec().loss().id()
                    + (b.spec().variational() ? " + beta KL / d" : "") + " per row");
            c.getStyler().setXAxisDecimalPattern("0");
            Charts.line(c, "train", loss.epochs(), loss.train(), Charts.NORMAL);
            Charts.line(c, "validation", loss.epochs(), loss.validation(), Charts.ANOMALY);
            Charts.points(c, "best epoch", new double[] {b.state().bestEpoch()},
                    new double[] {loss.validation()[b.state().bestEpoch() - 1]}, Charts.BASELINE);
            h.img(Charts.png(c), "train and validation loss per epoch");
        }
    }

    private static void scoresSection(Html h, ReportModel m) {
        ReportInput in = m.in();
        EvalReport r = in.ae();
        Baseline base = m.baseline();
        double threshold = in.bundle().threshold();
        ReportModel.Histogram hist = m.histogram();
        h.tag("h2", "Scores");
        String what = in.bundle().knn() == null ? "Reconstruction error" : "Anomaly score (ae-knn)";
        XYChart hc = Charts.chart(r == null ? what : what + " by class",
                (in.bundle().knn() == null ? "reconstruction error" : "score") + " (log scale)",
                r == null ? "fraction of the rows" : "fraction of the class's rows");
        hc.getStyler().setXAxisLogarithmic(true);
        double[] raw = new double[hist.centers().length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = Math.pow(10, hist.centers()[i]);
        }
        // normal first, anomalous over it, both translucent; the threshold in the axis's own units
        Charts.steps(hc, (r == null ? "all rows (" : "normal (") + count(hist.normals()) + ")", raw, hist.normalFraction(),
                Charts.NORMAL);
        if (r != null) {
            Charts.steps(hc, "anomalous (" + count(hist.anomalies()) + ")", raw, hist.anomalyFraction(), Charts.ANOMALY);
        }
        double t = Math.max(threshold, 1e-12);
        Charts.line(hc, "threshold " + sci(threshold), new double[] {t, t}, new double[] {0, hist.maxFraction()},
                Charts.BASELINE);
        double seedRule = in.data().image() != null && in.bundle().policy().kind() != ThresholdPolicy.Kind.MEAN_STD
                ? meanPlusSigma(in) : Double.NaN;
        if (seedRule > 0) {
            // the Keras image autoencoder's rule, beside whatever policy deployed the threshold
            Charts.line(hc, "mean + 1 sd of the normal scores " + sci(seedRule), new double[] {seedRule, seedRule},
                    new double[] {0, hist.maxFraction()}, Charts.ANOMALY);
        }
        h.img(Charts.png(hc), "histogram of the anomaly scores, with the threshold");
        if (hist.nonFinite() > 0) {
            h.p(String.format(Locale.ROOT, "%s rows have a score that is not a finite number (the network or the distance overflowed on "
                    + "inputs far outside what it was trained on): they are not drawn here, and they are flagged.",
                    count(hist.nonFinite())));
        }
        if (r == null) {
            h.p(String.format(Locale.ROOT, "%s of %s rows (%.2f %%) are at or above the threshold %s.", count(hist.flagged()),
                    count(in.errors().length), 100.0 * hist.flagged() / in.errors().length, sci(threshold)));
            return;
        }

        h.raw("<div class=\"grid\">");
        XYChart roc = Charts.chart("ROC", "false-positive rate (log scale)", "true-positive rate (recall)");
        XYChart pr = Charts.chart("Precision-recall", "recall", "precision");
        // the region that matters, a false-positive rate of 1 % and below, is most of a log axis
        double floor = 1.0 / Math.max(1, r.rows() - r.anomalies());
        roc.getStyler().setXAxisLogarithmic(true);
        roc.getStyler().setXAxisMin(floor);
        roc.getStyler().setXAxisMax(1.0);
        String name = in.bundle().knn() == null ? "autoencoder" : "autoencoder + kNN";
        curves(roc, pr, name, m.model(), r, Charts.ANOMALY, floor);
        if (base != null) {
            curves(roc, pr, "isolation forest", m.forest(), base.metrics(), Charts.BASELINE, floor);
        }
        double[] chance = new double[50];
        for (int i = 0; i < chance.length; i++) {
            chance[i] = floor * Math.pow(1 / floor, i / (chance.length - 1.0));
        }
        Charts.line(roc, "chance", chance, chance, new java.awt.Color(0xcbd5e0));
        marks(roc, pr, "deployed threshold", r.atThreshold(), floor, org.knowm.xchart.style.markers.SeriesMarkers.DIAMOND);
        marks(roc, pr, "best-F1 threshold", r.atBestF1(), floor, org.knowm.xchart.style.markers.SeriesMarkers.SQUARE);
        roc.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        roc.getStyler().setMarkerSize(9);
        pr.getStyler().setMarkerSize(9);
        pr.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        h.img(Charts.png(roc), "ROC curve");
        h.img(Charts.png(pr), "precision-recall curve");
        h.raw("</div>");

        h.raw("<table><tr><th class=\"l\">metric</th><th>" + name + "</th>" + (base != null ? "<th>isolation forest</th>" : "")
                + "</tr>");
        EvalReport bm = base == null ? null : base.metrics();
        metricRow(h, "ROC-AUC", r.rocAuc(), bm == null ? null : bm.rocAuc());
        metricRow(h, "PR-AUC (average precision)", r.prAuc(), bm == null ? null : bm.prAuc());
        metricRow(h, "best F1 (threshold on these labels)", r.bestF1(), bm == null ? null : bm.bestF1());
        metricRow(h, "recall at FPR 0.1 %", r.recallAtFpr001(), bm == null ? null : bm.recallAtFpr001());
        metricRow(h, "precision at the deployed threshold", r.atThreshold().precision(), bm == null ? null : bm.atThreshold().precision());
        metricRow(h, "recall at the deployed threshold", r.atThreshold().recall(), bm == null ? null : bm.atThreshold().recall());
        metricRow(h, "F1 at the deployed threshold", r.atThreshold().f1(), bm == null ? null : bm.atThreshold().f1());
        h.raw("</table>");

        h.raw("<div class=\"grid\">");
        confusion(h, "At the deployed threshold " + sci(r.threshold()) + " (" + in.bundle().policy() + ")", r.atThreshold());
        confusion(h, "At the best-F1 threshold " + sci(r.bestF1Threshold()), r.atBestF1());
        h.raw("</div>");
    }

    private static void curves(XYChart roc, XYChart pr, String name, ReportModel.CurvePoints c, EvalReport r,
                               java.awt.Color color, double floor) {
        double[] fpr = c.fpr().clone();
        for (int i = 0; i < fpr.length; i++) {
            fpr[i] = Math.max(fpr[i], floor); // a log axis has no 0: no false positives is drawn at its left edge
        }
        Charts.line(roc, String.format(Locale.ROOT, "%s (AUC %s)", name, num(r.rocAuc())), fpr, c.tpr(), color);
        Charts.line(pr, String.format(Locale.ROOT, "%s (AP %s)", name, num(r.prAuc())), c.recall(), c.precision(), color);
    }

    /** A threshold's point on the ROC and PR curves, from its confusion matrix. */
    private static void marks(XYChart roc, XYChart pr, String name, Confusion c, double floor,
                              org.knowm.xchart.style.markers.Marker marker) {
        double fpr = c.fp() + c.tn() == 0 ? 0 : (double) c.fp() / (c.fp() + c.tn());
        Charts.mark(roc, name, Math.max(fpr, floor), c.recall(), java.awt.Color.BLACK, marker);
        Charts.mark(pr, name, c.recall(), c.precision(), java.awt.Color.BLACK, marker);
    }

    private static void metricRow(Html h, String name, double ae, Double base) {
        h.raw("<tr><td class=\"l\">" + name + "</td><td>" + num(ae) + "</td>" + (base != null ? "<td>" + num(base) + "</td>" : "") + "</tr>");
    }

    private static void confusion(Html h, String title, Confusion c) {
        h.raw("<table><tr><th class=\"l\" colspan=\"3\">" + Html.esc(title) + "</th></tr>"
                + "<tr><th></th><th>flagged normal</th><th>flagged anomaly</th></tr>"
                + "<tr><th class=\"l\">normal</th><td>" + count(c.tn()) + "</td><td>" + count(c.fp()) + "</td></tr>"
                + "<tr><th class=\"l\">anomaly</th><td>" + count(c.fn()) + "</td><td>" + count(c.tp()) + "</td></tr>"
                + String.format(Locale.ROOT, "<tr><td class=\"l\" colspan=\"3\">precision %s, recall %s, F1 %s, %s flagged</td></tr></table>",
                num(c.precision()), num(c.recall()), num(c.f1()), count(c.flagged())));
    }

    /** Image models: inputs beside reconstructions, where flagged images differ, samples, the latent map. */
    private static void imagesSection(Html h, ReportModel m) {
        ReportModel.Images im = m.images();
        if (im == null) {
            return;
        }
        h.raw("<section id=\"images\">");
        h.tag("h2", "Images");
        h.p("Top row: the input; bottom row: the model's reconstruction (" + im.shape() + ", each pixel drawn 3 "
                + "times as wide). A well-reconstructed image is one the model knows.");
        h.tag("h3", "Most normal (lowest scores)");
        h.img(grid(pairs(im.normal(), im.normalRecon()), im, false, 1f), "the lowest-scored images and their reconstructions");
        h.tag("h3", "Most anomalous (highest scores)");
        h.img(grid(pairs(im.anomalous(), im.anomalousRecon()), im, false, 1f),
                "the highest-scored images and their reconstructions");
        if (!im.errorMaps().isEmpty()) {
            h.tag("h3", "Where the flagged images differ");
            h.p("Per-pixel |reconstruction − input| of the flagged images above, black 0, red half, yellow "
                    + num(im.errorMax()) + " (the largest): the parts the model could not reconstruct.");
            h.img(grid(im.errorMaps(), im, true, im.errorMax()), "per-pixel reconstruction error of the flagged images");
        }
        if (!im.samples().isEmpty()) {
            h.tag("h3", "Samples");
            h.p(im.samples().size() + " new images from the VAE: latent codes drawn from its standard normal prior "
                    + "(seed " + m.in().bundle().config().seed() + "), decoded (recon sample draws more).");
            h.img(grid(im.samples(), im, false, 1f), "images sampled from the variational autoencoder");
        }
        if (!im.latentMap().isEmpty()) {
            h.tag("h3", "Latent map");
            h.p("The decoder across its 2-D latent space: a " + im.mapSize() + " × " + im.mapSize() + " grid of codes ("
                    + (m.in().bundle().spec().variational() ? "−2.5 to 2.5 in each dimension, the prior's bulk"
                    : "spanning the evaluated images' codes") + "), each decoded.");
            h.img(ImageGrid.dataUri(ImageGrid.grid(im.latentMap(), im.shape(), im.mapSize(), 2, false, 1f)),
                    "images decoded across the latent space");
        }
        h.raw("</section>");
    }

    /** Mean + one standard deviation of the finite scores of the normal evaluated rows (all rows without labels). */
    private static double meanPlusSigma(ReportInput in) {
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (int i = 0; i < in.errors().length; i++) {
            double e = in.errors()[i];
            if ((in.labels() == null || !in.labels()[i]) && Double.isFinite(e)) {
                sum += e;
                sq += e * e;
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double mean = sum / n;
        return mean + Math.sqrt(Math.max(0, sq / n - mean * mean));
    }

    /** Inputs in the first row, their reconstructions in the second. */
    private static List<float[]> pairs(List<float[]> inputs, List<float[]> recon) {
        List<float[]> out = new ArrayList<>(inputs);
        out.addAll(recon);
        return out;
    }

    private static String grid(List<float[]> tiles, ReportModel.Images im, boolean heat, float max) {
        int cols = Math.max(1, Math.min(ReportModel.IMAGE_ROW, tiles.size()));
        return ImageGrid.dataUri(ImageGrid.grid(tiles, im.shape(), cols, 3, heat, max));
    }

    private static void explainSection(Html h, ReportModel m) {
        h.tag("h2", "Top flagged rows");
        List<ReportModel.FlaggedRow> rows = m.flagged();
        boolean labelled = m.in().labels() != null;
        if (rows.isEmpty()) {
            h.p("No evaluated row is at or above the threshold " + sci(m.in().bundle().threshold()) + ".");
            return;
        }
        h.p("The " + rows.size() + " flagged rows with the largest anomaly score, and the features the autoencoder failed to "
                + "reconstruct (each feature's share of the row's reconstruction error, in standardised units).");
        h.raw("<div class=\"scroll\"><table><tr><th>data row</th>" + (labelled ? "<th>label</th>" : "")
                + "<th>score</th><th class=\"l\">top features (share of the error)</th></tr>");
        for (ReportModel.FlaggedRow row : rows) {
            StringBuilder sb = new StringBuilder();
            for (Contribution c : row.top()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(Html.esc(c.feature()))
                        .append(String.format(Locale.ROOT, " %.0f %%", 100 * c.share()));
            }
            h.raw("<tr><td>" + row.dataRow() + "</td>" + (labelled ? "<td>" + row.label() + "</td>" : "") + "<td>"
                    + sci(row.score()) + "</td><td class=\"l\">" + sb + "</td></tr>");
        }
        h.raw("</table></div>");
    }

    private static void latentSection(Html h, ReportModel m) {
        h.tag("h2", "Latent space");
        ReportModel.Latent l = m.latent();
        XYChart c = scatter(m, "Latent codes, first two principal components", "PC", l.normals(), l.anomalies(),
                " shown)");
        h.p("PCA of the " + l.dimensions() + "-dimensional latent codes of the evaluated rows (all anomalies, if labelled, and "
                + (l.stride() == 1 ? "every normal row" : "one in " + l.stride() + " normal rows") + ").");
        h.img(Charts.png(c), "latent space projected on its first two principal components");
        if (l.tsneNormals() != null) {
            XYChart t = scatter(m, "Latent codes, t-SNE", "t-SNE", l.tsneNormals(), l.tsneAnomalies(), ")");
            h.p(String.format(Locale.ROOT, "Barnes-Hut t-SNE (perplexity 30, 750 iterations, seed %d) of %s of those "
                    + "codes, every kind of row in its share, in %.1f s; distances between far-apart groups mean "
                    + "little in t-SNE, neighbourhoods do. --tsne ROWS sets how many (0: none).",
                    m.in().bundle().config().seed(), count(l.tsneNormals().size() + l.tsneAnomalies().size()),
                    l.tsneSeconds()));
            h.img(Charts.png(t), "latent space embedded by t-SNE");
        }
    }

    /** Normal points first and translucent, so that the anomalies drawn over them stay visible. */
    private static XYChart scatter(ReportModel m, String title, String axis, List<double[]> normals,
                                   List<double[]> anomalies, String countEnd) {
        XYChart c = Charts.chart(title, axis + " 1", axis + " 2");
        if (!normals.isEmpty()) {
            Charts.points(c, (m.in().labels() == null ? "rows (" : "normal (") + count(normals.size()) + countEnd,
                    col(normals, 0), col(normals, 1), Charts.translucent(Charts.NORMAL, 0x40));
        }
        if (!anomalies.isEmpty()) {
            Charts.points(c, "anomalous (" + count(anomalies.size()) + ")", col(anomalies, 0), col(anomalies, 1),
                    Charts.translucent(Charts.ANOMALY, 0xB0));
        }
        return c;
    }

    private static double[] col(List<double[]> l, int j) {
        return l.stream().mapToDouble(a -> a[j]).toArray();
    }

    private static void baselineSection(Html h, ReportModel m) {
        ReportInput in = m.in();
        Baseline base = m.baseline();
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
                        + "table above, beside the autoencoder's.", Baseline.IFOREST_TREES, Baseline.IFOREST_SAMPLE,
                count(in.trainRows().length), in.bundle().config().seed(), count(in.evalRows().length),
                in.bundle().policy(), sci(base.threshold())));
        confusion(h, "Isolation Forest at its threshold " + sci(base.threshold()), base.metrics().atThreshold());
    }
}
