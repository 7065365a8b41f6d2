package dev.recon.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TransposesTest {

    private static void assertTransposeOf(float[] b, int off, int n, int k, float[] t) {
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) {
                assertEquals(Float.floatToRawIntBits(b[off + j * k + p]), Float.floatToRawIntBits(t[p * n + j]),
                        "element (" + j + ", " + p + ")");
            }
        }
    }

    @Test
    void aCopyIsReusedOnlyWhileItsSourceIsUnchanged() {
        Transposes cache = new Transposes();
        float[] w = new float[3 + 5 * 7];
        for (int i = 0; i < w.length; i++) {
            w[i] = i * 0.5f - 4f;
        }
        float[] first = cache.of(w, 3, 5, 7);
        assertTransposeOf(w, 3, 5, 7, first);
        assertEquals(first, cache.of(w, 3, 5, 7), "unchanged weights: the same copy");

        // an optimizer step changes one weight, or only its sign bit (0 to -0)
        w[3 + 2 * 7 + 4] += 1f;
        assertTransposeOf(w, 3, 5, 7, cache.of(w, 3, 5, 7));
        w[3] = 0f;
        cache.of(w, 3, 5, 7);
        w[3] = -0f;
        assertTransposeOf(w, 3, 5, 7, cache.of(w, 3, 5, 7));
    }

    @Test
    void layersAtOtherOffsetsOrShapesGetTheirOwnCopies() {
        Transposes cache = new Transposes();
        float[] params = new float[200];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) Math.sin(i);
        }
        // more layers than the cache holds, in turn, twice: every answer must still be right
        for (int round = 0; round < 2; round++) {
            for (int layer = 0; layer < 20; layer++) {
                int n = 2 + layer % 5;
                int k = 3 + layer % 4;
                assertTransposeOf(params, layer * 7, n, k, cache.of(params, layer * 7, n, k));
            }
        }
        assertTransposeOf(params, 0, 4, 6, cache.of(params, 0, 4, 6));
        assertTransposeOf(params, 0, 6, 4, cache.of(params, 0, 6, 4));
    }
}
