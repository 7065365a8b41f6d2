package dev.recon.data;

import dev.recon.Rng;
import java.util.Arrays;

/**
 * The reference project's protocol: train on normal rows only. The normals are shuffled with
 * the seed; 20 % of them (rounded up, as scikit-learn's {@code train_test_split} does) join
 * every anomaly in the test set; of the remaining 80 %, 10 % (rounded up) is the validation set
 * for early stopping and the threshold, the rest is fitted. Without labels every row is normal
 * and there is no test set.
 *
 * @param fit   rows the optimizer sees
 * @param val   normal rows held out for early stopping and threshold choice
 * @param test  held-out normals, then every anomaly; empty without labels
 */
public record Split(int[] fit, int[] val, int[] test) {
    public static final double TEST_FRACTION = 0.2;
    public static final double VAL_FRACTION = 0.1;

    public static Split of(Dataset data, long seed) {
        int n = data.rows();
        int normals = 0;
        for (int i = 0; i < n; i++) {
            normals += data.hasLabels() && data.isAnomaly(i) ? 0 : 1;
        }
        int[] normal = new int[normals];
        int[] anomalies = new int[n - normals];
        int a = 0;
        int b = 0;
        for (int i = 0; i < n; i++) {
            if (data.hasLabels() && data.isAnomaly(i)) {
                anomalies[b++] = i;
            } else {
                normal[a++] = i;
            }
        }
        Rng.derive(seed, 0x5_911L).shuffle(normal);
        int nTest = data.hasLabels() ? (int) Math.ceil(TEST_FRACTION * normals) : 0;
        int nTrain = normals - nTest;
        int nVal = (int) Math.ceil(VAL_FRACTION * nTrain);
        int[] test = new int[nTest + anomalies.length];
        System.arraycopy(normal, 0, test, 0, nTest);
        System.arraycopy(anomalies, 0, test, nTest, anomalies.length);
        int[] val = Arrays.copyOfRange(normal, nTest, nTest + nVal);
        int[] fit = Arrays.copyOfRange(normal, nTest + nVal, normals);
        return new Split(fit, val, test);
    }

    /** Training normals: the fitted rows and the validation rows (the scaler is fitted on these). */
    public int[] trainNormals() {
        int[] all = Arrays.copyOf(fit, fit.length + val.length);
        System.arraycopy(val, 0, all, fit.length, val.length);
        return all;
    }
}
