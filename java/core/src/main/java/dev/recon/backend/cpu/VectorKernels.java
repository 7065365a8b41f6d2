package dev.recon.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels with the JDK's (incubating) Vector API. The GEMM keeps a 4-row by 2-vector block
 * of C in eight accumulators across the whole k loop: per step it loads two vectors of a B row,
 * broadcasts four A values and issues eight FMAs, so the loop runs at the FMA units' rate from
 * L1. Vectors never cross a method boundary that is not inlined and never merge after a
 * branch: either would box them on the heap, the main way such code loses its speed. Columns
 * past the last full vector are finished by the scalar FMA chain, which gives the same bits.
 */
final class VectorKernels implements Kernels {
    /** The widest vectors the CPU has: 512-bit with AVX-512, 256-bit with AVX2 (override: -Drecon.simd.bits). */
    private static final VectorSpecies<Float> S = species();
    private static final int L = S.length();

    private static VectorSpecies<Float> species() {
        String bits = System.getProperty("recon.simd.bits");
        if (bits != null) {
            return VectorSpecies.of(float.class, jdk.incubator.vector.VectorShape.forBitSize(Integer.parseInt(bits)));
        }
        return FloatVector.SPECIES_PREFERRED;
    }

    @Override
    public int scratchSize() {
        return 4 * L;
    }

    @Override
    public String describe() {
        return "Vector API, " + S.vectorBitSize() + "-bit";
    }

