// cuda_host.h: runs CUDA kernels written in Recon's host-compatible subset on the CPU.
//
// Every CUDA thread is a real OS thread, so a missing __syncthreads() shows up as a race
// instead of being hidden by sequential execution. The blocks of a grid run one after another
// (a schedule CUDA allows); the threads of a block run at once and meet at a std::barrier for
// each __syncthreads(). __shared__ variables become function statics: one copy, shared by the
// threads of the block that is running. Atomics go through std::atomic_ref.
//
// The subset (kernels/README.md): extern "C" __global__ kernels, 1-D grids and blocks,
// fixed-size __shared__ arrays, dynamic shared memory through RECON_DYNAMIC_SHARED,
// __syncthreads() reached by every thread of the block, atomicAdd on float and int, <cmath>
// math. No warp intrinsics.
#pragma once

#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <algorithm>
#include <functional>
#include <thread>
#include <vector>

struct uint3 {
    unsigned int x, y, z;
};
struct dim3 {
    unsigned int x, y, z;
};

inline thread_local uint3 threadIdx;
inline thread_local uint3 blockIdx;
inline thread_local dim3 blockDim;
inline thread_local dim3 gridDim;
inline thread_local std::barrier<>* recon_block_barrier = nullptr;
// the block's dynamic shared memory (the launch's sharedBytes), one buffer per running block
inline thread_local void* recon_dynamic_shared = nullptr;

// Kernels declare dynamic shared memory with RECON_DYNAMIC_SHARED(float, name), which is
// `extern __shared__ float name[]` on the device (defined in the kernel file unless RECON_HOST).
#define RECON_HOST 1
#define RECON_DYNAMIC_SHARED(T, name) T* name = static_cast<T*>(recon_dynamic_shared)

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __shared__ static

inline void __syncthreads() { recon_block_barrier->arrive_and_wait(); }

// a multiplication the device compiler may not fuse into an FMA; the host build never fuses (no -mfma)
inline float __fmul_rn(float a, float b) { return a * b; }

inline float atomicAdd(float* address, float val) { return std::atomic_ref<float>(*address).fetch_add(val); }

inline int atomicAdd(int* address, int val) { return std::atomic_ref<int>(*address).fetch_add(val); }

// fabsf, sqrtf, expf, ... come from the C library, as on the device
#include <math.h>

namespace recon_host {

// Runs body(thread) for every thread of every block of a 1-D grid, each block with sharedBytes
// of dynamic shared memory, filled with a NaN pattern so that a read before a write shows.
inline void launch(unsigned grid, unsigned block, size_t sharedBytes, const std::function<void()>& body)
{
    std::vector<float> shared((sharedBytes + sizeof(float) - 1) / sizeof(float));
    for (unsigned b = 0; b < grid; b++) {
        std::fill(shared.begin(), shared.end(), std::nanf(""));
        std::barrier<> barrier(static_cast<std::ptrdiff_t>(block));
        std::vector<std::thread> threads;
        threads.reserve(block);
        for (unsigned t = 0; t < block; t++) {
            threads.emplace_back([&, t] {
                threadIdx = {t, 0, 0};
                blockIdx = {b, 0, 0};
                blockDim = {block, 1, 1};
                gridDim = {grid, 1, 1};
                recon_block_barrier = &barrier;
                recon_dynamic_shared = shared.data();
                body();
            });
        }
        for (auto& th : threads) {
            th.join();
        }
    }
}

} // namespace recon_host
