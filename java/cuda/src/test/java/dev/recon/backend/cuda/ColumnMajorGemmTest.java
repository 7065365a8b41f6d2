package dev.recon.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recon.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The row-major to column-major mapping, in plain Java: running the mapped call through a
 * column-major reference SGEMM (cuBLAS's conventions) on the row-major buffers must give the
 * row-major product.
 */
class ColumnMajorGemmTest {

    /** cublasSgemm's semantics: column-major, element (i, j) of X at X[i + j * ld]. */
    static void referenceSgemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int lda, float[] b,
                               int ldb, float beta, float[] c, int ldc) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[p + i * lda] : a[i + p * lda];
                    double y = tb ? b[j + p * ldb] : b[p + j * ldb];
                    s += x * y;
                }
                c[i + j * ldc] = (float) (alpha * s + (beta == 0 ? 0 : beta * c[i + j * ldc]));
            }
        }
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4}")
    @CsvSource({"false, false, 5, 3, 4", "false, true, 5, 3, 4", "true, false, 5, 3, 4", "true, true, 5, 3, 4",
        "false, true, 256, 64, 30", "true, false, 30, 128, 256", "false, false, 1, 7, 2", "true, true, 9, 1, 1"})
    void mappedCallComputesTheRowMajorProduct(boolean transA, boolean transB, int m, int n, int k) {
        Rng rng = new Rng(m * 131L + n * 17L + k);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rng.nextGaussian();
        }
        float[] c = new float[m * n];
        ColumnMajorGemm.Call call = ColumnMajorGemm.map(transA, transB, m, n, k);
        referenceSgemm(call.transFirst(), call.transSecond(), call.m(), call.n(), call.k(), 1f, b, call.ldFirst(), a,
                call.ldSecond(), 0f, c, call.ldc());
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[p * m + i] : a[i * k + p]; // row-major A (m, k) or (k, m)
                    double y = transB ? b[j * k + p] : b[p * n + j]; // row-major B (k, n) or (n, k)
                    s += x * y;
                }
                assertEquals(s, c[i * n + j], 1e-4, "C[" + i + "," + j + "]");
            }
        }
    }
}
