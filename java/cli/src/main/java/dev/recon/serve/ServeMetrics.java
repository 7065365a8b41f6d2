package dev.recon.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The server's Prometheus metrics, in a registry of its own (not the library's global one, so
 * that two servers in one JVM, as in the tests, count apart).
 */
final class ServeMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests = Counter.builder().name("recon_http_requests_total")
            .help("HTTP requests by endpoint and status code").labelNames("endpoint", "status").register(registry);
    private final Histogram latency = Histogram.builder().name("recon_http_request_duration_seconds")
            .help("Time from the request's arrival at a worker to its answer being ready to send, by endpoint")
            .labelNames("endpoint").classicOnly()
            .classicUpperBounds(0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
    private final Counter rowsScored = Counter.builder().name("recon_rows_scored_total")
            .help("Rows scored").register(registry);
    private final Counter rowsFlagged = Counter.builder().name("recon_rows_flagged_total")
            .help("Rows flagged as anomalies (a score that is not a finite number included)").register(registry);
    private final Counter reloads = Counter.builder().name("recon_model_reloads_total")
            .help("Model reloads by result").labelNames("result").register(registry);
    private final Gauge generation = Gauge.builder().name("recon_model_generation")
            .help("1 for the model loaded at start, plus one per successful reload").register(registry);
    private final Info model = Info.builder().name("recon_model_info")
            .help("The model being served").labelNames("sha256", "detector", "features", "engine_version")
            .register(registry);

    void request(String endpoint, int status, long nanos) {
        requests.labelValues(endpoint, Integer.toString(status)).inc();
        latency.labelValues(endpoint).observe(nanos / 1e9);
    }

    void scored(int rows, int flagged) {
        rowsScored.inc(rows);
        rowsFlagged.inc(flagged);
    }

    void reload(boolean ok) {
        reloads.labelValues(ok ? "ok" : "failed").inc();
    }

    void serving(ServedModel m, long gen) {
        model.setLabelValues(m.sha256(), m.bundle().detector().id(), Integer.toString(m.features().size()),
                m.bundle().engineVersion());
        generation.set(gen);
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // never: it writes to memory
        }
        return out.toByteArray();
    }
}
