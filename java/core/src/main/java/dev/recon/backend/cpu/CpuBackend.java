package dev.recon.backend.cpu;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.backend.IntBuf;
import dev.recon.model.Activation;
import dev.recon.model.Loss;

/**
 * The reference backend in Java. GEMMs are split over a fixed team of threads by rows of the
 * output, in blocks of four rows; each output element is one FMA chain over k in order,
 * computed by one thread, so results are bit-identical for any thread count and for either
 * kernel implementation ({@link Kernels}). Scratch space grows once and is then reused: the
 * training step allocates nothing.
 */
public final class CpuBackend implements Backend {

    /** Below this many multiply-adds a GEMM runs on the calling thread alone. */
    private static final long PARALLEL_MIN_MACS = 1 << 16;
    /** Rows of C per register block: thread partitions are multiples of it. */
    private static final int ROW_BLOCK = 4;

    private final WorkerPool pool;
    private final Kernels kernels;
    private final GemmTask gemmTask = new GemmTask();
    private float[] packed = new float[0];

    /** The fastest kernels this JVM can run: the Vector API where its module is present. */
    public CpuBackend(int threads) {
        this(threads, KernelChoice.best());
    }

    /** With {@code vector} false, the scalar kernels even where the Vector API is present. */
    public CpuBackend(int threads, boolean vector) {
        this(threads, vector ? KernelChoice.best() : ScalarKernels.INSTANCE);
    }

    private CpuBackend(int threads, Kernels kernels) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.kernels = kernels;
        pool = new WorkerPool(threads);
    }

    /** Which kernels run: "Vector API, 256-bit" or "scalar". */
    public String kernels() {
        return kernels.describe();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "Java, " + threads() + (threads() == 1 ? " thread" : " threads") + ", " + kernels.describe() + " kernels";
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
        g.kernels = kernels;
        if ((long) m * n * k < PARALLEL_MIN_MACS || pool.threads() == 1 || m < 2 * ROW_BLOCK) {
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
        Kernels kernels;

        @Override
        public void run(int part, int parts) {
            int blocks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
            int r0 = Math.min(m, WorkerPool.from(blocks, part, parts) * ROW_BLOCK);
            int r1 = Math.min(m, WorkerPool.from(blocks, part + 1, parts) * ROW_BLOCK);
            rows(r0, r1);
        }

        /** Rows [r0, r1) of C. B here is always (k, n) row-major. */
        void rows(int r0, int r1) {
            if (r0 < r1) {
                kernels.gemm(c, cOff, a, aOff, transA, b, bOff, m, n, k, alpha, beta, r0, r1);
            }
        }
    }

    @Override
    public void biasActivationForward(Buf Y, Buf b, long bOff, int rows, int n, Activation act) {
        // Y is (rows, n), b is (n)
        kernels.biasActivation(arr(Y), arr(b), (int) bOff, 0, rows, n, act == Activation.RELU);
    }

    @Override
    public void activationBackward(Buf dY, Buf Y, int rows, int n, Activation act) {
        // dY and Y are (rows, n)
        if (act == Activation.RELU) {
            kernels.reluBackward(arr(dY), arr(Y), 0, rows * n);
        }
    }

    @Override
    public void biasGradient(Buf db, long dbOff, Buf dY, int rows, int n) {
        // db is (n), dY is (rows, n)
        kernels.columnSums(arr(db), (int) dbOff, arr(dY), rows, n);
    }

    @Override
    public void lossGradient(Buf dY, Buf rowErr, Buf Y, Buf X, int rows, int d, Loss loss) {
        // dY, Y, X are (rows, d); rowErr is (rows)
        float[] y = arr(Y);
        float[] x = arr(X);
        boolean mse = loss == Loss.MSE;
        kernels.lossGradient(arr(dY), y, x, 0, rows * d, (mse ? 2f : 1f) / ((float) rows * d), mse);
        rowErrors(arr(rowErr), null, y, x, rows, d, loss);
    }

    @Override
    public void reconstructionError(Buf rowErr, Buf featErr, Buf Y, Buf X, int rows, int d, Loss loss) {
        // rowErr is (rows); featErr, Y, X are (rows, d)
        rowErrors(arr(rowErr), featErr == null ? null : arr(featErr), arr(Y), arr(X), rows, d, loss);
    }

    /** Per-row mean errors, summed feature by feature in order (the same sum for training and scoring). */
    private static void rowErrors(float[] err, float[] fe, float[] y, float[] x, int rows, int d, Loss loss) {
        float invD = 1f / d;
        boolean mse = loss == Loss.MSE;
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            float s = 0f;
            for (int j = 0; j < d; j++) {
                float diff = y[o + j] - x[o + j];
                float e = mse ? diff * diff : Math.abs(diff);
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
        kernels.adam(arr(params), arr(m), arr(v), arr(grads), 0, (int) n, stepSize, beta1, beta2, eps, sqrtBias2);
    }

    @Override
    public void close() {
        pool.close();
    }
}
