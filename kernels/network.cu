// Fused kernels over the whole autoencoder: every layer in one launch. Each kernel has a
// default method of the same name and argument order in Backend.java (which CpuBackend runs:
// the per-layer operations, the reference these are tested against).
//
// The network is described by `shape`, 5 ints per layer l at 5*l: in, out, the offset of W
// (out, in) and of b (out) in the flat parameter buffer, and the activation (0 ReLU, 1 identity).
// Per-layer buffers are passed as up to RECON_NET_MAX_LAYERS pointers (a0..a7: each layer's
// output A_l (rows, out); d0..d7: the gradient into each layer's affine map dZ_l (rows, out));
// pointers past the last layer are null. Widths are at most RECON_NET_MAX_WIDTH.
//
// A block works on a tile of `tileRows` rows at a time (grid-stride over the tiles), with two
// tiles of activations in dynamic shared memory, so that a layer's output never leaves the chip
// on its way to the next layer.

#define RECON_NET_MAX_LAYERS 8
#define RECON_NET_MAX_WIDTH 256

#ifndef RECON_HOST
#define RECON_DYNAMIC_SHARED(T, name) extern __shared__ T name[]
#endif

// One layer of the shape table (the 5 ints at 5 * l).
struct ReconLayer {
    int in, out, wOff, bOff, act;
};

__device__ inline ReconLayer reconLayer(const int* shape, int l)
{
    const int* s = shape + 5 * l;
    return ReconLayer{s[0], s[1], s[2], s[3], s[4]};
}

// Outputs [o0, o0 + cw) of a layer into shared memory as W^T (in, cw) followed by their bias
// (cw): ws[k * cw + o] = W[o0 + o, k]. The whole layer is the chunk o0 = 0, cw = out.
__device__ inline void reconLoadChunk(float* ws, const float* params, ReconLayer L, int o0, int cw)
{
    for (int i = threadIdx.x; i < L.in * cw; i += blockDim.x) {
        const int o = i / L.in;
        const int k = i - o * L.in;
        ws[k * cw + o] = params[L.wOff + (long) (o0 + o) * L.in + k];
    }
    for (int o = threadIdx.x; o < cw; o += blockDim.x) {
        ws[L.in * cw + o] = params[L.bOff + o0 + o];
    }
}

__device__ inline float reconActivate(float v, int act)
{
    // v < 0 rather than fmaxf: NaN must pass through so that divergence is seen
    return (act == 0 && v < 0.0f) ? 0.0f : v;
}

__device__ inline int reconMaxWidth(const int* shape, int layers)
{
    int w = shape[0];
    for (int l = 0; l < layers; l++) {
        const int out = reconLayer(shape, l).out;
        w = w > out ? w : out;
    }
    return w;
}

// One thread's register tile of a product: acc[u][q] = sum over j < n of x[r_u][j] * m[j * ld + c_q]
// for the RT rows r_u = rBase + u of x (rows of xStride floats) and the RT columns
// c_q = g + q * groups of m, each clamped to the last valid one (nr rows, cols columns) so that
// every load is in bounds; the caller drops the results of clamped rows and columns. Columns a
// group apart make a warp's loads of m consecutive; rows of x are mostly shared across a warp,
// so their loads are broadcasts: 2 * RT loads per RT^2 FMAs.
template <int RT>
__device__ inline void reconRegisterTile(float (*acc)[RT], const float* x, int xStride, int rBase, int nr,
                                         const float* m, int ld, int g, int groups, int cols, int n)
{
    int c[RT];
    const float* xr[RT];
    for (int q = 0; q < RT; q++) {
        const int col = g + q * groups;
        c[q] = col < cols ? col : cols - 1;
        xr[q] = x + (rBase + q < nr ? rBase + q : nr - 1) * xStride;
        for (int u = 0; u < RT; u++) {
            acc[q][u] = 0.0f;
        }
    }
    for (int j = 0; j < n; j++) {
        const float* mj = m + (long) j * ld;
        float w[RT];
        float v[RT];
        for (int q = 0; q < RT; q++) {
            w[q] = mj[c[q]];
            v[q] = xr[q][j];
        }
        for (int u = 0; u < RT; u++) {
            for (int q = 0; q < RT; q++) {
                acc[u][q] += v[u] * w[q];
            }
        }
    }
}

