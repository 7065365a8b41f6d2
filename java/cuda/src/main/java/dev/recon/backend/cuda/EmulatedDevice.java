package dev.recon.backend.cuda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The device seam on the host: the same kernels/*.cu sources, compiled with g++ against
 * native/cuda_host.h into a JNI library (native/build.sh), one OS thread per CUDA thread; SGEMM
 * by a column-major reference loop. Device pointers are host addresses. For tests on machines
 * without a GPU: slow, but it executes every kernel and every line of {@link CudaBackend}.
 */
public final class EmulatedDevice implements Device {
    /** Where the build puts the library; tests get the path as the system property {@code recon.emu.lib}. */
    public static final String LIB_PROPERTY = "recon.emu.lib";

    private static String loadError;
    private static boolean loaded;

    /** A large GPU's opt-in limit (an H100's or H200's 227 KiB). */
    public static final int DEFAULT_MAX_SHARED = 227 * 1024;

    private final int blockSize;
    private final int maxGrid;
    private final int maxSharedBytes;
    private final java.util.Set<Long> live = new java.util.HashSet<>();
    /** Recordings by handle, each a list of launches; the one being recorded, or null. */
    private final java.util.List<java.util.List<Runnable>> graphs = new java.util.ArrayList<>();
    private java.util.List<Runnable> recording;

    /** A device with a large GPU's shared memory ({@link #DEFAULT_MAX_SHARED}). */
    public EmulatedDevice(int blockSize, int maxGrid) {
        this(blockSize, maxGrid, DEFAULT_MAX_SHARED);
    }

    /**
     * @param blockSize      threads per block (a power of two, at most 256): small blocks keep the
     *                       thread count of the emulation down, large ones exercise the reductions
     * @param maxGrid        blocks per grid at most
     * @param maxSharedBytes dynamic shared memory per block at most (a small value makes the fused
     *                       kernels stream weights through shared memory instead of keeping them)
     */
    public EmulatedDevice(int blockSize, int maxGrid, int maxSharedBytes) {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException(why);
        }
        if (Integer.bitCount(blockSize) != 1 || blockSize > 256) {
            throw new IllegalArgumentException("block size must be a power of two up to 256: " + blockSize);
        }
        this.blockSize = blockSize;
        this.maxGrid = maxGrid;
        this.maxSharedBytes = maxSharedBytes;
    }

    @Override
    public int maxSharedBytes() {
        return maxSharedBytes;
    }

    /** Two, as the machines the emulation runs on have: small batches then get smaller tiles. */
    @Override
    public int multiprocessors() {
        return 2;
    }

    @Override
    public synchronized int liveAllocations() {
        return live.size();
    }

    /** Why the emulation library cannot be loaded, or null when it can. */
    public static synchronized String unavailableReason() {
        if (!loaded && loadError == null) {
            String p = System.getProperty(LIB_PROPERTY);
            if (p == null) {
                loadError = "system property " + LIB_PROPERTY + " is not set (native/build.sh builds the library)";
            } else if (!Files.isRegularFile(Path.of(p))) {
                loadError = p + " does not exist (native/build.sh builds it; it needs g++)";
            } else {
                try {
                    System.load(Path.of(p).toAbsolutePath().toString());
                    loaded = true;
                } catch (UnsatisfiedLinkError e) {
                    loadError = "cannot load " + p + ": " + e.getMessage();
                }
            }
        }
        return loaded ? null : loadError;
    }

    @Override
    public String description() {
        return "CUDA host emulation (" + blockSize + " threads per block, kernels run on the CPU)";
    }

    @Override
    public List<String> details() {
        return List.of(description());
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public int maxGrid() {
        return maxGrid;
    }

    private static long addr(Ptr p) {
        return p.handle() == 0 ? 0 : p.handle() + p.byteOffset();
    }

    @Override
    public long malloc(long bytes) {
        notCapturing();
        long a = malloc0(bytes);
        if (a == 0) {
            throw new OutOfMemoryError("emulated device: cannot allocate " + bytes + " bytes");
        }
        synchronized (this) {
            live.add(a);
        }
        return a;
    }

    @Override
    public void free(long handle) {
        notCapturing();
        synchronized (this) {
            if (!live.remove(handle)) {
                throw new IllegalStateException("free of an address that is not allocated: " + handle);
            }
        }
        free0(handle);
    }

    @Override
    public void upload(Ptr dst, float[] src, int srcOff, int n) {
        notCapturing();
        upload0(addr(dst), src, srcOff, n);
    }

    @Override
    public void uploadInt(Ptr dst, int[] src, int n) {
        notCapturing();
        uploadInt0(addr(dst), src, n);
    }

    @Override
    public void download(float[] dst, int dstOff, Ptr src, int n) {
        notCapturing();
        download0(dst, dstOff, addr(src), n);
    }

    @Override
    public void copy(Ptr dst, Ptr src, long bytes) {
        notCapturing();
        copy0(addr(dst), addr(src), bytes);
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Ptr a, int lda, Ptr b, int ldb,
                      float beta, Ptr c, int ldc) {
        notCapturing();
        sgemm0(transA, transB, m, n, k, alpha, addr(a), lda, addr(b), ldb, beta, addr(c), ldc);
    }

    @Override
    public void launch(String kernel, int grid, int block, int sharedBytes, Object... args) {
        long[] slots = new long[args.length];
        for (int i = 0; i < args.length; i++) {
            Object o = args[i];
            if (o instanceof Ptr p) {
                slots[i] = addr(p);
            } else if (o instanceof Integer v) {
                slots[i] = v;
            } else if (o instanceof Float f) {
                slots[i] = Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
            } else {
                throw new IllegalArgumentException(kernel + ": argument " + i + " is a " + o.getClass().getSimpleName());
            }
        }
        if (sharedBytes > maxSharedBytes) {
            throw new IllegalArgumentException(kernel + ": " + sharedBytes + " bytes of shared memory, the most is "
                    + maxSharedBytes);
        }
        Runnable run = () -> {
            String err = launch0(kernel, grid, block, sharedBytes, slots);
            if (err != null) {
                throw new IllegalStateException("emulated launch of " + err);
            }
        };
        if (recording != null) {
            recording.add(run);
        } else {
            run.run();
        }
    }

    /** As a CUDA stream capture: anything but a launch while recording is an error. */
    private void notCapturing() {
        if (recording != null) {
            throw new IllegalStateException("operation not permitted while a graph is being captured");
        }
    }

    @Override
    public void beginCapture() {
        notCapturing();
        recording = new java.util.ArrayList<>();
    }

    @Override
    public long endCapture() {
        if (recording == null) {
            throw new IllegalStateException("no capture in progress");
        }
        graphs.add(recording);
        recording = null;
        return graphs.size() - 1;
    }

    @Override
    public void launchGraph(long graph) {
        notCapturing();
        for (Runnable r : graphs.get((int) graph)) {
            r.run();
        }
    }

    @Override
    public void synchronize() {
        // launches are synchronous on the host
    }

    @Override
    public void close() {
        // allocations are freed by their owner; the library stays loaded
    }

    private static native long malloc0(long bytes);

    private static native void free0(long addr);

    private static native void upload0(long dst, float[] src, int off, int n);

    private static native void uploadInt0(long dst, int[] src, int n);

    private static native void download0(float[] dst, int off, long src, int n);

    private static native void copy0(long dst, long src, long bytes);

    private static native void sgemm0(boolean ta, boolean tb, int m, int n, int k, float alpha, long a, int lda,
                                      long b, int ldb, float beta, long c, int ldc);

    private static native String launch0(String kernel, int grid, int block, int shared, long[] slots);
}
