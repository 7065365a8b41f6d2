package dev.recon.backend.cpu;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.backend.IntBuf;
import dev.recon.model.Activation;
import dev.recon.model.Loss;

/**
 * The reference backend in plain Java. GEMMs are split over a fixed team of threads by rows
 * of the output; each output element is summed by one thread in a fixed order, so results
 * are bit-identical for any thread count. Scratch space grows once and is then reused: the
 * training step allocates nothing.
 */
public final class CpuBackend implements Backend {

    /** Below this many multiply-adds a GEMM runs on the calling thread alone. */
    private static final long PARALLEL_MIN_MACS = 1 << 15;

    private final WorkerPool pool;
    private final GemmTask gemmTask = new GemmTask();
    private float[] packed = new float[0];

    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        pool = new WorkerPool(threads);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "pure Java, " + threads() + (threads() == 1 ? " thread" : " threads");
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    static float[] arr(Buf b) {
        return ((CpuBuf) b).a;
    }

    @Override
    public Buf alloc(long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("buffer too large for the CPU backend: " + n + " floats");
        }
        return new CpuBuf((int) n);
    }

    @Override
    public IntBuf allocInt(int n) {
        return new CpuIntBuf(n);
    }

    @Override
    public void upload(Buf dst, long dstOff, float[] src, int srcOff, int n) {
        System.arraycopy(src, srcOff, arr(dst), (int) dstOff, n);
    }

    @Override
    public void download(float[] dst, int dstOff, Buf src, long srcOff, int n) {
        System.arraycopy(arr(src), (int) srcOff, dst, dstOff, n);
    }

    @Override
    public void uploadInt(IntBuf dst, int[] src, int n) {
        System.arraycopy(src, 0, ((CpuIntBuf) dst).a, 0, n);
    }

    @Override
    public void copy(Buf dst, long dstOff, Buf src, long srcOff, long n) {
        System.arraycopy(arr(src), (int) srcOff, arr(dst), (int) dstOff, (int) n);
    }

    @Override
    public void gatherRows(Buf Y, Buf X, IntBuf idx, int idxOff, int n, int cols) {
        // Y is (n, cols), X is (rows, cols)
        float[] y = arr(Y);
        float[] x = arr(X);
        int[] ix = ((CpuIntBuf) idx).a;
        for (int r = 0; r < n; r++) {
            System.arraycopy(x, ix[idxOff + r] * cols, y, r * cols, cols);
        }
    }

    @Override
    public void gemm(Buf C, long cOff, Buf A, long aOff, boolean transA, Buf B, long bOff, boolean transB,
                     int m, int n, int k, float alpha, float beta) {
        // C is (m, n); op(A) is (m, k); op(B) is (k, n)
        GemmTask g = gemmTask;
        g.c = arr(C);
        g.cOff = (int) cOff;
        g.a = arr(A);
        g.aOff = (int) aOff;
        g.transA = transA;
        if (transB) {
            // B is (n, k): pack op(B) = B^T as (k, n) so the inner loop streams contiguous rows
            float[] b = arr(B);
            int bo = (int) bOff;
            if (packed.length < k * n) {
                packed = new float[k * n];
            }
            for (int j = 0; j < n; j++) {
                int src = bo + j * k;
                for (int p = 0; p < k; p++) {
                    packed[p * n + j] = b[src + p];
                }
            }
            g.b = packed;
            g.bOff = 0;
        } else {
            g.b = arr(B);
            g.bOff = (int) bOff;
        }
        g.m = m;
        g.n = n;
        g.k = k;
        g.alpha = alpha;
        g.beta = beta;
        if ((long) m * n * k < PARALLEL_MIN_MACS || pool.threads() == 1 || m < 2) {
            g.rows(0, m);
        } else {
            pool.run(g);
        }
        g.c = g.a = g.b = null;
    }

    /** The GEMM's state, reused across calls so that dispatch allocates nothing. */
    private static final class GemmTask implements WorkerPool.Task {
        float[] c;
        float[] a;
        float[] b;
        int cOff;
        int aOff;
        int bOff;
        boolean transA;
        int m;
        int n;
        int k;
        float alpha;
        float beta;

        @Override
        public void run(int part, int parts) {
            rows(WorkerPool.from(m, part, parts), WorkerPool.from(m, part + 1, parts));
        }

        /** Rows [r0, r1) of C. B here is always (k, n) row-major. */
        void rows(int r0, int r1) {
            final float[] c = this.c;
            final float[] a = this.a;
            final float[] b = this.b;
            final int n = this.n;
            final int k = this.k;
            for (int i = r0; i < r1; i++) {
                final int ci = cOff + i * n;
                if (beta == 0f) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] = 0f;
                    }
                } else if (beta != 1f) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] *= beta;
                    }
                }
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    if (aip == 0f) {
                        continue; // ReLU zeros: a quarter to a half of the activations
                    }
                    aip *= alpha;
                    final int bp = bOff + p * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }

    @Override
    public void biasActivationForward(Buf Y, Buf b, long bOff, int rows, int n, Activation act) {
        // Y is (rows, n), b is (n)
        float[] y = arr(Y);
        float[] bias = arr(b);
        int bo = (int) bOff;
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            if (act == Activation.RELU) {
                for (int j = 0; j < n; j++) {
                    float v = y[o + j] + bias[bo + j];
                    y[o + j] = v < 0f ? 0f : v; // NaN passes through, so divergence shows
                }
            } else {
                for (int j = 0; j < n; j++) {
                    y[o + j] += bias[bo + j];
                }
            }
        }
    }

    @Override
    public void activationBackward(Buf dY, Buf Y, int rows, int n, Activation act) {
        // dY and Y are (rows, n)
        if (act == Activation.IDENTITY) {
            return;
        }
        float[] dy = arr(dY);
        float[] y = arr(Y);
        int len = rows * n;
        for (int i = 0; i < len; i++) {
            if (!(y[i] > 0f)) {
                dy[i] = 0f;
            }
        }
    }

    @Override
    public void biasGradient(Buf db, long dbOff, Buf dY, int rows, int n) {
        // db is (n), dY is (rows, n)
        float[] g = arr(db);
        float[] dy = arr(dY);
        int o = (int) dbOff;
        for (int j = 0; j < n; j++) {
            g[o + j] = 0f;
        }
        for (int r = 0; r < rows; r++) {
            int ro = r * n;
            for (int j = 0; j < n; j++) {
                g[o + j] += dy[ro + j];
            }
        }
    }

    @Override
    public void lossGradient(Buf dY, Buf rowErr, Buf Y, Buf X, int rows, int d, Loss loss) {
        // dY, Y, X are (rows, d); rowErr is (rows)
        float[] dy = arr(dY);
        float[] err = arr(rowErr);
        float[] y = arr(Y);
        float[] x = arr(X);
        float invD = 1f / d;
        if (loss == Loss.MSE) {
            float scale = 2f / ((float) rows * d);
            for (int r = 0; r < rows; r++) {
                int o = r * d;
                float s = 0f;
                for (int j = 0; j < d; j++) {
                    float diff = y[o + j] - x[o + j];
                    dy[o + j] = scale * diff;
                    s += diff * diff;
                }
                err[r] = s * invD;
            }
        } else {
            float scale = 1f / ((float) rows * d);
            for (int r = 0; r < rows; r++) {
                int o = r * d;
                float s = 0f;
                for (int j = 0; j < d; j++) {
                    float diff = y[o + j] - x[o + j];
                    dy[o + j] = diff > 0f ? scale : (diff < 0f ? -scale : 0f);
                    s += Math.abs(diff);
                }
                err[r] = s * invD;
            }
        }
    }

    @Override
    public void reconstructionError(Buf rowErr, Buf featErr, Buf Y, Buf X, int rows, int d, Loss loss) {
        // rowErr is (rows); featErr, Y, X are (rows, d)
        float[] err = arr(rowErr);
        float[] fe = featErr == null ? null : arr(featErr);
        float[] y = arr(Y);
        float[] x = arr(X);
        float invD = 1f / d;
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            float s = 0f;
            for (int j = 0; j < d; j++) {
                float diff = y[o + j] - x[o + j];
                float e = loss == Loss.MSE ? diff * diff : Math.abs(diff);
                if (fe != null) {
                    fe[o + j] = e;
                }
                s += e;
            }
            err[r] = s * invD;
        }
    }

    @Override
    public void accumulateSum(Buf acc, long accOff, Buf x, int n) {
        float[] xs = arr(x);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += xs[i];
        }
        float[] a = arr(acc);
        a[(int) accOff] = (float) (a[(int) accOff] + s);
    }

    @Override
    public void adamStep(Buf params, Buf m, Buf v, Buf grads, long n, float stepSize, float beta1, float beta2,
                         float eps, float sqrtBias2) {
        float[] p = arr(params);
        float[] ms = arr(m);
        float[] vs = arr(v);
        float[] g = arr(grads);
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        for (int i = 0; i < (int) n; i++) {
            float gi = g[i];
            float mi = beta1 * ms[i] + c1 * gi;
            float vi = beta2 * vs[i] + c2 * gi * gi;
            ms[i] = mi;
            vs[i] = vi;
            p[i] -= stepSize * mi / ((float) Math.sqrt(vi) / sqrtBias2 + eps);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
