package dev.recon.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.recon.Version;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The document of {@code GET /v1/model}: what is served, how it was trained, and a request to try. */
final class ModelInfo {
    private ModelInfo() {
    }

    static Map<String, Object> of(ServedModel m, long generation, String scoreUrl, boolean token) {
        Bundle b = m.bundle();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("server_version", Version.get());
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("path", m.file().toString());
        bundle.put("sha256", m.sha256());
        bundle.put("engine_version", b.engineVersion());
        bundle.put("loaded_at", m.loadedAt().toString());
        bundle.put("generation", generation);
        o.put("bundle", bundle);
        o.put("detector", BundleFormat.detector(b));
        o.put("features", b.featureNames());
        o.put("threshold", b.threshold());
        o.put("threshold_policy", b.policy().toString());
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", b.data());
        training.put("stop_reason", b.stopReason());
        training.put("metrics", b.metrics());
        o.put("training", training);
        o.put("sample_request", sampleRequest(m, scoreUrl + "?explain=3", token));
        return o;
    }

    /** A request that scores the training data's mean row, as a body and as a line to paste into a shell. */
    private static Map<String, Object> sampleRequest(ServedModel m, String url, boolean token) {
        Map<String, Object> body = Reply.fields("rows", List.of(m.typicalRow()));
        String json;
        try {
            json = Reply.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("method", "POST");
        r.put("url", url);
        r.put("content_type", Reply.JSON_TYPE);
        r.put("body", body);
        r.put("curl", "curl -s " + (token ? "-H \"Authorization: Bearer $(cat TOKEN_FILE)\" " : "")
                + "-H 'Content-Type: application/json' -d '" + json + "' '" + url + "'");
        return r;
    }
}
