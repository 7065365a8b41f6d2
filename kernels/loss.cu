// Loss kernels. Loss codes: 0 = MSE, 1 = MAE (LOSS_* in CudaBackend.java).
// Each kernel has a CPU method of the same name and argument order in CpuBackend.java.

// The loss and its gradient in one pass. dY, Y, X are (rows, d); rowErr is (rows).
// rowErr[r] = mean_j loss(Y[r, j], X[r, j]); dY = d(mean of batchRows*d losses) / dY, where the
// minibatch has batchRows rows (more than rows when it is processed in parts).
// One thread per row: d is small (tens), and the row sum stays in a register.
extern "C" __global__ void lossGradient(float* dY, float* rowErr, const float* Y, const float* X, int rows, int d,
                                        int batchRows, int loss)
{
    const float invD = 1.0f / d;
    const float scale = (loss == 0 ? 2.0f : 1.0f) / ((float) batchRows * d);
    const int stride = gridDim.x * blockDim.x;
    for (int r = blockIdx.x * blockDim.x + threadIdx.x; r < rows; r += stride) {
        const long o = (long) r * d;
        float s = 0.0f;
        for (int j = 0; j < d; j++) {
            const float diff = Y[o + j] - X[o + j];
            if (loss == 0) {
                dY[o + j] = scale * diff;
                s += __fmul_rn(diff, diff); // never fused into an FMA: as the CPU rounds it
            } else {
                dY[o + j] = diff > 0.0f ? scale : (diff < 0.0f ? -scale : 0.0f);
                s += fabsf(diff);
            }
        }
        rowErr[r] = s * invD;
    }
}

// Errors for scoring: rowErr (rows) and, where featErr is not null, featErr (rows, d).
extern "C" __global__ void reconstructionError(float* rowErr, float* featErr, const float* Y, const float* X, int rows,
                                               int d, int loss)
{
    const float invD = 1.0f / d;
    const int stride = gridDim.x * blockDim.x;
    for (int r = blockIdx.x * blockDim.x + threadIdx.x; r < rows; r += stride) {
        const long o = (long) r * d;
        float s = 0.0f;
        for (int j = 0; j < d; j++) {
            const float diff = Y[o + j] - X[o + j];
            // __fmul_rn: the square is rounded before the sum, never fused into an FMA, so that a row's
            // error does not depend on whether its feature errors are stored
            const float e = loss == 0 ? __fmul_rn(diff, diff) : fabsf(diff);
            if (featErr != 0) {
                featErr[o + j] = e;
            }
            s += e;
        }
        rowErr[r] = s * invD;
    }
}
