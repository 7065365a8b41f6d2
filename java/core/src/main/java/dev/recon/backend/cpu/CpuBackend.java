package dev.recon.backend.cpu;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.backend.IntBuf;
import dev.recon.model.Activation;
import dev.recon.model.Loss;
import dev.recon.model.Objective;

/**
 * The reference backend in Java. GEMMs are shared out over a fixed team of threads by rows of
 * the output, in chunks of whole register blocks of rows taken by whichever thread is free
 * ({@link WorkerPool}); each output element is one FMA chain over k in order, computed by one
 * thread, so results are bit-identical for any thread count, any split and either kernel
 * implementation ({@link Kernels}). Scratch space grows once and is then reused: the
 * training step allocates nothing.
 */
public final class CpuBackend implements Backend {

    /** Below this many multiply-adds a GEMM runs on the calling thread alone. */
    private static final long PARALLEL_MIN_MACS = 1 << 16;
    /** Rows per block of elementwise work: chunks of rows start at multiples of it. */
    private static final int ROW_BLOCK = 8;
    /**
     * A tall GEMM's chunks of rows (a batch's) are whole register blocks of every height the
     * kernels use (4, 6, 8). A short one's (a weight gradient's: out rows, k the batch) are two
     * of the kernels' blocks for its width: every chunk streams all of B, the batch, so fewer
     * chunks read less, and two blocks a chunk still share the rows out between the threads
     * (BENCHMARKS.md, "Where the time goes", has the JMH figures).
     */
    private static final int GEMM_ROWS = 24;

    private final WorkerPool pool;
    private final Kernels kernels;
    private final GemmTask gemmTask = new GemmTask();
    // each operation's arguments, in a task of its own reused across calls: dispatch allocates nothing
    private final GatherRows gather = new GatherRows();
    private final BiasActivation biasActivation = new BiasActivation();
    private final ReluBackward reluBackward = new ReluBackward();
    private final ColumnSums columnSums = new ColumnSums();
    private final LossGradient lossGradient = new LossGradient();
    private final RowErrors rowErrors = new RowErrors();
    private final AdamStep adam = new AdamStep();
    private final Transposes transposes = new Transposes();

    /** The fastest kernels this JVM can run: the Vector API where its module is present. */
    public CpuBackend(int threads) {
        this(threads, KernelChoice.best());
    }

    /** With {@code vector} false, the scalar kernels even where the Vector API is present. */
    public CpuBackend(int threads, boolean vector) {
        this(threads, vector ? KernelChoice.best() : ScalarKernels.INSTANCE);
    }

    /**
     * For a process whose other threads need the cores between operations, such as a server
     * scoring one request at a time: the helper threads park right after each operation instead
     * of spinning for the next one, as they do for training. The same bits either way.
     */
    public static CpuBackend sharingCores(int threads) {
        return new CpuBackend(threads, KernelChoice.best(), WorkerPool.SHARED_SPINS);
    }

    private CpuBackend(int threads, Kernels kernels) {
        this(threads, kernels, WorkerPool.TRAINING_SPINS);
    }

