// Loss kernels.
// Each kernel has a CPU method of the same name and argument order in CpuBackend.java.

// Objective codes (Objective.code() in Java): 0 MSE, 1 MAE on the last layer's output y; 2 MSE,
// 3 MAE of sigmoid(z), and 4 binary cross-entropy from the logit z, (max(z, 0) - z x) + log1p(e^-|z|),
// whose gradient sigmoid(z) - x stays finite where sigmoid(z) rounds to 0 or 1. The CPU twin
// (FloatMath) uses its own exp and log polynomials: the two agree to float rounding, not bit for bit.

// One element's loss; *grad = its derivative with respect to the output times scale.
__device__ inline float reconLossTerm(float z, float x, int objective, float scale, float* grad)
{
    if (objective <= 1) {
        const float diff = z - x;
        if (objective == 0) {
            *grad = scale * diff;
            return __fmul_rn(diff, diff); // never fused into an FMA: as the CPU rounds it
        }
        *grad = diff > 0.0f ? scale : (diff < 0.0f ? -scale : 0.0f);
        return fabsf(diff);
    }
    const float y = 1.0f / (1.0f + expf(-z));
    if (objective == 4) {
        *grad = scale * (y - x);
        return (fmaxf(z, 0.0f) - z * x) + log1pf(expf(-fabsf(z)));
    }
    const float diff = y - x;
    const float slope = y * (1.0f - y);
    if (objective == 2) {
        *grad = scale * diff * slope;
        return __fmul_rn(diff, diff);
    }
    *grad = (diff > 0.0f ? scale : (diff < 0.0f ? -scale : 0.0f)) * slope;
    return fabsf(diff);
}

// The loss and its gradient in one pass. dY, Y, X are (rows, d); rowErr is (rows).
// rowErr[r] = mean_j loss(Y[r, j], X[r, j]); dY = d(mean of batchRows*d losses) / dY, where the
// minibatch has batchRows rows (more than rows when it is processed in parts).
// One thread per row: the row sum stays in a register, in feature order as on the CPU.
extern "C" __global__ void lossGradient(float* dY, float* rowErr, const float* Y, const float* X, int rows, int d,
                                        int batchRows, int loss)
{
    const float invD = 1.0f / d;
    const float scale = (loss == 0 || loss == 2 ? 2.0f : 1.0f) / ((float) batchRows * d);
    const int stride = gridDim.x * blockDim.x;
    for (int r = blockIdx.x * blockDim.x + threadIdx.x; r < rows; r += stride) {
        const long o = (long) r * d;
        float s = 0.0f;
        for (int j = 0; j < d; j++) {
            float g;
            s += reconLossTerm(Y[o + j], X[o + j], loss, scale, &g);
            dY[o + j] = g;
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
            // the square is rounded before the sum (reconLossTerm), so that a row's error does not
            // depend on whether its feature errors are stored
            float g;
            const float e = reconLossTerm(Y[o + j], X[o + j], loss, 0.0f, &g);
            if (featErr != 0) {
                featErr[o + j] = e;
            }
            s += e;
        }
        rowErr[r] = s * invD;
    }
}
