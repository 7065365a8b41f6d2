package dev.recon.report;

import dev.recon.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/** Writes DIR/report.html for a run, with or without the baseline. */
public final class ReportWriter {
    public static final String FILE_NAME = "report.html";

    private ReportWriter() {
    }

    /** What {@link #write} did: the baseline (or null), and why no report was written (or null). */
    public record Written(Baseline baseline, String notWritten) {
    }

    /**
     * Computes the baseline (when asked and possible), lets {@code metricsJson} turn the embedded
     * metrics into JSON, and writes the report atomically. Where this Java runtime cannot draw
     * charts (no fonts or font libraries: a bare server or container), no report is written and
     * the reason is returned; the model and the metrics do not depend on it.
     */
    /** The most rows the t-SNE view embeds. */
    public static final int MAX_TSNE_ROWS = 10_000;
    /** The t-SNE view's rows unless the user says otherwise: under two seconds on two cores. */
    public static final int DEFAULT_TSNE_ROWS = 1_000;

    /** What the report draws beside the model: the Isolation Forest baseline, and up to tsneRows rows in t-SNE. */
    public record Options(boolean baseline, int tsneRows) {
    }

    public static Written write(Path dir, ReportInput in, Options options,
                                Function<Map<String, Object>, String> metricsJson) {
        System.setProperty("java.awt.headless", "true");
        Baseline b = options.baseline() ? Baseline.fit(in) : null;
        String html;
        try {
            html = ReportHtml.render(ReportModel.compute(in, b, options.tsneRows()),
                    metricsJson.apply(ReportModel.embeddedMetrics(in, b)));
        } catch (LinkageError | java.awt.AWTError | InternalError e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
            return new Written(b, "this Java runtime cannot draw the charts (" + why + ")");
        }
        AtomicFiles.write(dir.resolve(FILE_NAME), html.getBytes(StandardCharsets.UTF_8));
        return new Written(b, null);
    }
}
