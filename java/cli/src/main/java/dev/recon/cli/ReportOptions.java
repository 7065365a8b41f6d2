package dev.recon.cli;

import dev.recon.report.ReportWriter;
import picocli.CommandLine.Option;

/** What report.html draws beside the model: the baseline, and the t-SNE view of the latent codes. */
final class ReportOptions {
    @Option(names = "--baseline", paramLabel = "iforest|none", defaultValue = "iforest",
            description = "Baseline fitted on the same training rows and shown beside the autoencoder in report.html "
                    + "and metrics.json (default: ${DEFAULT-VALUE}).")
    String baseline;

    @Option(names = "--tsne", paramLabel = "ROWS",
            description = "Latent codes of at most this many evaluated rows in the report's t-SNE view (Barnes-Hut, "
                    + "seeded), 0 for none, at most 10000 (default: 1000; 0 for demo).")
    Integer tsne;

    boolean enabled() {
        if (!baseline.equals("iforest") && !baseline.equals("none")) {
            throw new IllegalArgumentException("--baseline: expected iforest or none, got '" + baseline + "'");
        }
        return baseline.equals("iforest");
    }

    /** The report's options, with {@code defaultTsne} rows where --tsne is not given. */
    ReportWriter.Options options(int defaultTsne) {
        int rows = tsne != null ? tsne : defaultTsne;
        if (rows < 0 || rows > ReportWriter.MAX_TSNE_ROWS) {
            throw new IllegalArgumentException("--tsne: expected 0 to " + ReportWriter.MAX_TSNE_ROWS + " rows, got " + rows);
        }
        return new ReportWriter.Options(enabled(), rows);
    }
}
