// Data movement and reductions. Same names and argument order as CpuBackend.

// Y is (n, cols), X is (rows, cols): Y[r, :] = X[idx[idxOff + r], :].
__device__ inline void reconGather(float* Y, const float* X, const int* idx, long idxOff, int n, int cols)
{
    const long total = (long) n * cols;
    const long stride = (long) gridDim.x * blockDim.x;
    for (long i = (long) blockIdx.x * blockDim.x + threadIdx.x; i < total; i += stride) {
        const long r = i / cols;
        const long c = i - r * cols;
        Y[i] = X[(long) idx[idxOff + r] * cols + c];
    }
}

// Minibatches are drawn by index from the training set resident on the device.
extern "C" __global__ void gatherRows(float* Y, const float* X, const int* idx, int idxOff, int n, int cols)
{
    reconGather(Y, X, idx, idxOff, n, cols);
}

#define RECON_SUM_BLOCK 256

// acc[0] += sum of x[0 .. n). Launched with one block (power-of-two size, at most
// RECON_SUM_BLOCK): a fixed reduction order, so the result is deterministic, and no atomics
// across blocks.
extern "C" __global__ void accumulateSum(float* acc, const float* x, int n)
{
    __shared__ float partial[RECON_SUM_BLOCK];
    const unsigned t = threadIdx.x;
    float s = 0.0f;
    for (int i = t; i < n; i += blockDim.x) {
        s += x[i];
    }
    partial[t] = s;
    __syncthreads();
    for (unsigned half = blockDim.x / 2; half > 0; half >>= 1) {
        if (t < half) {
            partial[t] += partial[t + half];
        }
        __syncthreads();
    }
    if (t == 0 && blockIdx.x == 0) {
        acc[0] += partial[0];
    }
}

// gatherRows for a step replayed from a CUDA graph: the minibatch's offset into idx is read from
// device memory, step[1] * batch + rowOffset (step[1] = the minibatch's index in the epoch, which
// advanceStep moves on), so one captured step serves every minibatch of the epoch.
extern "C" __global__ void gatherBatchRows(float* Y, const float* X, const int* idx, const int* step, int batch,
                                           int rowOffset, int n, int cols)
{
    reconGather(Y, X, idx, (long) step[1] * batch + rowOffset, n, cols);
}

// The end of a step: step[0] (Adam steps done) and step[1] (the minibatch's index in the epoch)
// each move on by one. One thread: it runs after every other kernel of the step has read them.
extern "C" __global__ void advanceStep(int* step)
{
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        step[0] += 1;
        step[1] += 1;
    }
}
