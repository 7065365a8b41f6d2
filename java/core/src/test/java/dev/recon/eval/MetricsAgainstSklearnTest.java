package dev.recon.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rung 6: every metric against scikit-learn on stored inputs. The fixture and the script that
 * made it are in src/test/resources/fixtures (make_metrics_fixtures.py).
 */
class MetricsAgainstSklearnTest {

    static List<JsonNode> cases() throws IOException {
        try (InputStream in = MetricsAgainstSklearnTest.class.getResourceAsStream("/fixtures/metrics_sklearn.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<JsonNode> out = new ArrayList<>();
            root.get("cases").forEach(out::add);
            return out;
        }
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void matchesSklearn(JsonNode c) {
        double[] s = new double[c.get("scores").size()];
        boolean[] y = new boolean[s.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = c.get("scores").get(i).asDouble();
            y[i] = c.get("labels").get(i).asInt() == 1;
        }
        double thr = c.get("threshold").asDouble();
        EvalReport r = EvalReport.of(s, y, thr);
        String name = c.get("name").asText();
        assertEquals(c.get("roc_auc").asDouble(), r.rocAuc(), 1e-12, name + " roc_auc");
        assertEquals(c.get("pr_auc").asDouble(), r.prAuc(), 1e-12, name + " pr_auc");
        assertEquals(c.get("best_f1").asDouble(), r.bestF1(), 1e-12, name + " best_f1");
        assertEquals(c.get("best_f1_threshold").asDouble(), r.bestF1Threshold(), 0, name + " best_f1_threshold");
        assertEquals(c.get("recall_at_fpr_0_001").asDouble(), r.recallAtFpr001(), 1e-12, name + " recall@fpr");
        JsonNode cm = c.get("confusion");
        assertArrayEquals(new long[] {cm.get(0).get(0).asLong(), cm.get(0).get(1).asLong()}, r.atThreshold().matrix()[0]);
        assertArrayEquals(new long[] {cm.get(1).get(0).asLong(), cm.get(1).get(1).asLong()}, r.atThreshold().matrix()[1]);

        List<Double> normals = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            if (!y[i]) {
                normals.add(s[i]);
            }
        }
        double[] n = normals.stream().mapToDouble(Double::doubleValue).toArray();
        assertEquals(c.get("quantile_0_995").asDouble(), ThresholdPolicy.quantile(n, 0.995), 1e-12, name + " q99.5");
        assertEquals(c.get("quantile_0_9").asDouble(), ThresholdPolicy.quantile(n, 0.9), 1e-12, name + " q90");
    }
}