// The block's threads share an (nr, cols) product x m out in RT x RT register tiles
// (reconRegisterTile) and hand each element to store(r, c, sum).
template <int RT, typename Store>
__device__ inline void reconTiledProductRT(const float* x, int xStride, int nr, const float* m, int ld, int cols,
                                           int n, Store store)
{
    const int groups = (cols + RT - 1) / RT;
    const int quads = (nr + RT - 1) / RT;
    for (int i = threadIdx.x; i < quads * groups; i += blockDim.x) {
        const int g = i % groups;
        const int rBase = (i / groups) * RT;
        float acc[RT][RT];
        reconRegisterTile<RT>(acc, x, xStride, rBase, nr, m, ld, g, groups, cols, n);
        for (int u = 0; u < RT; u++) {
            for (int q = 0; q < RT; q++) {
                const int r = rBase + u;
                const int c = g + q * groups;
                if (r < nr && c < cols) {
                    store(r, c, acc[u][q]);
                }
            }
        }
    }
}

// reconTiledProductRT with the largest register tile (4, 2 or 1) that still gives at least half
// of the block's threads a tile: a narrow layer (16 or 30 neurons) or a short tile of rows would
// leave most threads idle with 4 x 4 tiles, while smaller tiles load more per FMA (on the H200,
// 4 x 4 tiles with half the threads idle scored faster than 2 x 2 with all of them busy). Every
// thread takes the same branch.
template <typename Store>
__device__ inline void reconTiledProduct(const float* x, int xStride, int nr, const float* m, int ld, int cols, int n,
                                         Store store)
{
    const int half = blockDim.x / 2;
    if (((nr + 3) / 4) * ((cols + 3) / 4) >= half) {
        reconTiledProductRT<4>(x, xStride, nr, m, ld, cols, n, store);
    } else if (((nr + 1) / 2) * ((cols + 1) / 2) >= half) {
        reconTiledProductRT<2>(x, xStride, nr, m, ld, cols, n, store);
    } else {
        reconTiledProductRT<1>(x, xStride, nr, m, ld, cols, n, store);
    }
}

// The forward pass of one tile of nr rows starting at row r0, from X into the shared tile that
// it returns (the last layer's output, (nr, out_last)). Where a layer's pointer in `outs` is not
// null, its output is also stored there. Weights come from shared memory: all of them when
// `resident` (loaded once per block by the caller, layer l's W^T (in, out) then b (out) at
// wOffS[l]), else streamed through the `wCap` floats at wS, a chunk of output neurons at a time.
// Every thread of the block calls this.
__device__ inline float* reconForwardTile(float* wS, float* bufA, float* bufB, const float* X, const float* params,
                                          const int* shape, int layers, int r0, int nr, int resident, int wCap,
                                          float* const* outs)
{
    const int t = threadIdx.x;
    const int d = shape[0];
    for (int i = t; i < nr * d; i += blockDim.x) {
        bufA[i] = X[(long) r0 * d + i];
    }
    __syncthreads();
    float* cur = bufA;
    float* nxt = bufB;
    int sOff = 0;
    for (int l = 0; l < layers; l++) {
        const ReconLayer L = reconLayer(shape, l);
        const int in = L.in;
        const int out = L.out;
        // outputs per chunk: all of them when resident, else as many as the weight space holds
        int chunk = resident ? out : wCap / (in + 1);
        chunk = chunk < out ? chunk : out;
        for (int o0 = 0; o0 < out; o0 += chunk) {
            const int cw = out - o0 < chunk ? out - o0 : chunk;
            const float* ws;
            int stride;
            if (resident) {
                ws = wS + sOff;
                stride = out;
            } else {
                __syncthreads(); // the previous chunk's weights are no longer read
                reconLoadChunk(wS, params, L, o0, cw);
                __syncthreads();
                ws = wS;
                stride = cw;
            }
            const float* bias = ws + in * stride;
            float* store = outs[l];
            reconTiledProduct(cur, in, nr, ws, stride, cw, in, [&](int r, int o, float sum) {
                const float v = reconActivate(sum + bias[o], L.act);
                nxt[r * out + o0 + o] = v;
                if (store != 0) {
                    store[(long) (r0 + r) * out + o0 + o] = v;
                }
            });
        }
        __syncthreads();
        float* tmp = cur;
        cur = nxt;
        nxt = tmp;
        sOff += in * out + out;
    }
    return cur;
}

