package dev.recon.backend.cuda;

import java.util.List;

/**
 * The narrow seam between the CUDA backend and a device: memory, copies, a column-major
 * SGEMM with cuBLAS's conventions, and kernel launches by name. {@link JCudaDevice} drives a
 * real GPU; {@link EmulatedDevice} runs the same kernel sources on the host, so that the
 * backend's Java code is tested on machines without one.
 */
public interface Device extends AutoCloseable {
    /** One line: the device and how it runs. */
    String description();

    /** Facts for {@code recon info}: device, driver, runtime, compute capability, memory. */
    List<String> details();

    /** Threads per block for elementwise kernels and for reductions (a power of two, at most 256). */
    int blockSize();

    /** The most blocks a grid-stride kernel is given. */
    int maxGrid();

    /** A zero-filled allocation; returns its handle. */
    long malloc(long bytes);

    void free(long handle);

    void upload(Ptr dst, float[] src, int srcOff, int n);

    void uploadInt(Ptr dst, int[] src, int n);

    void download(float[] dst, int dstOff, Ptr src, int n);

    void copy(Ptr dst, Ptr src, long bytes);

    /**
     * cuBLAS {@code cublasSgemm}: C = alpha op(A) op(B) + beta C with column-major matrices,
     * op(A) (m, k), op(B) (k, n), C (m, n); beta = 0 overwrites C.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Ptr a, int lda, Ptr b, int ldb,
               float beta, Ptr c, int ldc);

    /**
     * Launches {@code kernel} on a 1-D grid with {@code sharedBytes} of dynamic shared memory per
     * block (at most {@link #maxSharedBytes()}); arguments are {@link Ptr}, Integer or Float, in the
     * kernel's order.
     */
    void launch(String kernel, int grid, int block, int sharedBytes, Object... args);

    /** Multiprocessors (SMs) of the device: how many blocks run at once, one each at the least. */
    int multiprocessors();

    /** The most dynamic shared memory one block may have, in bytes. */
    int maxSharedBytes();

    /** Allocations made and not yet freed (for the memory-lifecycle tests). */
    int liveAllocations();

    /**
     * Starts recording: launches until {@link #endCapture} are recorded, not run. Only launches
     * may be issued meanwhile (no allocation, copy or SGEMM).
     */
    void beginCapture();

    /** Ends the recording and returns a handle to replay it with {@link #launchGraph}. */
    long endCapture();

    /** Replays a recording: its launches, in order, with the arguments they were recorded with. */
    void launchGraph(long graph);

    /** Waits for all queued work. */
    void synchronize();

    @Override
    void close();
}
