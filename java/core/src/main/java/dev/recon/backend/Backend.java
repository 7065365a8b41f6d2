package dev.recon.backend;

import dev.recon.model.Activation;
import dev.recon.model.Objective;
import dev.recon.model.ParameterLayout;

/**
 * The operations training and scoring need, in row-major terms. Every matrix is dense and
 * row-major; a matrix argument is a buffer and an offset into it, its shape given by the
 * sizes. Arguments go outputs first, then inputs, then sizes; gradients carry a {@code d}
 * prefix. The CPU implementation is the reference; an accelerated one must give the same
 * results within the tolerances of the contract tests.
 *
 * <p>Implementations are not thread-safe: one training or scoring run drives one backend.
 */
public interface Backend extends AutoCloseable {

    /** Short name: {@code cpu} or {@code cuda}. */
    String name();

    /** One line for people: the device and how it is driven. */
    String description();

    /** Threads the backend computes with (1 for a GPU's host side). */
    int threads();

    /** A zero-filled buffer of {@code n} floats. */
    Buf alloc(long n);

    /** A zero-filled buffer of {@code n} ints. */
    IntBuf allocInt(int n);

    /** dst[dstOff .. dstOff+n) = src[srcOff .. srcOff+n) */
    void upload(Buf dst, long dstOff, float[] src, int srcOff, int n);

    /** dst[dstOff .. dstOff+n) = src[srcOff .. srcOff+n) */
    void download(float[] dst, int dstOff, Buf src, long srcOff, int n);

    /** dst[0 .. n) = src[0 .. n) */
    void uploadInt(IntBuf dst, int[] src, int n);

    /** dst[dstOff .. dstOff+n) = src[srcOff .. srcOff+n) */
    void copy(Buf dst, long dstOff, Buf src, long srcOff, long n);

    /** Y[r, :] = X[idx[idxOff + r], :] for r in [0, n). Y is (n, cols), X is (rows, cols). */
    void gatherRows(Buf Y, Buf X, IntBuf idx, int idxOff, int n, int cols);

    /**
     * C = alpha * op(A) op(B) + beta * C. op(A) is (m, k): A is (m, k), or (k, m) when
     * {@code transA}; op(B) is (k, n): B is (k, n), or (n, k) when {@code transB}; C is (m, n).
     * With beta = 0, C is overwritten (prior NaNs in C do not survive). With alpha = beta = 1
     * the product is accumulated onto C; the CPU backend then continues each element's sum from
     * C's value, so that a product split along k into consecutive calls gives the same bits as
     * one call.
     */
    void gemm(Buf C, long cOff, Buf A, long aOff, boolean transA, Buf B, long bOff, boolean transB,
              int m, int n, int k, float alpha, float beta);

    /**
     * A dense layer: Y = act(X W^T + b). Y is (rows, out), X is (rows, in), W is (out, in) at wOff,
     * b is (out) at bOff. The same as {@link #gemm} then {@link #biasActivationForward}; a backend
     * may fuse the two (the CPU backend applies bias and activation to each block of rows while it
     * is still in cache).
     */
    default void denseForward(Buf Y, Buf X, Buf W, long wOff, Buf b, long bOff, int rows, int out, int in,
                              Activation act) {
        gemm(Y, 0, X, 0, false, W, wOff, true, rows, out, in, 1f, 0f);
        biasActivationForward(Y, b, bOff, rows, out, act);
    }

    /**
     * The gradient into a dense layer's input: dX = (dZ W) * act'(A), where A is that input,
     * the previous layer's output, and act its activation. dX and A are (rows, in), dZ is
     * (rows, out), W is (out, in) at wOff. The same as {@link #gemm} then
     * {@link #activationBackward}; a backend may fuse the two.
     */
    default void denseInputGradient(Buf dX, Buf dZ, Buf W, long wOff, Buf A, int rows, int out, int in,
                                    Activation act) {
        gemm(dX, 0, dZ, 0, false, W, wOff, false, rows, in, out, 1f, 0f);
        activationBackward(dX, A, rows, in, act);
    }

    /** Y = act(Y + b), in place. Y is (rows, n), b is (n) at bOff. */
    void biasActivationForward(Buf Y, Buf b, long bOff, int rows, int n, Activation act);

    /** dY = dY * act'(Y), in place, with Y the activation's output. dY and Y are (rows, n). */
    void activationBackward(Buf dY, Buf Y, int rows, int n, Activation act);

