// The optimizer: one Adam step over the whole flat parameter buffer, in PyTorch's form.
// Each kernel has a CpuBackend method of the same name and argument order.

// adamStep: the host passes stepSize = lr / (1 - beta1^t) and sqrtBias2 = sqrt(1 - beta2^t).
__device__ inline void reconAdam(float* params, float* m, float* v, const float* grads, int n, float stepSize,
                                 float beta1, float beta2, float eps, float sqrtBias2)
{
    const float c1 = 1.0f - beta1;
    const float c2 = 1.0f - beta2;
    const int stride = gridDim.x * blockDim.x;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        const float g = grads[i];
        const float mi = beta1 * m[i] + c1 * g;
        const float vi = beta2 * v[i] + c2 * g * g;
        m[i] = mi;
        v[i] = vi;
        params[i] -= stepSize * mi / (sqrtf(vi) / sqrtBias2 + eps);
    }
}

extern "C" __global__ void adamStep(float* params, float* m, float* v, const float* grads, int n, float stepSize,
                                    float beta1, float beta2, float eps, float sqrtBias2)
{
    reconAdam(params, m, v, grads, n, stepSize, beta1, beta2, eps, sqrtBias2);
}

// adamStep for a step replayed from a CUDA graph: the step number t = step[0] + 1 is read from
// device memory, and the bias corrections are computed from it here, in double precision as the
// host computes them for adamStep: stepSize = lr / (1 - beta1^t), sqrtBias2 = sqrt(1 - beta2^t).
extern "C" __global__ void adamStepFromCounter(float* params, float* m, float* v, const float* grads, int n, float lr,
                                               float beta1, float beta2, float eps, const int* step)
{
    const double t = (double) step[0] + 1.0;
    const float stepSize = (float) ((double) lr / (1.0 - pow((double) beta1, t)));
    const float sqrtBias2 = (float) sqrt(1.0 - pow((double) beta2, t));
    reconAdam(params, m, v, grads, n, stepSize, beta1, beta2, eps, sqrtBias2);
}
