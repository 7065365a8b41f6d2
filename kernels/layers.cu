// Layer kernels: fused bias + activation forward, activation backward, bias gradient.
// Row-major throughout. Activation codes: 0 = ReLU, 1 = identity (ACT_* in CudaBackend.java).
// Each kernel has a CPU method of the same name and argument order in CpuBackend.java;
// buffer offsets are folded into the pointers here.

// Y is (rows, n), b is (n): Y = act(Y + b), in place. Grid-stride over all elements.
extern "C" __global__ void biasActivationForward(float* Y, const float* b, int rows, int n, int act)
{
    const long total = (long) rows * n;
    const long stride = (long) gridDim.x * blockDim.x;
    for (long i = (long) blockIdx.x * blockDim.x + threadIdx.x; i < total; i += stride) {
        const float v = Y[i] + b[i % n];
        // v < 0 rather than fmaxf: NaN must pass through so that divergence is seen
        Y[i] = (act == 0 && v < 0.0f) ? 0.0f : v;
    }
}

// dY and Y are (rows, n): dY = dY * act'(Y), in place, with Y the activation's output.
extern "C" __global__ void activationBackward(float* dY, const float* Y, int rows, int n, int act)
{
    if (act != 0) {
        return;
    }
    const long total = (long) rows * n;
    const long stride = (long) gridDim.x * blockDim.x;
    for (long i = (long) blockIdx.x * blockDim.x + threadIdx.x; i < total; i += stride) {
        if (!(Y[i] > 0.0f)) {
            dY[i] = 0.0f;
        }
    }
}

#define RECON_MAX_BLOCK 256

// db is (n), dY is (rows, n): db[j] = sum over rows of dY[:, j], added to db[j] when accumulate.
// One block per column (grid-stride over columns); the block's threads split the rows and
// reduce in shared memory. blockDim.x must be a power of two, at most RECON_MAX_BLOCK. The
// tree order is fixed, so results are deterministic for a given block size.
extern "C" __global__ void biasGradient(float* db, const float* dY, int rows, int n, int accumulate)
{
    __shared__ float partial[RECON_MAX_BLOCK];
    const unsigned t = threadIdx.x;
    for (int j = blockIdx.x; j < n; j += gridDim.x) {
        float s = 0.0f;
        for (int r = t; r < rows; r += blockDim.x) {
            s += dY[(long) r * n + j];
        }
        partial[t] = s;
        __syncthreads();
        for (unsigned half = blockDim.x / 2; half > 0; half >>= 1) {
            if (t < half) {
                partial[t] += partial[t + half];
            }
            __syncthreads();
        }
        if (t == 0) {
            db[j] = accumulate ? db[j] + partial[0] : partial[0];
        }
        __syncthreads(); // partial is reused for the next column
    }
}
