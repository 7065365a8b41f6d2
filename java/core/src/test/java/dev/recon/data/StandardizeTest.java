package dev.recon.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StandardizeTest {

    @Test
    void theVectorLoopGivesThePlainLoopsBitsForEveryWidthAndTail() {
        Random rnd = new Random(3);
        for (int d = 1; d <= 41; d++) {
            for (int rows : new int[] {0, 1, 3, 7, 8, 9, 33, 250}) {
                float[] x = new float[rows * d + 5];
                for (int i = 0; i < x.length; i++) {
                    // wide magnitudes, as in the Time and Amount columns, and a few exact zeros
                    x[i] = i % 11 == 0 ? 0f : (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 2));
                }
                double[] mean = new double[d];
                double[] scale = new double[d];
                for (int j = 0; j < d; j++) {
                    mean[j] = rnd.nextGaussian() * 100;
                    scale[j] = j == 0 ? 1.0 : Math.abs(rnd.nextGaussian()) * 50 + 1e-3;
                }
                StandardScaler sc = new StandardScaler(mean, scale);
                int usable = Math.max(0, rows - 1);
                float[] expected = new float[usable * d];
                for (int r = 0; r < usable; r++) {
                    for (int j = 0; j < d; j++) {
                        // the definition, element by element, from row 1 of x on
                        expected[r * d + j] = (float) ((x[(r + 1) * d + j] - mean[j]) / scale[j]);
                    }
                }
                int lanes = new VectorStandardize().lanes();
                double[] m = Standardize.repeated(mean, lanes);
                double[] s = Standardize.repeated(scale, lanes);
                float[] plain = new float[rows * d + 3];
                float[] vector = new float[rows * d + 3];
                new Standardize().rows(x, d, plain, 3, usable, d, m, s);
                new VectorStandardize().rows(x, d, vector, 3, usable, d, m, s);
                assertArrayEquals(plain, vector, "d " + d + ", rows " + usable);
                float[] viaScaler = new float[usable * d];
                sc.transform(x, 1, usable, viaScaler, 0);
                for (int i = 0; i < usable * d; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(viaScaler[i]),
                            "d " + d + ", element " + i);
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(plain[3 + i]));
                }
            }
        }
    }

    @Test
    void repeatedValuesFollowTheFeatures() {
        double[] r = Standardize.repeated(new double[] {1, 2, 3}, 16);
        assertEquals(48, r.length);
        for (int i = 0; i < r.length; i++) {
            assertEquals(1 + i % 3, r[i]);
        }
    }

    @Test
    void thePeriodIsTheLeastCommonMultipleWithSixteen() {
        assertEquals(16, Standardize.period(1, 16));
        assertEquals(240, Standardize.period(30, 16));
        assertEquals(16, Standardize.period(16, 16));
        assertEquals(48, Standardize.period(12, 16));
        assertEquals(496, Standardize.period(31, 16));
    }
}
