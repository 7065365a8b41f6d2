package dev.recon.backend.cuda;

/**
 * The one place that knows cuBLAS is column-major. A row-major matrix X (r, c) in memory is,
 * read column-major, its transpose X^T (c, r) with leading dimension c. So the row-major product
 * C = op(A) op(B), with C (m, n), op(A) (m, k), op(B) (k, n), is in column-major terms
 * C^T = op(B)^T op(A)^T, an (n, m) result with leading dimension n. The column-major view of B's
 * memory is B^T; it equals op(B)^T when B is not transposed (no cuBLAS transpose, ld = n) and
 * needs one when it is (B is (n, k) row-major: cuBLAS transposes, ld = k). Likewise for A, which
 * becomes the second operand (ld = k, or m when transposed). So: swap the operands, swap m and
 * n, keep each operand's transpose flag, and use the row lengths as leading dimensions.
 */
public final class ColumnMajorGemm {
    private ColumnMajorGemm() {
    }

    /**
     * A cublasSgemm call. The first operand is B's memory, the second A's, the result C's:
     * {@code cublasSgemm(transFirst, transSecond, m, n, k, alpha, B, ldFirst, A, ldSecond, beta, C, ldc)}.
     */
    public record Call(boolean transFirst, boolean transSecond, int m, int n, int k, int ldFirst, int ldSecond,
                       int ldc) {
    }

    /** Maps row-major C (m, n) = op(A) (m, k) op(B) (k, n) onto one column-major call. */
    public static Call map(boolean transA, boolean transB, int m, int n, int k) {
        return new Call(transB, transA, n, m, k, transB ? k : n, transA ? m : k, n);
    }
}