// Loads every layer's W^T and b into shared memory, for the resident mode of reconForwardTile.
// No barrier here: reconForwardTile's first one, after it loads the rows, orders these stores
// before any weight is read.
__device__ inline void reconLoadWeights(float* wS, const float* params, const int* shape, int layers)
{
    int sOff = 0;
    for (int l = 0; l < layers; l++) {
        const ReconLayer L = reconLayer(shape, l);
        reconLoadChunk(wS + sOff, params, L, 0, L.out);
        sOff += L.in * L.out + L.out;
    }
}

// The forward pass of rows X (rows, d), a tile of tileRows rows at a time, every layer's output
// also stored where outs has a pointer; after each tile, every thread calls afterTile(r0, nr, y)
// with the tile's output y (nr, d) in shared memory. smem, the kernel's dynamic shared memory:
// wCap floats of weights, then two tiles of tileRows x (widest layer). The weights stay resident when they fit
// (paramCount <= wCap), else are streamed.
template <typename AfterTile>
__device__ inline void reconForwardRows(float* smem, float* const* outs, const float* X, const float* params,
                                        const int* shape, int layers, int rows, int tileRows, int wCap,
                                        int paramCount, AfterTile afterTile)
{
    const int maxW = reconMaxWidth(shape, layers);
    float* wS = smem;
    float* bufA = smem + wCap;
    float* bufB = bufA + tileRows * maxW;
    const int resident = paramCount <= wCap;
    if (resident) {
        reconLoadWeights(wS, params, shape, layers);
    }
    for (int r0 = blockIdx.x * tileRows; r0 < rows; r0 += gridDim.x * tileRows) {
        const int nr = rows - r0 < tileRows ? rows - r0 : tileRows;
        const float* y = reconForwardTile(wS, bufA, bufB, X, params, shape, layers, r0, nr, resident, wCap, outs);
        afterTile(r0, nr, y);
    }
}

// The forward pass of rows X (rows, d): every layer's output A_l (rows, out_l) into a0..a7.
extern "C" __global__ void networkForward(float* a0, float* a1, float* a2, float* a3, float* a4, float* a5, float* a6,
                                          float* a7, const float* X, const float* params, const int* shape, int layers,
                                          int rows, int tileRows, int wCap, int paramCount)
{
    RECON_DYNAMIC_SHARED(float, smem);
    float* const outs[RECON_NET_MAX_LAYERS] = {a0, a1, a2, a3, a4, a5, a6, a7};
    reconForwardRows(smem, outs, X, params, shape, layers, rows, tileRows, wCap, paramCount,
                     [](int, int, const float*) {});
}

// Scoring in one launch: the forward pass of X (rows, d) without storing any layer, then
// rowErr[r] = mean_j loss(Y[r, j], X[r, j]) and, where featErr is not null, featErr (rows, d).
// Loss codes as in loss.cu (0 MSE, 1 MAE). Shared memory as networkForward.
extern "C" __global__ void networkErrors(float* rowErr, float* featErr, const float* X, const float* params,
                                         const int* shape, int layers, int rows, int loss, int tileRows, int wCap,
                                         int paramCount)
{
    RECON_DYNAMIC_SHARED(float, smem);
    float* const none[RECON_NET_MAX_LAYERS] = {0, 0, 0, 0, 0, 0, 0, 0};
    const int d = shape[0];
    const float invD = 1.0f / d;
    reconForwardRows(smem, none, X, params, shape, layers, rows, tileRows, wCap, paramCount,
                     [&](int r0, int nr, const float* y) {
        for (int r = threadIdx.x; r < nr; r += blockDim.x) {
            const long o = (long) (r0 + r) * d;
            float s = 0.0f;
            for (int j = 0; j < d; j++) {
                const float diff = y[r * d + j] - X[o + j];
                // __fmul_rn: the square is rounded before the sum, never fused into an FMA, so that a
                // row's error does not depend on whether its feature errors are stored
                const float e = loss == 0 ? __fmul_rn(diff, diff) : fabsf(diff);
                if (featErr != 0) {
                    featErr[o + j] = e;
                }
                s += e;
            }
            rowErr[r0 + r] = s * invD;
        }
        __syncthreads(); // the tile buffers are refilled by the next tile
    });
}

