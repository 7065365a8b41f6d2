package dev.recon.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.recon.ReconException;
import dev.recon.data.CsvOptions;
import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.pipeline.Features;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request body turned into raw feature rows, (rows, features) row-major in the model's
 * feature order. JSON: {@code {"rows": [[v1, v2, ...], ...]}} or {@code {"rows": [{"V1": v1,
 * ...}, ...]}}; an object row must name every feature and nothing else. CSV: a header row, then
 * data rows; columns the model does not use are skipped, as {@code recon score} does.
 * Malformed JSON is a 400; rows that cannot be scored (wrong count, unknown or missing names,
 * values that are not finite numbers) are a 422; more than {@code maxRows} rows a 413.
 */
record RequestRows(float[] values, int rows) {
    private static final JsonFactory JSON = JsonFactory.builder()
            // NaN and Infinity are read, so that they are refused as values (422), not as syntax
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    static RequestRows json(byte[] body, int length, List<String> features, Map<String, Integer> index, int maxRows) {
        int d = features.size();
        float[] x = new float[d * 16];
        int rows = 0;
        try (JsonParser p = JSON.createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("the body must be a JSON object: {\"rows\": [[...], ...]}");
            }
            boolean sawRows = false;
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("rows")) {
                    throw ApiException.unprocessable("unknown field '" + field + "'; the body is {\"rows\": [...]}");
                }
                if (sawRows) {
                    throw ApiException.unprocessable("the field 'rows' appears twice");
                }
                sawRows = true;
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw ApiException.unprocessable("'rows' must be an array of rows");
                }
                for (JsonToken r = p.nextToken(); r != JsonToken.END_ARRAY; r = p.nextToken()) {
                    if (rows == maxRows) {
                        throw ApiException.tooLarge("more than " + maxRows + " rows in one request (the server's --max-rows)");
                    }
                    if ((rows + 1) * d > x.length) {
                        x = Arrays.copyOf(x, x.length * 2);
                    }
                    if (r == JsonToken.START_ARRAY) {
                        arrayRow(p, x, rows * d, rows, features);
                    } else if (r == JsonToken.START_OBJECT) {
                        objectRow(p, x, rows * d, rows, features, index);
                    } else {
                        throw ApiException.unprocessable("row " + rows + " must be an array of " + d
                                + " numbers or an object keyed by feature name, not " + describe(r));
                    }
                    rows++;
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw ApiException.badRequest("malformed JSON: text after the body's object");
            }
            if (!sawRows) {
                throw ApiException.unprocessable("no field 'rows'; the body is {\"rows\": [[v1, v2, ...], ...]}");
            }
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage().strip().split("\n")[0].replaceAll("\\[Source: [^]]*]; ", "");
            // a limit (nesting depth, number length) is reported without a location
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw ApiException.badRequest("malformed JSON: " + why
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the body: " + e.getMessage()); // never: it is in memory
        }
        if (rows == 0) {
            throw ApiException.unprocessable("'rows' is empty");
        }
        return new RequestRows(x, rows);
    }

    private static void arrayRow(JsonParser p, float[] x, int off, int row, List<String> features) throws IOException {
        int d = features.size();
        int j = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (j == d) {
                throw wrongCount(row, features, p);
            }
            x[off + j] = value(p, t, row, features.get(j));
            j++;
        }
        if (j != d) {
            throw ApiException.unprocessable("row " + row + " has " + j + " values; the model expects " + d + " ("
                    + String.join(", ", features) + ")");
        }
    }

    private static ApiException wrongCount(int row, List<String> features, JsonParser p) throws IOException {
        int n = features.size() + 1;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
            p.skipChildren();
            n++;
        }
        return ApiException.unprocessable("row " + row + " has " + n + " values; the model expects " + features.size()
                + " (" + String.join(", ", features) + ")");
    }

    private static void objectRow(JsonParser p, float[] x, int off, int row, List<String> features,
                                  Map<String, Integer> index) throws IOException {
        int d = features.size();
        boolean[] seen = new boolean[d];
        int n = 0;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            Integer j = index.get(name);
            if (j == null) {
                throw ApiException.unprocessable("row " + row + ": unknown feature '" + name + "'; the model expects "
                        + String.join(", ", features));
            }
            if (seen[j]) {
                throw ApiException.unprocessable("row " + row + ": feature '" + name + "' appears twice");
            }
            seen[j] = true;
            n++;
            x[off + j] = value(p, p.nextToken(), row, name);
        }
        if (n != d) {
            StringBuilder missing = new StringBuilder();
            for (int j = 0; j < d; j++) {
                if (!seen[j]) {
                    missing.append(missing.length() == 0 ? "" : ", ").append(features.get(j));
                }
            }
            throw ApiException.unprocessable("row " + row + ": missing " + (d - n) + " feature" + (d - n == 1 ? "" : "s")
                    + " (" + missing + "); the model expects " + String.join(", ", features));
        }
    }

    private static float value(JsonParser p, JsonToken t, int row, String feature) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            p.skipChildren();
            throw ApiException.unprocessable("row " + row + ", feature " + feature + ": expected a number, not "
                    + describe(t));
        }
        float v = (float) p.getDoubleValue();
        if (!Float.isFinite(v)) {
            throw ApiException.unprocessable("row " + row + ", feature " + feature + ": " + p.getText()
                    + " is not a finite 32-bit number");
        }
        return v;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> String.valueOf(t);
        };
    }

    /** A CSV body with a header row; its errors name the line and column, as "request body:LINE:COL". */
    static RequestRows csv(byte[] body, int length, List<String> features, int maxRows) {
        String name = "request body";
        try {
            List<String> header = CsvReader.header(name, body, length);
            List<String> missing = Features.absent(header, features);
            if (!missing.isEmpty()) {
                throw ApiException.unprocessable(name + ": no column" + (missing.size() == 1 ? " " : "s ")
                        + String.join(", ", missing) + "; the model expects " + String.join(", ", features));
            }
            List<String> skip = Features.extras(name, header, features);
            Dataset ds = CsvReader.read(name, body, length, CsvOptions.featuresOnly(skip));
            if (ds.rows() > maxRows) {
                throw ApiException.tooLarge(ds.rows() + " rows in one request; the server takes at most " + maxRows
                        + " (its --max-rows)");
            }
            return new RequestRows(Features.select(ds, features), ds.rows());
        } catch (ReconException e) {
            throw ApiException.unprocessable(e.getMessage());
        }
    }

    /** Feature name to column, for object rows. */
    static Map<String, Integer> index(List<String> features) {
        Map<String, Integer> m = new HashMap<>();
        for (int j = 0; j < features.size(); j++) {
            m.put(features.get(j), j);
        }
        return Map.copyOf(m);
    }
}