    private CpuBackend(int threads, Kernels kernels, int spins) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.kernels = kernels;
        pool = new WorkerPool(threads, spins);
        gemmTask.scratch = new float[threads][kernels.scratchSize()];
    }

    /** Which kernels run: "Vector API, 256-bit" or "scalar". */
    public String kernels() {
        return kernels.describe();
    }

    @Override
    public String name() {
        return "cpu";
    }

    /** Rows per pass: 512 rows of the default network's activations (about 1 MB) stay in L2. */
    static final int PASS_ROWS = 512;

    @Override
    public int preferredPassRows() {
        return PASS_ROWS;
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

    /**
     * Floats of slack after every buffer: the vector kernels load whole vectors past the last
     * column of a row (those lanes are never stored), up to 2048-bit vectors.
     */
    static final int PAD = 64;

    @Override
    public Buf alloc(long n) {
        if (n > Integer.MAX_VALUE - 8 - PAD) {
            throw new IllegalArgumentException("buffer too large for the CPU backend: " + n + " floats");
        }
        return new CpuBuf((int) n, PAD);
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
        // Y is (n, cols), X is (rows, cols): rows split over threads, whose cache misses then overlap
        GatherRows t = gather;
        t.out = arr(Y);
        t.in = arr(X);
        t.index = ((CpuIntBuf) idx).a;
        t.indexOffset = idxOff;
        t.cols = cols;
        forEachPart(t, n, (long) n * cols * GATHER_WEIGHT, ROW_BLOCK);
    }

    @Override
    public void gatherBatchRows(Buf Y, Buf X, IntBuf idx, IntBuf step, int batch, int rowOffset, int n, int cols) {
        gatherRows(Y, X, idx, ((CpuIntBuf) step).a[1] * batch + rowOffset, n, cols);
    }

    /**
     * grads[i] = sum over s of partial[s * n + i] in split order, added to grads[i] when
     * {@code accumulate}: the CPU twin of the CUDA kernel that adds up the weight gradients'
     * per-run partial sums (not a Backend operation: the CPU needs no partial sums).
     */
    public void sumPartials(Buf grads, Buf partial, int n, int splits, boolean accumulate) {
        float[] g = arr(grads);
        float[] p = arr(partial);
        for (int i = 0; i < n; i++) {
            float s = 0f;
            for (int k = 0; k < splits; k++) {
                s += p[k * n + i];
            }
            g[i] = accumulate ? g[i] + s : s;
        }
    }

    @Override
    public void advanceStep(IntBuf step) {
        int[] s = ((CpuIntBuf) step).a;
        s[0]++;
        s[1]++;
    }

    /** A gathered element costs about as much as this many elements of arithmetic (it is mostly a cache miss). */
    private static final int GATHER_WEIGHT = 8;

    @Override
    public void denseForward(Buf Y, Buf X, Buf W, long wOff, Buf b, long bOff, int rows, int out, int in,
                             Activation act) {
        // bias and activation go on in the kernels' registers where they can, else on each thread's rows
        GemmTask g = gemmTask;
        g.post = POST_BIAS_ACT;
        g.postArray = arr(b);
        g.postOff = (int) bOff;
        g.relu = act == Activation.RELU;
        gemm(Y, 0, X, 0, false, W, wOff, true, rows, out, in, 1f, 0f);
    }

    @Override
    public void denseInputGradient(Buf dX, Buf dZ, Buf W, long wOff, Buf A, int rows, int out, int in,
                                   Activation act) {
        // each thread masks its rows of dX by the ReLU's derivative right after computing them
        GemmTask g = gemmTask;
        g.post = act == Activation.RELU ? POST_RELU_MASK : POST_NONE;
        g.postArray = arr(A);
        gemm(dX, 0, dZ, 0, false, W, wOff, false, rows, in, out, 1f, 0f);
    }

    private static final int POST_NONE = 0;
    private static final int POST_BIAS_ACT = 1;
    private static final int POST_RELU_MASK = 2;

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
            // B is (n, k): the inner loop streams contiguous rows of op(B) = B^T, (k, n)
            g.b = transposes.of(arr(B), (int) bOff, n, k);
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
            g.run(0, m, 0);
        } else {
            boolean tall = m >= pool.threads() * WorkerPool.CHUNKS_PER_THREAD * GEMM_ROWS;
            pool.run(g, m, tall ? GEMM_ROWS : 2 * kernels.rowBlock(n));
        }
        g.c = g.a = g.b = g.postArray = null;
        g.post = POST_NONE;
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
        float[][] scratch;
        /** What to apply to each finished block of rows: nothing, bias + activation, or the ReLU mask. */
        int post = POST_NONE;
        float[] postArray;
        int postOff;
        boolean relu;

        /** Rows [r0, r1) of C, on thread {@code worker}. B here is always (k, n) row-major. */
        @Override
        public void run(int r0, int r1, int worker) {
            if (r0 < r1) {
                if (post == POST_BIAS_ACT) {
                    // a dense layer: C and A start at offset 0, B is W^T
                    kernels.dense(c, a, b, bOff, m, n, k, postArray, postOff, relu, r0, r1, scratch[worker]);
                    return;
                }
                kernels.gemm(c, cOff, a, aOff, transA, b, bOff, m, n, k, alpha, beta, r0, r1, scratch[worker]);
                if (post == POST_RELU_MASK) {
                    kernels.reluBackward(c, postArray, r0 * n, r1 * n);
                }
            }
        }
    }

    /** Below this many elements an elementwise operation runs on the calling thread alone. */
    private static final int PARALLEL_MIN_ELEMENTS = 1 << 15;
    /** Chunks of elementwise work start on whole cache lines. */
    private static final int ELEMENT_GRAIN = 64;
    /** Column sums are split into whole 512-bit vectors of columns. */
    private static final int COLUMN_GRAIN = 16;

    /**
     * Runs {@code task} over [0, count) items in chunks shared out over the threads (starting at
     * multiples of {@code grain}), or on the calling thread when the work is small. Items are
     * rows, columns or elements as the task says; every item is computed by exactly one thread in
     * the same way, so the result does not depend on the split.
     */
    private void forEachPart(Part task, int count, long elements, int grain) {
        task.count = count;
        if (elements < PARALLEL_MIN_ELEMENTS || pool.threads() == 1 || count < 2) {
            task.run(0, count, 0);
        } else {
            pool.run(task, count, grain);
        }
    }

    /** An elementwise operation over [0, count) items: its arguments are the subclass's fields. */
    private abstract static class Part implements WorkerPool.Task {
        int count;

        @Override
        public final void run(int from, int to, int worker) {
            if (from < to) {
                range(from, to, worker);
            }
        }

        /** Items [from, to). */
        abstract void range(int from, int to);

        /** Items [from, to) on the given worker, for a part that needs the worker's own scratch. */
        void range(int from, int to, int worker) {
            range(from, to);
        }
    }

    /** Rows {@code index[indexOffset + r]} of {@code in} to rows r of {@code out}, {@code cols} wide. */
    private static final class GatherRows extends Part {
        float[] out;
        float[] in;
        int[] index;
        int indexOffset;
        int cols;

        @Override
        void range(int from, int to) {
            for (int r = from; r < to; r++) {
                System.arraycopy(in, index[indexOffset + r] * cols, out, r * cols, cols);
            }
        }
    }

    /** Rows of {@code out} plus the bias at {@code biasOffset}, {@code width} wide, then ReLU where {@code relu}. */
    private final class BiasActivation extends Part {
        float[] out;
        float[] bias;
        int biasOffset;
        int width;
        boolean relu;

        @Override
        void range(int from, int to) {
            kernels.biasActivation(out, bias, biasOffset, from, to, width, relu);
        }
    }

    /** Elements of {@code dY} zeroed where the ReLU output {@code y} is not positive. */
    private final class ReluBackward extends Part {
        float[] dY;
        float[] y;

        @Override
        void range(int from, int to) {
            kernels.reluBackward(dY, y, from, to);
        }
    }

    /** Columns of {@code in} ({@code rows} rows) summed into {@code sums} at {@code sumsOffset}, or added to it. */
    private final class ColumnSums extends Part {
        float[] sums;
        int sumsOffset;
        float[] in;
        int rows;
        boolean accumulate;

        @Override
        void range(int from, int to) {
            kernels.columnSums(sums, sumsOffset, in, rows, count, from, to, accumulate);
        }
    }

    /** Each row's error, and each feature's where {@code featErr} is not null. */
    private class RowErrors extends Part {
        float[] rowErr;
        float[] featErr;
        float[] y;
        float[] x;
        int width;
        Objective objective;
        /** Per worker, a row's element losses where featErr is null (sigmoid objectives). */
        float[][] rowScratch = new float[0][];

        @Override
        void range(int from, int to) {
            range(from, to, 0);
        }

        @Override
        void range(int from, int to, int worker) {
            if (!objective.sigmoid()) {
                rowErrors(rowErr, featErr, y, x, from, to, width, objective);
                return;
            }
            // the element losses by the kernels (vectors), each row's sum then in order
            float invD = 1f / width;
            for (int r = from; r < to; r++) {
                int o = r * width;
                float[] e = featErr != null ? featErr : rowScratch[worker];
                int eo = featErr != null ? o : 0;
                kernels.losses(e, eo, y, x, o, o + width, objective);
                float sum = 0f;
                for (int j = 0; j < width; j++) {
                    sum += e[eo + j];
                }
                rowErr[r] = sum * invD;
            }
        }

        /** Sizes the per-worker scratch for rows {@code width} wide (allocating only when it grows). */
        void prepare() {
            if (objective.sigmoid() && featErr == null
                    && (rowScratch.length < threads() || rowScratch.length > 0 && rowScratch[0].length < width)) {
                rowScratch = new float[threads()][width];
            }
        }
    }

    /** Rows of the loss gradient {@code dY} (times {@code scale}), then each row's error as {@link RowErrors}. */
    private final class LossGradient extends RowErrors {
        float[] dY;
        float scale;

        @Override
        void range(int from, int to, int worker) {
            // rows [from, to): the gradient, then each row's error summed in order
            kernels.lossGradient(dY, y, x, from * width, to * width, scale, objective);
            super.range(from, to, worker);
        }
    }

    /** One Adam step over elements of the flat parameter buffer. */
    private final class AdamStep extends Part {
        float[] params;
        float[] m;
        float[] v;
        float[] grads;
        float stepSize;
        float beta1;
        float beta2;
        float eps;
        float sqrtBias2;

        @Override
        void range(int from, int to) {
            kernels.adam(params, m, v, grads, from, to, stepSize, beta1, beta2, eps, sqrtBias2);
        }
    }

    @Override
    public void biasActivationForward(Buf Y, Buf b, long bOff, int rows, int n, Activation act) {
        // Y is (rows, n), b is (n): rows split over threads
        BiasActivation t = biasActivation;
        t.out = arr(Y);
        t.bias = arr(b);
        t.biasOffset = (int) bOff;
        t.width = n;
        t.relu = act == Activation.RELU;
        forEachPart(t, rows, (long) rows * n, ROW_BLOCK);
    }

    @Override
    public void activationBackward(Buf dY, Buf Y, int rows, int n, Activation act) {
        // dY and Y are (rows, n): elements split over threads
        if (act == Activation.RELU) {
            reluBackward.dY = arr(dY);
            reluBackward.y = arr(Y);
            forEachPart(reluBackward, rows * n, (long) rows * n, ELEMENT_GRAIN);
        }
    }

    @Override
    public void biasGradient(Buf db, long dbOff, Buf dY, int rows, int n, boolean accumulate) {
        // db is (n), dY is (rows, n): columns split over threads, each summed over rows in order
        ColumnSums t = columnSums;
        t.accumulate = accumulate;
        t.sums = arr(db);
        t.sumsOffset = (int) dbOff;
        t.in = arr(dY);
        t.rows = rows;
        forEachPart(t, n, (long) rows * n, COLUMN_GRAIN);
    }

    @Override
    public void lossGradient(Buf dY, Buf rowErr, Buf Y, Buf X, int rows, int d, int batchRows, Objective objective) {
        // dY, Y, X are (rows, d); rowErr is (rows): rows split over threads
        LossGradient t = lossGradient;
        t.dY = arr(dY);
        t.rowErr = arr(rowErr);
        t.featErr = null;
        t.y = arr(Y);
        t.x = arr(X);
        t.width = d;
        t.objective = objective;
        t.scale = (objective.loss() == Loss.MSE ? 2f : 1f) / ((float) batchRows * d);
        t.prepare();
        forEachPart(t, rows, (long) rows * d, ROW_BLOCK);
    }

    @Override
    public void reconstructionError(Buf rowErr, Buf featErr, Buf Y, Buf X, int rows, int d, Objective objective) {
        // rowErr is (rows); featErr, Y, X are (rows, d): rows split over threads
        RowErrors t = rowErrors;
        t.rowErr = arr(rowErr);
        t.featErr = featErr == null ? null : arr(featErr);
        t.y = arr(Y);
        t.x = arr(X);
        t.width = d;
        t.objective = objective;
        t.prepare();
        forEachPart(t, rows, (long) rows * d, ROW_BLOCK);
    }

    /**
     * Errors of rows [r0, r1) under an identity objective, summed feature by feature in order
     * (the same sum for training and scoring).
     */
    private static void rowErrors(float[] err, float[] fe, float[] y, float[] x, int r0, int r1, int d,
                                  Objective objective) {
        float invD = 1f / d;
        boolean mse = objective == Objective.MSE;
        for (int r = r0; r < r1; r++) {
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
    public void gaussianNoise(Buf eps, int n, long seed, IntBuf step) {
        float[] e = arr(eps);
        int t = ((CpuIntBuf) step).a[0];
        for (int i = 0; i < n; i++) {
            e[i] = NormalNoise.draw(seed, t, i);
        }
    }

    @Override
    public void reparameterize(Buf Z, Buf kl, Buf ML, Buf eps, int rows, int latent, float klWeight) {
        float[] z = arr(Z);
        float[] k = arr(kl);
        float[] ml = arr(ML);
        float[] e = arr(eps);
        for (int r = 0; r < rows; r++) {
            float sum = 0f;
            for (int j = 0; j < latent; j++) {
                float mu = ml[r * 2 * latent + j];
                float lv = ml[r * 2 * latent + latent + j];
                // unclamped, as expf on the GPU: a log-variance that overflows shows as inf or NaN, and
                // training stops as diverged instead of running on clamped values
                z[r * latent + j] = mu + (float) StrictMath.exp(0.5f * lv) * e[r * latent + j];
                sum += 1f + lv - mu * mu - (float) StrictMath.exp(lv);
            }
            k[r] = klWeight * -0.5f * sum;
        }
    }

    @Override
    public void reparameterizeBackward(Buf dML, Buf dZ, Buf ML, Buf eps, int rows, int latent, float klScale) {
        float[] d = arr(dML);
        float[] dz = arr(dZ);
        float[] ml = arr(ML);
        float[] e = arr(eps);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < latent; j++) {
                int m = r * 2 * latent + j;
                float mu = ml[m];
                float lv = ml[m + latent];
                float g = dz[r * latent + j];
                d[m] = g + klScale * mu;
                d[m + latent] = g * e[r * latent + j] * 0.5f * (float) StrictMath.exp(0.5f * lv)
                        + klScale * 0.5f * ((float) StrictMath.exp(lv) - 1f);
            }
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
        AdamStep t = adam;
        t.params = arr(params);
        t.m = arr(m);
        t.v = arr(v);
        t.grads = arr(grads);
        t.stepSize = stepSize;
        t.beta1 = beta1;
        t.beta2 = beta2;
        t.eps = eps;
        t.sqrtBias2 = sqrtBias2;
        forEachPart(t, (int) n, n, ELEMENT_GRAIN);
    }

    @Override
    public void adamStepFromCounter(Buf params, Buf m, Buf v, Buf grads, long n, float lr, float beta1, float beta2,
                                    float eps, IntBuf step) {
        long t = ((CpuIntBuf) step).a[0] + 1L;
        double stepSize = lr / (1.0 - Math.pow(beta1, t));
        double sqrtBias2 = Math.sqrt(1.0 - Math.pow(beta2, t));
        adamStep(params, m, v, grads, n, (float) stepSize, beta1, beta2, eps, (float) sqrtBias2);
    }

    @Override
    public void close() {
        pool.close();
    }
}