// The backward pass through the activations, after networkForward of the same X: the loss and
// its gradient (as lossGradient: rowErr (rows), normalised by batchRows * d), then every layer's
// dZ_l into d0..d7: dZ_last = dLoss/dY * act'(Y), dZ_{l-1} = (dZ_l W_l) * act'(A_{l-1}).
// A_l come from a0..a7. Dynamic shared memory: two tiles of tileRows x (widest layer); W is read
// from global memory row by row (consecutive threads, consecutive addresses).
extern "C" __global__ void networkBackward(float* d0, float* d1, float* d2, float* d3, float* d4, float* d5, float* d6,
                                           float* d7, float* rowErr, const float* X, const float* a0, const float* a1,
                                           const float* a2, const float* a3, const float* a4, const float* a5,
                                           const float* a6, const float* a7, const float* params, const int* shape,
                                           int layers, int rows, int batchRows, int loss, int tileRows)
{
    RECON_DYNAMIC_SHARED(float, smem);
    float* const dz[RECON_NET_MAX_LAYERS] = {d0, d1, d2, d3, d4, d5, d6, d7};
    const float* const as[RECON_NET_MAX_LAYERS] = {a0, a1, a2, a3, a4, a5, a6, a7};
    const int maxW = reconMaxWidth(shape, layers);
    const int last = layers - 1;
    const int d = reconLayer(shape, last).out;
    const int lastAct = reconLayer(shape, last).act;
    const float invD = 1.0f / d;
    const float scale = (loss == 0 ? 2.0f : 1.0f) / ((float) batchRows * d);
    const int t = threadIdx.x;
    for (int r0 = blockIdx.x * tileRows; r0 < rows; r0 += gridDim.x * tileRows) {
        const int nr = rows - r0 < tileRows ? rows - r0 : tileRows;
        float* cur = smem;
        float* nxt = smem + tileRows * maxW;
        const float* y = as[last];
        for (int i = t; i < nr * d; i += blockDim.x) {
            const long g = (long) r0 * d + i;
            const float diff = y[g] - X[g];
            float v = loss == 0 ? scale * diff : (diff > 0.0f ? scale : (diff < 0.0f ? -scale : 0.0f));
            if (lastAct == 0 && !(y[g] > 0.0f)) {
                v = 0.0f;
            }
            cur[i] = v;
            dz[last][g] = v;
        }
        for (int r = t; r < nr; r += blockDim.x) {
            const long o = (long) (r0 + r) * d;
            float s = 0.0f;
            for (int j = 0; j < d; j++) {
                const float diff = y[o + j] - X[o + j];
                s += loss == 0 ? __fmul_rn(diff, diff) : fabsf(diff);
            }
            rowErr[r0 + r] = s * invD;
        }
        __syncthreads();
        for (int l = last; l > 0; l--) {
            const ReconLayer L = reconLayer(shape, l);
            const int in = L.in;
            const int out = L.out;
            const float* W = params + L.wOff;
            const int prevAct = reconLayer(shape, l - 1).act;
            const float* aPrev = as[l - 1];
            // W read through L1 a row at a time
            reconTiledProduct(cur, out, nr, W, in, in, out, [&](int r, int k, float sum) {
                const long at = (long) (r0 + r) * in + k;
                const float v = (prevAct == 0 && !(aPrev[at] > 0.0f)) ? 0.0f : sum;
                nxt[r * in + k] = v;
                dz[l - 1][at] = v;
            });
            __syncthreads();
            float* tmp = cur;
            cur = nxt;
            nxt = tmp;
        }
    }
}

#define RECON_WG_TILE 16

// T x T tiles of one layer's gradient matrix (out, in + 1), the bias being its last column.
__device__ inline int reconGradientTiles(ReconLayer L, int T)
{
    return ((L.out + T - 1) / T) * ((L.in + 1 + T - 1) / T);
}

