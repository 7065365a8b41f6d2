package dev.recon.pipeline;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.backend.IntBuf;
import dev.recon.model.Activation;
import dev.recon.model.Objective;

/**
 * Fault injection: a working backend whose optimizer poisons the parameters from a given step
 * on, and whose preferred pass size can be overridden.
 */
final class FaultyBackend implements Backend {
    private final Backend inner;
    private final long poisonFromStep;
    private final int passRows;
    private long steps;

    FaultyBackend(Backend inner, long poisonFromStep) {
        this(inner, poisonFromStep, inner.preferredPassRows());
    }

    FaultyBackend(Backend inner, long poisonFromStep, int passRows) {
        this.inner = inner;
        this.poisonFromStep = poisonFromStep;
        this.passRows = passRows;
    }

    @Override
    public void adamStep(Buf params, Buf m, Buf v, Buf grads, long n, float stepSize, float beta1, float beta2,
                         float eps, float sqrtBias2) {
        inner.adamStep(params, m, v, grads, n, stepSize, beta1, beta2, eps, sqrtBias2);
        poison(params);
    }

    @Override
    public void adamStepFromCounter(Buf params, Buf m, Buf v, Buf grads, long n, float lr, float beta1, float beta2,
                                    float eps, IntBuf step) {
        inner.adamStepFromCounter(params, m, v, grads, n, lr, beta1, beta2, eps, step);
        poison(params);
    }

    private void poison(Buf params) {
        if (++steps >= poisonFromStep) {
            inner.upload(params, 0, new float[] {Float.NaN}, 0, 1);
        }
    }

    @Override
    public void gatherBatchRows(Buf Y, Buf X, IntBuf idx, IntBuf step, int batch, int rowOffset, int n, int cols) {
        inner.gatherBatchRows(Y, X, idx, step, batch, rowOffset, n, cols);
    }

    @Override
    public void advanceStep(IntBuf step) {
        inner.advanceStep(step);
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String description() {
        return "faulty " + inner.description();
    }

    @Override
    public int threads() {
        return inner.threads();
    }

    @Override
    public Buf alloc(long n) {
        return inner.alloc(n);
    }

    @Override
    public IntBuf allocInt(int n) {
        return inner.allocInt(n);
    }

    @Override
    public void upload(Buf dst, long dstOff, float[] src, int srcOff, int n) {
        inner.upload(dst, dstOff, src, srcOff, n);
    }

    @Override
    public void download(float[] dst, int dstOff, Buf src, long srcOff, int n) {
        inner.download(dst, dstOff, src, srcOff, n);
    }

    @Override
    public void uploadInt(IntBuf dst, int[] src, int n) {
        inner.uploadInt(dst, src, n);
    }

    @Override
    public void copy(Buf dst, long dstOff, Buf src, long srcOff, long n) {
        inner.copy(dst, dstOff, src, srcOff, n);
    }

    @Override
    public void gatherRows(Buf Y, Buf X, IntBuf idx, int idxOff, int n, int cols) {
        inner.gatherRows(Y, X, idx, idxOff, n, cols);
    }

    @Override
    public void gemm(Buf C, long cOff, Buf A, long aOff, boolean transA, Buf B, long bOff, boolean transB, int m, int n,
                     int k, float alpha, float beta) {
        inner.gemm(C, cOff, A, aOff, transA, B, bOff, transB, m, n, k, alpha, beta);
    }

    @Override
    public void biasActivationForward(Buf Y, Buf b, long bOff, int rows, int n, Activation act) {
        inner.biasActivationForward(Y, b, bOff, rows, n, act);
    }

    @Override
    public void activationBackward(Buf dY, Buf Y, int rows, int n, Activation act) {
        inner.activationBackward(dY, Y, rows, n, act);
    }

    @Override
    public void biasGradient(Buf db, long dbOff, Buf dY, int rows, int n, boolean accumulate) {
        inner.biasGradient(db, dbOff, dY, rows, n, accumulate);
    }

    @Override
    public void gaussianNoise(Buf eps, int n, long seed, dev.recon.backend.IntBuf step) {
        inner.gaussianNoise(eps, n, seed, step);
    }

    @Override
    public void reparameterize(Buf Z, Buf kl, Buf ML, Buf eps, int rows, int latent, float klWeight) {
        inner.reparameterize(Z, kl, ML, eps, rows, latent, klWeight);
    }

    @Override
    public void reparameterizeBackward(Buf dML, Buf dZ, Buf ML, Buf eps, int rows, int latent, float klScale) {
        inner.reparameterizeBackward(dML, dZ, ML, eps, rows, latent, klScale);
    }

    @Override
    public void lossGradient(Buf dY, Buf rowErr, Buf Y, Buf X, int rows, int d, int batchRows, Objective loss) {
        inner.lossGradient(dY, rowErr, Y, X, rows, d, batchRows, loss);
    }

    @Override
    public void reconstructionError(Buf rowErr, Buf featErr, Buf Y, Buf X, int rows, int d, Objective loss) {
        inner.reconstructionError(rowErr, featErr, Y, X, rows, d, loss);
    }

    @Override
    public void accumulateSum(Buf acc, long accOff, Buf x, int n) {
        inner.accumulateSum(acc, accOff, x, n);
    }

    @Override
    public int preferredPassRows() {
        return passRows;
    }

    @Override
    public void close() {
        inner.close();
    }
}