    /**
     * db[j] = sum over rows of dY[:, j], or db[j] += that sum when {@code accumulate}. db is (n)
     * at dbOff, dY is (rows, n).
     */
    void biasGradient(Buf db, long dbOff, Buf dY, int rows, int n, boolean accumulate);

    /**
     * The loss and its gradient in one pass. For the last layer's output Y (the reconstruction,
     * or its logits under a sigmoid objective) and X, both (rows, d): rowErr[r] = mean_j
     * loss(Y[r, j], X[r, j]) and dY = d(mean of the loss over batchRows * d entries) / dY, i.e.
     * already divided by batchRows * d. batchRows is the minibatch's size: rows, or more when the
     * minibatch is processed in parts of {@code rows}.
     */
    void lossGradient(Buf dY, Buf rowErr, Buf Y, Buf X, int rows, int d, int batchRows, Objective objective);

    /**
     * Rows per forward/backward pass that suit this backend: a larger minibatch is processed in
     * parts of this size, its gradients accumulated (CPU: parts that stay in cache).
     */
    default int preferredPassRows() {
        return Integer.MAX_VALUE;
    }

    /**
     * Reconstruction errors for scoring: rowErr[r] = mean_j loss(Y[r, j], X[r, j]) and, where
     * {@code featErr} is not null, featErr[r, j] = loss(Y[r, j], X[r, j]). Y and X are (rows, d).
     */
    void reconstructionError(Buf rowErr, Buf featErr, Buf Y, Buf X, int rows, int d, Objective objective);

    /** acc[accOff] += sum of x[0 .. n), summed in a fixed order. */
    void accumulateSum(Buf acc, long accOff, Buf x, int n);

    /**
     * One Adam step over the whole flat buffer, in PyTorch's form: m = b1 m + (1 - b1) g,
     * v = b2 v + (1 - b2) g^2, p -= stepSize * m / (sqrt(v) / sqrtBias2 + eps), where the host
     * passes stepSize = lr / (1 - b1^t) and sqrtBias2 = sqrt(1 - b2^t) for step t.
     */
    void adamStep(Buf params, Buf m, Buf v, Buf grads, long n, float stepSize, float beta1, float beta2,
                  float eps, float sqrtBias2);

    // Whole-network operations. Their defaults run the per-layer operations above, layer by layer:
    // the reference. A backend may run all layers in one pass (the CUDA backend: one kernel each,
    // of the same name, in kernels/network.cu). A is every layer's output, A[l] (rows, out(l)), and
    // dZ every layer's gradient into its affine map, dZ[l] (rows, out(l)); W_l and b_l sit in params
    // at layout's offsets; act[l] is layer l's activation.

    /**
     * Called once by a network before its first pass (of at most {@code maxRows} rows), so that its
     * passes allocate nothing (and can be captured by {@link #capture}): the CUDA backend uploads
     * the network's shape table and allocates the weight gradients' workspace.
     */
    default void prepareNetwork(ParameterLayout layout, Activation[] act, int maxRows) {
    }

    /** The forward pass: A[l] = act[l](A[l-1] W_l^T + b_l), with A[-1] = X, (rows, in(0)). */
    default void networkForward(Buf[] A, Buf X, Buf params, ParameterLayout layout, Activation[] act, int rows) {
        Buf in = X;
        for (int l = 0; l < layout.layers(); l++) {
            denseForward(A[l], in, params, layout.weight(l), params, layout.bias(l), rows, layout.out(l), layout.in(l),
                    act[l]);
            in = A[l];
        }
    }

    /**
     * Scoring: the forward pass of X, then its reconstruction errors as {@link #reconstructionError}
     * (rowErr (rows), featErr (rows, d) where not null). A is scratch a backend may leave untouched.
     */
    default void networkErrors(Buf rowErr, Buf featErr, Buf X, Buf[] A, Buf params, ParameterLayout layout,
                               Activation[] act, Objective objective, int rows) {
        networkForward(A, X, params, layout, act, rows);
        reconstructionError(rowErr, featErr, A[layout.layers() - 1], X, rows, layout.in(0), objective);
    }

    /**
     * The backward pass through the activations, after {@link #networkForward} of the same X: the
     * loss and per-row errors as {@link #lossGradient} (normalised by batchRows), then
     * dZ[last] = dLoss/dY * act'(Y) and dZ[l-1] = (dZ[l] W_l) * act[l-1]'(A[l-1]).
     */
    default void networkBackward(Buf[] dZ, Buf rowErr, Buf X, Buf[] A, Buf params, ParameterLayout layout,
                                 Activation[] act, Objective objective, int rows, int batchRows) {
        int last = layout.layers() - 1;
        int d = layout.out(last);
        lossGradient(dZ[last], rowErr, A[last], X, rows, d, batchRows, objective);
        activationBackward(dZ[last], A[last], rows, d, act[last]);
        for (int l = last; l > 0; l--) {
            denseInputGradient(dZ[l - 1], dZ[l], params, layout.weight(l), A[l - 1], rows, layout.out(l), layout.in(l),
                    act[l - 1]);
        }
    }

