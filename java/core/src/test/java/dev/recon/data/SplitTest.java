package dev.recon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitTest {
    @Test
    void referenceProtocolSizesOnTheCreditCardSubsetShape() {
        // 17,399 normals + 492 frauds, as in ../shared/data/creditcard
        Dataset d = SyntheticData.creditCardShape(17_891, 492, 1);
        Split s = Split.of(d, 42);
        assertEquals(3480 + 492, s.test().length);
        assertEquals(1392, s.val().length);
        assertEquals(12_527, s.fit().length);
        Set<Integer> seen = new HashSet<>();
        for (int[] part : new int[][] {s.fit(), s.val(), s.test()}) {
            for (int r : part) {
                assertTrue(seen.add(r), "row in two parts: " + r);
            }
        }
        assertEquals(d.rows(), seen.size());
        for (int r : s.fit()) {
            assertFalse(d.isAnomaly(r));
        }
        for (int r : s.val()) {
            assertFalse(d.isAnomaly(r));
        }
        assertEquals(492, Arrays.stream(s.test()).filter(d::isAnomaly).count());
    }

    @Test
    void fullFileSizes() {
        // the reference's published test set: 56,863 normals + 492 frauds
        Dataset d = SyntheticData.creditCardShape(284_807, 492, 1);
        assertEquals(56_863 + 492, Split.of(d, 0).test().length);
    }

    @Test
    void seededAndDeterministic() {
        Dataset d = SyntheticData.generate(5, 1000, 50, 3);
        assertArrayEquals(Split.of(d, 7).fit(), Split.of(d, 7).fit());
        assertNotEquals(Arrays.toString(Split.of(d, 7).fit()), Arrays.toString(Split.of(d, 8).fit()));
    }

    @Test
    void unlabelledDataTrainsOnEveryRow() {
        Dataset l = SyntheticData.generate(4, 500, 0, 3);
        Dataset d = new Dataset("u", l.featureNames(), l.values(), l.rows(), null, null, false);
        Split s = Split.of(d, 1);
        assertEquals(0, s.test().length);
        assertEquals(50, s.val().length);
        assertEquals(450, s.fit().length);
    }
}
