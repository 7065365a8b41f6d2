package dev.recon.backend.cpu;

import dev.recon.model.Objective;

/**
 * The inner loops of the CPU backend. Two implementations compute bit-identical results:
 * {@link VectorKernels} with the JDK's Vector API (register-blocked, FMA) and
 * {@link ScalarKernels}, the plain-Java fallback where the incubator module is absent. Every
 * GEMM element is one fused-multiply-add chain over k in order, whatever the blocking, the
 * vector width or the thread that computes it; elementwise operations are the same IEEE
 * operations in the same order in both.
 */
interface Kernels {
    /**
     * Rows [r0, r1) of C = alpha * op(A) B + beta * C; with alpha = beta = 1 every element's FMA
     * chain continues from C's value (accumulation). C is (m, n); op(A) is (m, k), with A
     * (m, k) or, when transA, (k, m); B is (k, n) row-major. {@code scratch} is the calling
     * thread's own, at least {@link #scratchSize()} floats.
     */
    void gemm(float[] c, int cOff, float[] a, int aOff, boolean transA, float[] b, int bOff, int m, int n, int k,
              float alpha, float beta, int r0, int r1, float[] scratch);

    /**
     * Rows [r0, r1) of a dense layer, C = act(A B + bias): C (m, n) and A (m, k) at offset 0, B
     * (k, n) at bOff, bias (n) at biasOff. The same bits as {@link #gemm} then
     * {@link #biasActivation}; an implementation may add the bias in registers.
     */
    default void dense(float[] c, float[] a, float[] b, int bOff, int m, int n, int k, float[] bias, int biasOff,
                       boolean relu, int r0, int r1, float[] scratch) {
        gemm(c, 0, a, 0, false, b, bOff, m, n, k, 1f, 0f, r0, r1, scratch);
        biasActivation(c, bias, biasOff, r0, r1, n, relu);
    }

    /**
     * Rows of C per register block for a GEMM {@code n} columns wide: where the rows are few,
     * each thread's chunk of them starts at a multiple of it, so that no chunk ends in rows the
     * kernels must do one at a time.
     */
    int rowBlock(int n);

    /** Floats of per-thread scratch space {@link #gemm} needs. */
    int scratchSize();

    /** y[r, j] = act(y[r, j] + b[bOff + j]) for rows [r0, r1) of a (rows, n) matrix. */
    void biasActivation(float[] y, float[] b, int bOff, int r0, int r1, int n, boolean relu);

    /** dy[i] = 0 where !(y[i] &gt; 0), for i in [from, to). */
    void reluBackward(float[] dy, float[] y, int from, int to);

    /**
     * db[dbOff + j] = sum over rows r in order of dy[r, j], for columns [j0, j1) of a (rows, n)
     * matrix; with {@code accumulate} the sum starts from db's value.
     */
    void columnSums(float[] db, int dbOff, float[] dy, int rows, int n, int j0, int j1, boolean accumulate);

    /**
     * dy[i] = scale * d loss(y[i], x[i]) / dy[i] under {@code objective} (for MSE scale * (y - x),
     * for MAE scale * sign(y - x); under a sigmoid objective y is a logit, see
     * {@link FloatMath#gradient}), for i in [from, to).
     */
    void lossGradient(float[] dy, float[] y, float[] x, int from, int to, float scale, Objective objective);

    /** e[eOff + i - from] = loss(y[i], x[i]) under {@code objective} ({@link FloatMath#loss}), for i in [from, to). */
    void losses(float[] e, int eOff, float[] y, float[] x, int from, int to, Objective objective);

    /** One Adam step over [from, to); see {@link dev.recon.backend.Backend#adamStep}. */
    void adam(float[] p, float[] m, float[] v, float[] g, int from, int to, float stepSize, float beta1, float beta2,
              float eps, float sqrtBias2);

    /** A name for reports: which implementation and vector width. */
    String describe();
}
