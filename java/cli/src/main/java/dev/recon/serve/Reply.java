package dev.recon.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.score.Contribution;
import dev.recon.score.ScoreCsv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An answer, made before it is sent: status, content type and body. */
record Reply(int status, String type, byte[] body) {
    static final String JSON_TYPE = "application/json";
    static final String CSV_TYPE = "text/csv";
    static final ObjectMapper JSON = new ObjectMapper();
    /** Scores are written with Jackson's shortest-representation double writer, which is the faster one. */
    private static final JsonFactory JSON_OUT = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    /** A JSON answer: an object, map or list. */
    static Reply json(int status, Object value) {
        try {
            return new Reply(status, JSON_TYPE, JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // never: it writes to memory
        }
    }

    /** The error every refusal is: {@code {"status": N, "error": "...", "message": "..."}}. */
    static Reply error(int status, String message) {
        return json(status, fields("status", status, "error", reason(status), "message", message));
    }

    /** A JSON object with its fields in the order given: name, value, name, value, ... */
    static Map<String, Object> fields(Object... nameValue) {
        Map<String, Object> o = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            o.put((String) nameValue[i], nameValue[i + 1]);
        }
        return o;
    }

    /** Scores as JSON: the model, threshold and counts, then one result per row, in order. */
    static Reply scores(String model, double threshold, ServedModel.Scored s, int flagged) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + s.scores().length * 64);
        try (JsonGenerator g = JSON_OUT.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", model);
            g.writeNumberField("threshold", threshold);
            g.writeNumberField("rows", s.scores().length);
            g.writeNumberField("flagged", flagged);
            String t = Double.toString(threshold); // the same for every row: formatted once
            g.writeArrayFieldStart("results");
            for (int r = 0; r < s.scores().length; r++) {
                g.writeStartObject();
                double score = s.scores()[r];
                if (Double.isFinite(score)) {
                    g.writeNumberField("score", score);
                } else {
                    g.writeNullField("score");
                }
                g.writeBooleanField("anomaly", s.flags()[r]);
                g.writeFieldName("threshold");
                g.writeNumber(t);
                if (!Double.isFinite(score)) {
                    g.writeStringField("reason", "non-finite score");
                }
                if (s.top() != null) {
                    g.writeArrayFieldStart("top");
                    for (Contribution c : s.top()[r]) {
                        g.writeStartObject();
                        g.writeStringField("feature", c.feature());
                        g.writeNumberField("error", (float) c.error());
                        g.writeNumberField("share", (float) c.share());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Reply(200, JSON_TYPE, out.toByteArray());
    }

    /** Scores as {@code recon score}'s CSV. */
    static Reply csv(ServedModel.Scored s) {
        int k = s.top() == null || s.top().length == 0 ? 0 : s.top()[0].length;
        StringBuilder sb = new StringBuilder(ScoreCsv.header(k));
        for (int r = 0; r < s.scores().length; r++) {
            ScoreCsv.appendRow(sb, r + 1, s.scores()[r], s.flags()[r], s.top() == null ? null : List.of(s.top()[r]));
        }
        return new Reply(200, CSV_TYPE + "; charset=utf-8", sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "unauthorized";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "payload too large";
            case 415 -> "unsupported media type";
            case 422 -> "unprocessable entity";
            case 503 -> "service unavailable";
            default -> "internal server error";
        };
    }
}
