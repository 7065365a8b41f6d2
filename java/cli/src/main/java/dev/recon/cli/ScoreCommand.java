package dev.recon.cli;

import dev.recon.data.CsvOptions;
import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.io.AtomicFiles;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.pipeline.Features;
import dev.recon.report.Numbers;
import dev.recon.score.Detector;
import dev.recon.score.ScoreCsv;
import dev.recon.score.Scores;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recon score}: per-row errors, flags and the features to blame. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score every row of a CSV file with a model. Writes CSV: row (1-based data row), score (the "
                + "model's anomaly score: the combined score of ae-knn, the reconstruction error of ae), anomaly (1 "
                + "unless score < the model's threshold: a row whose score is not a finite number is flagged), with "
                + "--explain K the K features with the largest reconstruction error and their share of it, and reason "
                + "(empty, or why a row is flagged without a finite score)."})
final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "BUNDLE", required = true, description = "Model bundle, or a run folder holding model.recon.")
    Path model;

    @Option(names = "--data", paramLabel = "FILE", required = true,
            description = "CSV file with the model's feature columns (others, and the label column, are ignored).")
    Path data;

    @Option(names = "--out", paramLabel = "FILE", description = "Output CSV (default: stdout).")
    Path out;

    @Option(names = "--explain", paramLabel = "K", defaultValue = "0", description = "Top-K features per row (default: ${DEFAULT-VALUE}).")
    int explain;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        if (explain < 0) {
            throw new IllegalArgumentException("--explain must be 0 or more, got " + explain);
        }
        Bundle b = BundleFormat.read(model);
        // read only the model's columns: labels, identifiers and other extras are skipped
        Dataset ds;
        if (DataFiles.isImages(data)) {
            ds = DataFiles.images(data, null, null);
        } else {
            List<String> skip = Features.extras(data.toString(), CsvReader.header(data), b.featureNames());
            ds = CsvReader.read(data, CsvOptions.featuresOnly(skip));
        }
        int k = Math.min(explain, b.featureNames().size());
        float[] raw = Features.select(ds, b.featureNames());
        Scores s;
        try (Detector det = Detector.of(b, new dev.recon.backend.cpu.CpuBackend(dev.recon.backend.Backends.defaultThreads()))) {
            s = det.score(raw, ds.rows());
            if (out != null) {
                final Detector d = det;
                final Scores sc = s;
                AtomicFiles.write(out, o -> write(o, d, sc, k));
            } else {
                write(System.out, det, s, k);
                System.out.flush();
            }
        }
        if (out != null && !common.quiet) {
            System.err.printf(Locale.ROOT, "recon score: %,d rows, %,d flagged (threshold %s)%s; wrote %s%n", s.rows(),
                    s.flagged(), Numbers.sci(b.threshold()), s.nonFinite() == 0 ? ""
                            : String.format(Locale.ROOT, ", %,d of them with a score that is not a finite number",
                                    s.nonFinite()), out);
        } else if (s.nonFinite() > 0 && !common.quiet) {
            System.err.printf(Locale.ROOT, "recon score: %,d rows flagged with a score that is not a finite number%n",
                    s.nonFinite());
        }
        return ExitCodes.OK;
    }

    private static void write(OutputStream os, Detector det, Scores s, int k) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
        w.write(ScoreCsv.header(k));
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < s.rows(); r++) {
            sb.setLength(0);
            ScoreCsv.appendRow(sb, r + 1, s.errors()[r], s.anomalies()[r],
                    k > 0 ? det.topFeatures(s.featureErrors()[r], k) : null);
            w.write(sb.toString());
        }
        w.flush();
    }
}
