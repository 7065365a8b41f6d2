// The optimizer: one Adam step over the whole flat parameter buffer, in PyTorch's form.
// The host passes stepSize = lr / (1 - beta1^t) and sqrtBias2 = sqrt(1 - beta2^t).
// Same name and argument order as CpuBackend.adamStep.
extern "C" __global__ void adamStep(float* params, float* m, float* v, const float* grads, int n, float stepSize,
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