    @Override
    public void gemm(float[] c, int cOff, float[] a, int aOff, boolean transA, float[] b, int bOff, int m, int n, int k,
                     float alpha, float beta, int r0, int r1, float[] scratch) {
        final int ps = transA ? m : 1; // step in A from p to p + 1 for one row
        final int rs = transA ? 1 : k; // step in A from row i to row i + 1 for one p
        final boolean plain = alpha == 1f && beta == 0f;
        int i = r0;
        for (; i + 4 <= r1; i += 4) {
            final int aRow = aOff + (transA ? i : i * k);
            final int ci = cOff + i * n;
            int j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                block4x2(c, ci + j, n, a, aRow, ps, rs, b, bOff + j, n, k, plain, alpha, beta);
            }
            for (; j + L <= n; j += L) {
                block4x1(c, ci + j, n, a, aRow, ps, rs, b, bOff + j, n, k, plain, alpha, beta);
            }
            if (j < n) {
                block4xMasked(c, ci + j, n, a, aRow, ps, rs, b, bOff + j, n, k, n - j, scratch, alpha, beta);
            }
        }
        for (; i < r1; i++) {
            final int aRow = aOff + (transA ? i : i * k);
            final int ci = cOff + i * n;
            int j = 0;
            for (; j + L <= n; j += L) {
                block1x1(c, ci + j, a, aRow, ps, b, bOff + j, n, k, plain, alpha, beta);
            }
            if (j < n) {
                tail(c, ci, n, a, aRow, ps, rs, b, bOff, k, 1, j, alpha, beta);
            }
        }
    }

    private static void block4x2(float[] c, int ci, int ldc, float[] a, int aRow, int ps, int rs, float[] b, int bj,
                                 int ldb, int k, boolean plain, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        int ap = aRow;
        int bp = bj;
        for (int p = 0; p < k; p++, ap += ps, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ap + rs]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ap + 2 * rs]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ap + 3 * rs]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        if (plain) {
            c00.intoArray(c, ci);
            c01.intoArray(c, ci + L);
            c10.intoArray(c, ci + ldc);
            c11.intoArray(c, ci + ldc + L);
            c20.intoArray(c, ci + 2 * ldc);
            c21.intoArray(c, ci + 2 * ldc + L);
            c30.intoArray(c, ci + 3 * ldc);
            c31.intoArray(c, ci + 3 * ldc + L);
        } else {
            epilogue(c00, c, ci, alpha, beta);
            epilogue(c01, c, ci + L, alpha, beta);
            epilogue(c10, c, ci + ldc, alpha, beta);
            epilogue(c11, c, ci + ldc + L, alpha, beta);
            epilogue(c20, c, ci + 2 * ldc, alpha, beta);
            epilogue(c21, c, ci + 2 * ldc + L, alpha, beta);
            epilogue(c30, c, ci + 3 * ldc, alpha, beta);
            epilogue(c31, c, ci + 3 * ldc + L, alpha, beta);
        }
    }

    private static void block4x1(float[] c, int ci, int ldc, float[] a, int aRow, int ps, int rs, float[] b, int bj,
                                 int ldb, int k, boolean plain, float alpha, float beta) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S);
        int ap = aRow;
        int bp = bj;
        for (int p = 0; p < k; p++, ap += ps, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            c0 = FloatVector.broadcast(S, a[ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[ap + rs]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[ap + 2 * rs]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[ap + 3 * rs]).fma(b0, c3);
        }
        if (plain) {
            c0.intoArray(c, ci);
            c1.intoArray(c, ci + ldc);
            c2.intoArray(c, ci + 2 * ldc);
            c3.intoArray(c, ci + 3 * ldc);
        } else {
            epilogue(c0, c, ci, alpha, beta);
            epilogue(c1, c, ci + ldc, alpha, beta);
            epilogue(c2, c, ci + 2 * ldc, alpha, beta);
            epilogue(c3, c, ci + 3 * ldc, alpha, beta);
        }
    }

    private static void block1x1(float[] c, int ci, float[] a, int aRow, int ps, float[] b, int bj, int ldb, int k,
                                 boolean plain, float alpha, float beta) {
        FloatVector c0 = FloatVector.zero(S);
        int ap = aRow;
        int bp = bj;
        for (int p = 0; p < k; p++, ap += ps, bp += ldb) {
            c0 = FloatVector.broadcast(S, a[ap]).fma(FloatVector.fromArray(S, b, bp), c0);
        }
        if (plain) {
            c0.intoArray(c, ci);
        } else {
            epilogue(c0, c, ci, alpha, beta);
        }
    }

    /**
     * The last columns (fewer than a vector) of four rows. Loads read whole vectors wherever the
     * array allows (lanes past n belong to the next row and are computed but never stored) and
     * masked ones only at the array's end; results go through {@code scratch} and are copied
     * lane by lane, because masked stores are not compiled to vector instructions on every JDK.
     */
    private static void block4xMasked(float[] c, int ci, int ldc, float[] a, int aRow, int ps, int rs, float[] b,
                                      int bj, int ldb, int k, int cols, float[] scratch, float alpha, float beta) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S);
        int ap = aRow;
        int bp = bj;
        int p = 0;
        // rows p whose full-vector load b[bj + p * ldb .. + L) stays inside b
        int safe = (int) Math.max(0, Math.min(k, Math.floorDiv((long) b.length - L - bj, ldb) + 1));
        for (; p < safe; p++, ap += ps, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            c0 = FloatVector.broadcast(S, a[ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[ap + rs]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[ap + 2 * rs]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[ap + 3 * rs]).fma(b0, c3);
        }
        if (p < k) {
            VectorMask<Float> mask = S.indexInRange(0, cols);
            for (; p < k; p++, ap += ps, bp += ldb) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp, mask);
                c0 = FloatVector.broadcast(S, a[ap]).fma(b0, c0);
                c1 = FloatVector.broadcast(S, a[ap + rs]).fma(b0, c1);
                c2 = FloatVector.broadcast(S, a[ap + 2 * rs]).fma(b0, c2);
                c3 = FloatVector.broadcast(S, a[ap + 3 * rs]).fma(b0, c3);
            }
        }
        c0.intoArray(scratch, 0);
        c1.intoArray(scratch, L);
        c2.intoArray(scratch, 2 * L);
        c3.intoArray(scratch, 3 * L);
        for (int r = 0; r < 4; r++) {
            int at = ci + r * ldc;
            for (int j = 0; j < cols; j++) {
                c[at + j] = ScalarKernels.epilogue(scratch[r * L + j], c[at + j], alpha, beta);
            }
        }
    }

    /** The general alpha/beta store, as ScalarKernels.epilogue does it lane by lane. */
    private static void epilogue(FloatVector acc, float[] c, int ci, float alpha, float beta) {
        FloatVector v = alpha == 1f ? acc : acc.mul(alpha);
        if (beta != 0f) {
            v = v.add(FloatVector.fromArray(S, c, ci).mul(beta));
        }
        v.intoArray(c, ci);
    }

    /** Columns [j0, n) of {@code rows} rows by scalar FMA chains: the same bits as the vector lanes. */
    private static void tail(float[] c, int ci, int n, float[] a, int aRow, int ps, int rs, float[] b, int bOff, int k,
                             int rows, int j0, float alpha, float beta) {
        for (int r = 0; r < rows; r++) {
            for (int j = j0; j < n; j++) {
                float acc = 0f;
                int ap = aRow + r * rs;
                for (int p = 0; p < k; p++, ap += ps) {
                    acc = Math.fma(a[ap], b[bOff + p * n + j], acc);
                }
                int at = ci + r * n + j;
                c[at] = ScalarKernels.epilogue(acc, c[at], alpha, beta);
            }
        }
    }

    @Override
    public void biasActivation(float[] y, float[] b, int bOff, int r0, int r1, int n, boolean relu) {
        int vecEnd = S.loopBound(n);
        for (int r = r0; r < r1; r++) {
            int o = r * n;
            int j = 0;
            for (; j < vecEnd; j += L) {
                FloatVector v = FloatVector.fromArray(S, y, o + j).add(FloatVector.fromArray(S, b, bOff + j));
                if (relu) {
                    v = v.blend(0f, v.lt(0f));
                }
                v.intoArray(y, o + j);
            }
            for (; j < n; j++) {
                float v = y[o + j] + b[bOff + j];
                y[o + j] = relu && v < 0f ? 0f : v;
            }
        }
    }

    @Override
    public void reluBackward(float[] dy, float[] y, int from, int to) {
        int i = from;
        for (; i + L <= to; i += L) {
            VectorMask<Float> off = FloatVector.fromArray(S, y, i).compare(VectorOperators.GT, 0f).not();
            FloatVector.fromArray(S, dy, i).blend(0f, off).intoArray(dy, i);
        }
        for (; i < to; i++) {
            if (!(y[i] > 0f)) {
                dy[i] = 0f;
            }
        }
    }

    @Override
    public void columnSums(float[] db, int dbOff, float[] dy, int rows, int n, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            db[dbOff + j] = 0f;
        }
        int vecEnd = j0 + S.loopBound(j1 - j0);
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            int j = j0;
            for (; j < vecEnd; j += L) {
                FloatVector.fromArray(S, db, dbOff + j).add(FloatVector.fromArray(S, dy, o + j)).intoArray(db, dbOff + j);
            }
            for (; j < j1; j++) {
                db[dbOff + j] += dy[o + j];
            }
        }
    }

    @Override
    public void lossGradient(float[] dy, float[] y, float[] x, int from, int to, float scale, boolean mse) {
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector diff = FloatVector.fromArray(S, y, i).sub(FloatVector.fromArray(S, x, i));
            FloatVector g;
            if (mse) {
                g = diff.mul(scale);
            } else {
                g = FloatVector.zero(S).blend(scale, diff.compare(VectorOperators.GT, 0f))
                        .blend(-scale, diff.compare(VectorOperators.LT, 0f));
            }
            g.intoArray(dy, i);
        }
        for (; i < to; i++) {
            float diff = y[i] - x[i];
            dy[i] = mse ? scale * diff : (diff > 0f ? scale : (diff < 0f ? -scale : 0f));
        }
    }

    @Override
    public void adam(float[] p, float[] m, float[] v, float[] g, int from, int to, float stepSize, float beta1,
                     float beta2, float eps, float sqrtBias2) {
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(beta1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(beta2).add(gi.mul(c2).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector step = mi.mul(stepSize).div(vi.sqrt().div(sqrtBias2).add(eps));
            FloatVector.fromArray(S, p, i).sub(step).intoArray(p, i);
        }
        for (; i < to; i++) {
            float gs = g[i];
            float ms = beta1 * m[i] + c1 * gs;
            float vs = beta2 * v[i] + c2 * gs * gs;
            m[i] = ms;
            v[i] = vs;
            p[i] -= stepSize * ms / ((float) Math.sqrt(vs) / sqrtBias2 + eps);
        }
    }
}
