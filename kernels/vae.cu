// The variational autoencoder's kernels. ML is the encoder's latent layer, (rows, 2 * latent):
// means in the first latent columns, log-variances in the rest.
// Each kernel has a CPU method of the same name and argument order in CpuBackend.java.

// eps[i]: a standard normal draw from (seed, step[0], i) alone: a SplitMix64 hash, two 24-bit
// uniforms, Box-Muller in double (NormalNoise.java computes the same hash). seedHi and seedLo
// are the seed's two halves (kernel arguments are ints).
extern "C" __global__ void gaussianNoise(float* eps, int n, int seedHi, int seedLo, const int* step)
{
    const unsigned long long seed = ((unsigned long long) (unsigned int) seedHi << 32) | (unsigned int) seedLo;
    const unsigned long long t = (unsigned long long) (long long) step[0];
    const int stride = gridDim.x * blockDim.x;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        unsigned long long x = seed + t * 0x9E3779B97F4A7C15ULL + ((unsigned long long) i + 1ULL) * 0xD1B54A32D192ED03ULL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
        x ^= x >> 31;
        const double u1 = ((double) (x >> 40) + 0.5) * (1.0 / 16777216.0);
        const double u2 = ((double) ((x >> 16) & 0xFFFFFFULL) + 0.5) * (1.0 / 16777216.0);
        eps[i] = (float) (sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
    }
}

// Z[r, j] = mu + exp(lv / 2) eps[r, j]; kl[r] = klWeight * -0.5 * sum_j (1 + lv - mu^2 - e^lv).
// One thread per row; the sum in feature order, as on the CPU.
extern "C" __global__ void reparameterize(float* Z, float* kl, const float* ML, const float* eps, int rows, int latent,
                                          float klWeight)
{
    const int stride = gridDim.x * blockDim.x;
    for (int r = blockIdx.x * blockDim.x + threadIdx.x; r < rows; r += stride) {
        float sum = 0.0f;
        for (int j = 0; j < latent; j++) {
            const float mu = ML[(long) r * 2 * latent + j];
            const float lv = ML[(long) r * 2 * latent + latent + j];
            Z[(long) r * latent + j] = mu + expf(0.5f * lv) * eps[(long) r * latent + j];
            sum += 1.0f + lv - mu * mu - expf(lv);
        }
        kl[r] = klWeight * -0.5f * sum;
    }
}

// dML[r, j] = dZ + klScale mu; dML[r, latent + j] = dZ eps exp(lv / 2) / 2 + klScale (e^lv - 1) / 2.
extern "C" __global__ void reparameterizeBackward(float* dML, const float* dZ, const float* ML, const float* eps,
                                                  int rows, int latent, float klScale)
{
    const long n = (long) rows * latent;
    const int stride = gridDim.x * blockDim.x;
    for (long i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        const long r = i / latent;
        const long j = i % latent;
        const long m = r * 2 * latent + j;
        const float mu = ML[m];
        const float lv = ML[m + latent];
        const float g = dZ[i];
        dML[m] = g + klScale * mu;
        dML[m + latent] = g * eps[i] * 0.5f * expf(0.5f * lv) + klScale * 0.5f * (expf(lv) - 1.0f);
    }
}
