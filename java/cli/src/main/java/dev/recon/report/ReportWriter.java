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

    /**
     * Computes the baseline (when asked and possible), lets {@code metricsJson} turn the embedded
     * metrics into JSON, and writes the report atomically. Returns the baseline, or null.
     */
    public static Report.Baseline write(Path dir, ReportInput in, boolean withBaseline,
                                        Function<Map<String, Object>, String> metricsJson) {
        System.setProperty("java.awt.headless", "true");
        Report.Baseline b = withBaseline ? Report.baseline(in) : null;
        String html = Report.html(in, b, metricsJson.apply(Report.embeddedMetrics(in, b)));
        AtomicFiles.write(dir.resolve(FILE_NAME), html.getBytes(StandardCharsets.UTF_8));
        return b;
    }
}
