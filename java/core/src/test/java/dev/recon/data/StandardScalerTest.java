package dev.recon.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StandardScalerTest {
    @Test
    void populationStdAndConstantColumns() {
        float[] x = {1, 5, 100_000, 3, 5, 100_002, 5, 5, 100_004};
        Dataset d = new Dataset("t", List.of("a", "const", "big"), x, 3, null, null, false);
        StandardScaler s = StandardScaler.fit(d, new int[] {0, 1, 2});
        assertEquals(3, s.mean()[0], 1e-12);
        assertEquals(Math.sqrt(8.0 / 3), s.scale()[0], 1e-12);
        assertEquals(1.0, s.scale()[1], 0, "a constant column keeps scale 1");
        assertEquals(Math.sqrt(8.0 / 3), s.scale()[2], 1e-9, "large offsets do not lose the spread");
        float[] z = s.transform(x, 3);
        assertEquals(0f, z[1]);
        assertEquals(-1.2247449f, z[0], 1e-6);
        assertEquals(1.2247449f, z[8], 1e-6);
    }

    @Test
    void fitsOnlyTheGivenRows() {
        float[] x = {0, 2, 1000};
        Dataset d = new Dataset("t", List.of("a"), x, 3, null, null, false);
        StandardScaler s = StandardScaler.fit(d, new int[] {0, 1});
        assertEquals(1, s.mean()[0], 1e-12);
        assertEquals(1, s.scale()[0], 1e-12);
    }
}