    /**
     * Every layer's parameter gradients, after {@link #networkBackward}: db_l = column sums of
     * dZ[l] and dW_l (out, in) = dZ[l]^T A[l-1] (A[-1] = X), into grads at layout's offsets, added
     * on when {@code accumulate}.
     */
    default void networkWeightGradients(Buf grads, Buf X, Buf[] A, Buf[] dZ, ParameterLayout layout, int rows,
                                        boolean accumulate) {
        for (int l = layout.layers() - 1; l >= 0; l--) {
            Buf aIn = l == 0 ? X : A[l - 1];
            biasGradient(grads, layout.bias(l), dZ[l], rows, layout.out(l), accumulate);
            gemm(grads, layout.weight(l), dZ[l], 0, true, aIn, 0, false, layout.out(l), layout.in(l), rows, 1f,
                    accumulate ? 1f : 0f);
        }
    }

    // The variational autoencoder's operations (kernels/vae.cu). ML is the encoder's latent layer,
    // (rows, 2 * latent): the means in its first latent columns, the log-variances in the rest.

    /**
     * eps[i] = a standard normal draw determined by {@code seed}, {@code step[0]} and i alone, for
     * i in [0, n): the same noise on every backend and thread count (Box-Muller on a SplitMix64
     * hash), read from a counter so that a replayed step draws afresh.
     */
    void gaussianNoise(Buf eps, int n, long seed, IntBuf step);

    /**
     * The reparameterisation: Z[r, j] = mu + exp(lv / 2) eps[r, j], with mu = ML[r, j] and
     * lv = ML[r, latent + j]; and kl[r] = klWeight * KL(N(mu, e^lv) || N(0, 1)) =
     * klWeight * -0.5 * sum_j (1 + lv - mu^2 - e^lv). Z and eps are (rows, latent), kl (rows).
     */
    void reparameterize(Buf Z, Buf kl, Buf ML, Buf eps, int rows, int latent, float klWeight);

    /**
     * The gradient into ML, from dZ (rows, latent) and the KL term's weight klScale (already
     * divided by whatever the loss is averaged over): dML[r, j] = dZ + klScale mu and
     * dML[r, latent + j] = dZ eps exp(lv / 2) / 2 + klScale (e^lv - 1) / 2.
     */
    void reparameterizeBackward(Buf dML, Buf dZ, Buf ML, Buf eps, int rows, int latent, float klScale);

    // A training step replayed many times (a CUDA graph on the GPU) cannot take its minibatch offset
    // or its Adam step number from the host: these three read them from a small int buffer on the
    // backend, step = [Adam steps done, the minibatch's index in the epoch], which advanceStep moves on.

    /** {@link #gatherRows} from offset step[1] * batch + rowOffset of idx. */
    void gatherBatchRows(Buf Y, Buf X, IntBuf idx, IntBuf step, int batch, int rowOffset, int n, int cols);

    /**
     * {@link #adamStep} for step t = step[0] + 1: stepSize = lr / (1 - beta1^t) and
     * sqrtBias2 = sqrt(1 - beta2^t), computed in double precision and rounded to float.
     */
    void adamStepFromCounter(Buf params, Buf m, Buf v, Buf grads, long n, float lr, float beta1, float beta2, float eps,
                             IntBuf step);

    /** step[0] += 1 and step[1] += 1, after everything else of the step. */
    void advanceStep(IntBuf step);

    /**
     * Prepares {@code ops}, a sequence of this backend's operations that reads everything that
     * changes from one run to the next from backend memory, for running many times: the returned
     * action runs them. {@code ops} is not run here. The CPU returns {@code ops} itself; the CUDA
     * backend records its launches once into a CUDA graph and replays the graph (one launch).
     */
    default Runnable capture(Runnable ops) {
        return ops;
    }

    /** Kernel launches and library calls so far where the backend counts them (a GPU's), else -1. */
    default long launches() {
        return -1;
    }

    /** Blocks until all queued work is done (a no-op on the CPU). */
    default void synchronize() {
    }

    @Override
    void close();
}
