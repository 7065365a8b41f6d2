package dev.recon.backend.cpu;

import dev.recon.model.Objective;

/** The kernels in plain Java: the fallback, and the statement of what the vector version computes. */
final class ScalarKernels implements Kernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    @Override
    public int rowBlock(int n) {
        return 8; // no register blocks, so any height serves; 8 as for elementwise work
    }

    @Override
    public int scratchSize() {
        return 0;
    }

    @Override
    public String describe() {
        return "scalar";
    }

    @Override
    public void gemm(float[] c, int cOff, float[] a, int aOff, boolean transA, float[] b, int bOff, int m, int n, int k,
                     float alpha, float beta, int r0, int r1, float[] scratch) {
        boolean accumulate = alpha == 1f && beta == 1f;
        for (int i = r0; i < r1; i++) {
            int ci = cOff + i * n;
            for (int j = 0; j < n; j++) {
                float acc = accumulate ? c[ci + j] : 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    acc = Math.fma(av, b[bOff + p * n + j], acc);
                }
                c[ci + j] = accumulate ? acc : epilogue(acc, c[ci + j], alpha, beta);
            }
        }
    }

    /** alpha * acc + beta * old, with beta = 0 ignoring old (it may be NaN). */
    static float epilogue(float acc, float old, float alpha, float beta) {
        float v = alpha == 1f ? acc : alpha * acc;
        return beta == 0f ? v : v + beta * old;
    }

    @Override
    public void biasActivation(float[] y, float[] b, int bOff, int r0, int r1, int n, boolean relu) {
        for (int r = r0; r < r1; r++) {
            int o = r * n;
            for (int j = 0; j < n; j++) {
                float v = y[o + j] + b[bOff + j];
                y[o + j] = relu && v < 0f ? 0f : v; // NaN passes through, so divergence shows
            }
        }
    }

    @Override
    public void reluBackward(float[] dy, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!(y[i] > 0f)) {
                dy[i] = 0f;
            }
        }
    }

    @Override
    public void columnSums(float[] db, int dbOff, float[] dy, int rows, int n, int j0, int j1, boolean accumulate) {
        if (!accumulate) {
            for (int j = j0; j < j1; j++) {
                db[dbOff + j] = 0f;
            }
        }
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            for (int j = j0; j < j1; j++) {
                db[dbOff + j] += dy[o + j];
            }
        }
    }

    @Override
    public void lossGradient(float[] dy, float[] y, float[] x, int from, int to, float scale, Objective objective) {
        for (int i = from; i < to; i++) {
            dy[i] = FloatMath.gradient(y[i], x[i], scale, objective);
        }
    }

    @Override
    public void losses(float[] e, int eOff, float[] y, float[] x, int from, int to, Objective objective) {
        for (int i = from; i < to; i++) {
            e[eOff + i - from] = FloatMath.loss(y[i], x[i], objective);
        }
    }

    @Override
    public void adam(float[] p, float[] m, float[] v, float[] g, int from, int to, float stepSize, float beta1,
                     float beta2, float eps, float sqrtBias2) {
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float mi = beta1 * m[i] + c1 * gi;
            float vi = beta2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] -= stepSize * mi / ((float) Math.sqrt(vi) / sqrtBias2 + eps);
        }
    }
}
