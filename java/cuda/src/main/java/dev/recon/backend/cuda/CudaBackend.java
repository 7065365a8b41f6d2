package dev.recon.backend.cuda;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.backend.IntBuf;
import dev.recon.model.Activation;
import dev.recon.model.Loss;
import java.util.ArrayList;
import java.util.List;

/**
 * The backend on a CUDA device: GEMMs through cuBLAS (mapped by {@link ColumnMajorGemm}), every
 * other operation a kernel of kernels/*.cu with the name of the CPU method it mirrors. Buffers
 * live on the device; the host only uploads data, launches, and reads results when asked.
 */
public final class CudaBackend implements Backend {
    /** Activation codes of the kernels. */
    static final int ACT_RELU = 0;
    static final int ACT_IDENTITY = 1;
    /** Loss codes of the kernels. */
    static final int LOSS_MSE = 0;
    static final int LOSS_MAE = 1;

    private final Device dev;
    private final List<Long> allocations = new ArrayList<>();
    private long launches;

    public CudaBackend(Device dev) {
        this.dev = dev;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String description() {
        return dev.description();
    }

    @Override
    public int threads() {
        return 1;
    }

    /** Kernel launches and GEMM calls so far (for the launch-count estimate in BENCHMARKS.md). */
    public long launches() {
        return launches;
    }

    static int act(Activation a) {
        return a == Activation.RELU ? ACT_RELU : ACT_IDENTITY;
    }

    static int loss(Loss l) {
        return l == Loss.MSE ? LOSS_MSE : LOSS_MAE;
    }

    private static CudaBuf b(Buf x) {
        return (CudaBuf) x;
    }

    private int grid(long work) {
        long blocks = (work + dev.blockSize() - 1) / dev.blockSize();
        return (int) Math.max(1, Math.min(dev.maxGrid(), blocks));
    }

    private void launch(String kernel, long work, Object... args) {
        launches++;
        dev.launch(kernel, grid(work), dev.blockSize(), args);
    }

    @Override
    public Buf alloc(long n) {
        long h = dev.malloc(4 * Math.max(1, n));
        allocations.add(h);
        return new CudaBuf(h, n);
    }

    @Override
    public IntBuf allocInt(int n) {
        long h = dev.malloc(4L * Math.max(1, n));
        allocations.add(h);
        return new CudaIntBuf(h, n);
    }

    @Override
    public void upload(Buf dst, long dstOff, float[] src, int srcOff, int n) {
        dev.upload(b(dst).at(dstOff), src, srcOff, n);
    }

    @Override
    public void download(float[] dst, int dstOff, Buf src, long srcOff, int n) {
        dev.download(dst, dstOff, b(src).at(srcOff), n);
    }

    @Override
    public void uploadInt(IntBuf dst, int[] src, int n) {
        dev.uploadInt(((CudaIntBuf) dst).at(0), src, n);
    }

    @Override
    public void copy(Buf dst, long dstOff, Buf src, long srcOff, long n) {
        dev.copy(b(dst).at(dstOff), b(src).at(srcOff), 4 * n);
    }

    @Override
    public void gatherRows(Buf Y, Buf X, IntBuf idx, int idxOff, int n, int cols) {
        launch("gatherRows", (long) n * cols, b(Y).at(0), b(X).at(0), ((CudaIntBuf) idx).at(0), idxOff, n, cols);
    }

    @Override
    public void gemm(Buf C, long cOff, Buf A, long aOff, boolean transA, Buf B, long bOff, boolean transB,
                     int m, int n, int k, float alpha, float beta) {
        ColumnMajorGemm.Call c = ColumnMajorGemm.map(transA, transB, m, n, k);
        launches++;
        dev.sgemm(c.transFirst(), c.transSecond(), c.m(), c.n(), c.k(), alpha, b(B).at(bOff), c.ldFirst(),
                b(A).at(aOff), c.ldSecond(), beta, b(C).at(cOff), c.ldc());
    }

    @Override
    public void biasActivationForward(Buf Y, Buf bias, long bOff, int rows, int n, Activation act) {
        launch("biasActivationForward", (long) rows * n, b(Y).at(0), b(bias).at(bOff), rows, n, act(act));
    }

    @Override
    public void activationBackward(Buf dY, Buf Y, int rows, int n, Activation act) {
        if (act == Activation.IDENTITY) {
            return;
        }
        launch("activationBackward", (long) rows * n, b(dY).at(0), b(Y).at(0), rows, n, act(act));
    }

    @Override
    public void biasGradient(Buf db, long dbOff, Buf dY, int rows, int n, boolean accumulate) {
        launches++;
        dev.launch("biasGradient", Math.min(n, dev.maxGrid()), dev.blockSize(), b(db).at(dbOff), b(dY).at(0), rows, n,
                accumulate ? 1 : 0);
    }

    @Override
    public void lossGradient(Buf dY, Buf rowErr, Buf Y, Buf X, int rows, int d, int batchRows, Loss loss) {
        launch("lossGradient", rows, b(dY).at(0), b(rowErr).at(0), b(Y).at(0), b(X).at(0), rows, d, batchRows,
                loss(loss));
    }

    @Override
    public void reconstructionError(Buf rowErr, Buf featErr, Buf Y, Buf X, int rows, int d, Loss loss) {
        launch("reconstructionError", rows, b(rowErr).at(0), featErr == null ? Ptr.NULL : b(featErr).at(0),
                b(Y).at(0), b(X).at(0), rows, d, loss(loss));
    }

    @Override
    public void accumulateSum(Buf acc, long accOff, Buf x, int n) {
        launches++;
        dev.launch("accumulateSum", 1, dev.blockSize(), b(acc).at(accOff), b(x).at(0), n);
    }

    @Override
    public void adamStep(Buf params, Buf m, Buf v, Buf grads, long n, float stepSize, float beta1, float beta2,
                         float eps, float sqrtBias2) {
        launch("adamStep", n, b(params).at(0), b(m).at(0), b(v).at(0), b(grads).at(0), (int) n, stepSize, beta1,
                beta2, eps, sqrtBias2);
    }

    @Override
    public void synchronize() {
        dev.synchronize();
    }

    @Override
    public void close() {
        for (long h : allocations) {
            dev.free(h);
        }
        allocations.clear();
        dev.close();
    }
}