// Every layer's weight and bias gradient, after networkBackward: dW_l (out, in) = dZ_l^T A_{l-1}
// and db_l = column sums of dZ_l, with A_{-1} = X. Each layer's gradient is an (out, in + 1)
// matrix, the bias its last column (A's column of ones). The rows are split into `splits` runs
// of rowsPerSplit rows; a block owns one T x T tile of one layer's matrix for one run of rows
// (T * T = blockDim.x: 16 x 16, or 8 x 8 for 64 threads) and writes its sum, in a fixed order,
// to partial[split * paramCount + the parameter's offset]; sumPartials then adds the runs up in
// split order. So the result is deterministic, and a large batch keeps every SM busy.
extern "C" __global__ void networkWeightGradients(float* partial, const float* X, const float* a0, const float* a1,
                                                  const float* a2, const float* a3, const float* a4, const float* a5,
                                                  const float* a6, const float* a7, const float* d0, const float* d1,
                                                  const float* d2, const float* d3, const float* d4, const float* d5,
                                                  const float* d6, const float* d7, const int* shape, int layers,
                                                  int rows, int rowsPerSplit, int splits, int paramCount)
{
    __shared__ float sG[RECON_WG_TILE * RECON_WG_TILE];
    __shared__ float sA[RECON_WG_TILE * RECON_WG_TILE];
    const float* const as[RECON_NET_MAX_LAYERS] = {a0, a1, a2, a3, a4, a5, a6, a7};
    const float* const dz[RECON_NET_MAX_LAYERS] = {d0, d1, d2, d3, d4, d5, d6, d7};
    const int T = blockDim.x >= RECON_WG_TILE * RECON_WG_TILE ? RECON_WG_TILE : 8;
    const int t = threadIdx.x;
    const int ty = t / T; // the output neuron within the tile (ty >= T: an idle thread of a larger block)
    const int tx = t - ty * T; // the input within the tile
    int tiles = 0;
    for (int l = 0; l < layers; l++) {
        tiles += reconGradientTiles(reconLayer(shape, l), T);
    }
    for (int job = blockIdx.x; job < tiles * splits; job += gridDim.x) {
        const int tile = job % tiles;
        const int split = job / tiles;
        int l = 0;
        int first = 0;
        for (;;) {
            const int n = reconGradientTiles(reconLayer(shape, l), T);
            if (tile < first + n) {
                break;
            }
            first += n;
            l++;
        }
        const ReconLayer L = reconLayer(shape, l);
        const int in = L.in;
        const int out = L.out;
        const int tilesK = (in + 1 + T - 1) / T;
        const int o0 = ((tile - first) / tilesK) * T;
        const int k0 = ((tile - first) % tilesK) * T;
        const float* A = l == 0 ? X : as[l - 1];
        const float* G = dz[l];
        const int rBegin = split * rowsPerSplit;
        const int rEnd = rows < rBegin + rowsPerSplit ? rows : rBegin + rowsPerSplit;
        float s = 0.0f;
        for (int r0 = rBegin; r0 < rEnd; r0 += T) {
            if (ty < T) {
                // row r0 + ty of this tile's slices of dZ_l and of A (with its column of ones)
                const int r = r0 + ty;
                const int o = o0 + tx;
                const int k = k0 + tx;
                sG[ty * T + tx] = (r < rEnd && o < out) ? G[(long) r * out + o] : 0.0f;
                sA[ty * T + tx] = r < rEnd ? (k < in ? A[(long) r * in + k] : (k == in ? 1.0f : 0.0f)) : 0.0f;
            }
            __syncthreads();
            if (ty < T) {
                for (int i = 0; i < T; i++) {
                    s += sG[i * T + ty] * sA[i * T + tx];
                }
            }
            __syncthreads();
        }
        const int o = o0 + ty;
        const int k = k0 + tx;
        if (ty < T && o < out && k <= in) {
            const long at = k < in ? L.wOff + (long) o * in + k : L.bOff + o;
            partial[(long) split * paramCount + at] = s;
        }
    }
}

// grads[i] = sum over s of partial[s * n + i], in split order, added to grads[i] when accumulate.
extern "C" __global__ void sumPartials(float* grads, const float* partial, int n, int splits, int accumulate)
{
    const int stride = gridDim.x * blockDim.x;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        float s = 0.0f;
        for (int k = 0; k < splits; k++) {
            s += partial[(long) k * n + i];
        }
        grads[i] = accumulate ? grads[i] + s : s;
    }
}
