// cuda_host.h: runs CUDA kernels written in Recon's host-compatible subset on the CPU.
//
// Every CUDA thread is a real OS thread, so a missing __syncthreads() shows up as a race
// instead of being hidden by sequential execution. The blocks of a grid run one after another
// (a schedule CUDA allows); the threads of a block run at once and meet at a std::barrier for
// each __syncthreads(). __shared__ variables become function statics: one copy, shared by the
// threads of the block that is running. Atomics go through std::atomic_ref.
//
// The subset (kernels/README.md): extern "C" __global__ kernels, 1-D grids and blocks,
// fixed-size __shared__ arrays, __syncthreads() reached by every thread of the block,
// atomicAdd on float and int, <cmath> math. No warp intrinsics, no dynamic shared memory.
#pragma once

#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
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

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __shared__ static

inline void __syncthreads() { recon_block_barrier->arrive_and_wait(); }

inline float atomicAdd(float* address, float val) { return std::atomic_ref<float>(*address).fetch_add(val); }

inline int atomicAdd(int* address, int val) { return std::atomic_ref<int>(*address).fetch_add(val); }

// fabsf, sqrtf, expf, ... come from the C library, as on the device
#include <math.h>

namespace recon_host {

// Runs body(thread) for every thread of every block of a 1-D grid.
inline void launch(unsigned grid, unsigned block, const std::function<void()>& body)
{
    for (unsigned b = 0; b < grid; b++) {
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
                body();
            });
        }
        for (auto& th : threads) {
            th.join();
        }
    }
}

} // namespace recon_host
