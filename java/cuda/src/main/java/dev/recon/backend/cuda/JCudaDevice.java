package dev.recon.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD8;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

import dev.recon.data.Fingerprint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.CUstream_flags;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasPointerMode;
import jcuda.nvrtc.JNvrtc;
import jcuda.runtime.cudaStream_t;
import jcuda.nvrtc.nvrtcProgram;

/**
 * A real GPU through JCuda: the primary context of device 0, cuBLAS in host pointer mode with
 * FP32 math (no TF32), and kernels/*.cu compiled by NVRTC for the device's compute capability
 * at first use, cached as PTX under ~/.cache/recon. Exceptions are on for every binding, so a
 * failing call throws at the call; a launch error surfaces at the next call unless
 * {@code -Drecon.cuda.sync=true} (or RECON_CUDA_SYNC=1) synchronizes after every launch.
 *
 * <p>Thread confinement: the context is made current on the thread that opens the device, and
 * every call must come from that thread ({@link CudaBackend} enforces it). {@link #close} frees
 * every allocation still held, destroys the cuBLAS handle and releases the primary context.
 */
public final class JCudaDevice implements Device {
    private static final int BLOCK = 256;
    private static final int MAX_GRID = 4096;

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final cublasHandle cublas = new cublasHandle();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final Map<Long, CUdeviceptr> memory = new HashMap<>();
    /** The stream every launch and cuBLAS call goes to; a blocking stream, so that the synchronous
     *  copies on the legacy default stream stay ordered with it. */
    private final CUstream stream = new CUstream();
    private final List<CUgraph> graphs = new ArrayList<>();
    private final List<CUgraphExec> execs = new ArrayList<>();
    private boolean capturing;
    private final List<String> details = new ArrayList<>();
    private final boolean syncAfterLaunch;
    private final String name;
    private final int maxSharedBytes;
    private final int multiprocessors;
    private long nextHandle = 1;

    public JCudaDevice() {
        JCudaDriver.setExceptionsEnabled(true);
        JCublas2.setExceptionsEnabled(true);
        JNvrtc.setExceptionsEnabled(true);
        cuInit(0);
        cuDeviceGet(device, 0);
        cuDevicePrimaryCtxRetain(context, device);
        boolean cublasCreated = false;
        try {
            cuCtxSetCurrent(context);
            int[] major = new int[1];
            int[] minor = new int[1];
            cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
            cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
            int cc = major[0] * 10 + minor[0];
            if (cc < 75) {
                throw new IllegalStateException("compute capability " + major[0] + "." + minor[0] + " is below 7.5");
            }
            byte[] nameBytes = new byte[256];
            cuDeviceGetName(nameBytes, nameBytes.length, device);
            name = new String(nameBytes, StandardCharsets.US_ASCII).trim().replace("\0", "");
            long[] mem = new long[1];
            cuDeviceTotalMem(mem, device);
            int[] driver = new int[1];
            cuDriverGetVersion(driver);
            int[] count = new int[1];
            cuDeviceGetCount(count);
            int[] optin = new int[1];
            cuDeviceGetAttribute(optin, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, device);
            maxSharedBytes = optin[0];
            int[] sms = new int[1];
            cuDeviceGetAttribute(sms, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device);
            multiprocessors = sms[0];
            JCublas2.cublasCreate(cublas);
            cublasCreated = true;
            JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_DEFAULT);
            JCublas2.cublasSetStream(cublas, new cudaStream_t(stream));
            JCublas2.cublasSetPointerMode(cublas, cublasPointerMode.CUBLAS_POINTER_MODE_HOST);
            JCublas2.cublasSetMathMode(cublas, cublasMath.CUBLAS_DEFAULT_MATH);
            int[] cublasVersion = new int[1];
            JCublas2.cublasGetVersion(cublas, cublasVersion);
            int[] nvMajor = new int[1];
            int[] nvMinor = new int[1];
            JNvrtc.nvrtcVersion(nvMajor, nvMinor);
            details.add("device 0 of " + count[0] + ": " + name + ", compute capability " + major[0] + "." + minor[0]
                    + ", " + multiprocessors + " SMs, " + (mem[0] >> 20) + " MiB, " + (maxSharedBytes >> 10)
                    + " KiB shared memory per block");
            details.add("driver API " + version(driver[0]) + ", cuBLAS " + cublasVersion[0] + ", NVRTC " + nvMajor[0] + "."
                    + nvMinor[0] + ", JCuda 12.6.0");
            syncAfterLaunch = Boolean.getBoolean("recon.cuda.sync") || "1".equals(System.getenv("RECON_CUDA_SYNC"));
            CUmodule module = new CUmodule();
            try {
                cuModuleLoadData(module, ptx(major[0], minor[0], nvMajor[0], nvMinor[0], false));
            } catch (RuntimeException e) {
                // a cached PTX this driver rejects (written by another NVRTC, or damaged): compile again
                cuModuleLoadData(module, ptx(major[0], minor[0], nvMajor[0], nvMinor[0], true));
            }
            for (String k : KernelSources.KERNELS) {
                CUfunction f = new CUfunction();
                cuModuleGetFunction(f, module, k);
                functions.put(k, f);
            }
            // above 48 KiB a kernel must opt in to its dynamic shared memory; done here, once, so
            // that nothing but launches happens while a training step is captured into a graph
            for (String k : KernelSources.DYNAMIC_SHARED) {
                JCudaDriver.cuFuncSetAttribute(functions.get(k),
                        CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, maxSharedBytes);
            }
        } catch (RuntimeException | Error e) {
            // a failed constructor gives back what it took: nobody else can
            try {
                if (cublasCreated) {
                    JCublas2.cublasDestroy(cublas);
                }
            } catch (RuntimeException ignored) {
                // the original failure is the one to report
            }
            try {
                cuDevicePrimaryCtxRelease(device);
            } catch (RuntimeException ignored) {
                // as above
            }
            throw e;
        }
    }

    private static String version(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }

    /**
     * The kernels as PTX for this compute capability: from the cache (unless {@code fresh}), else
     * compiled by NVRTC and cached, under a key of the sources, the device and the NVRTC version.
     */
    private static String ptx(int major, int minor, int nvrtcMajor, int nvrtcMinor, boolean fresh) {
        String src = KernelSources.all();
        byte[] digest = Fingerprint.sha256().digest(src.getBytes(StandardCharsets.UTF_8));
        String key = HexFormat.of().formatHex(digest).substring(0, 16) + "-sm" + major + minor + "-nvrtc" + nvrtcMajor
                + "." + nvrtcMinor + ".ptx";
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "recon", key);
        try {
            if (!fresh && Files.isRegularFile(cache)) {
                return Files.readString(cache, StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            // an unreadable cache entry is compiled again
        }
        nvrtcProgram prog = new nvrtcProgram();
        JNvrtc.nvrtcCreateProgram(prog, src, "recon_kernels.cu", 0, null, null);
        try {
            JNvrtc.nvrtcCompileProgram(prog, 2, new String[] {"--gpu-architecture=compute_" + major + minor,
                "--std=c++17"});
        } catch (RuntimeException e) {
            String[] log = new String[1];
            JNvrtc.nvrtcGetProgramLog(prog, log);
            JNvrtc.nvrtcDestroyProgram(prog);
            throw new IllegalStateException("NVRTC could not compile the kernels: " + log[0], e);
        }
        String[] ptx = new String[1];
        JNvrtc.nvrtcGetPTX(prog, ptx);
        JNvrtc.nvrtcDestroyProgram(prog);
        try {
            Files.createDirectories(cache.getParent());
            Path tmp = Files.createTempFile(cache.getParent(), key, ".tmp");
            Files.writeString(tmp, ptx[0], StandardCharsets.US_ASCII);
            Files.move(tmp, cache, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // no cache: compile again next time
        }
        return ptx[0];
    }

    @Override
    public String description() {
        return "CUDA " + name;
    }

    @Override
    public List<String> details() {
        return List.copyOf(details);
    }

    @Override
    public int blockSize() {
        return BLOCK;
    }

    @Override
    public int maxGrid() {
        return MAX_GRID;
    }

    @Override
    public int maxSharedBytes() {
        return maxSharedBytes;
    }

    @Override
    public int multiprocessors() {
        return multiprocessors;
    }

    @Override
    public int liveAllocations() {
        return memory.size();
    }

    private CUdeviceptr ptr(Ptr p) {
        if (p.handle() == 0) {
            return new CUdeviceptr();
        }
        CUdeviceptr base = memory.get(p.handle());
        if (base == null) {
            throw new IllegalArgumentException("unknown device allocation " + p.handle());
        }
        return p.byteOffset() == 0 ? base : base.withByteOffset(p.byteOffset());
    }

    @Override
    public long malloc(long bytes) {
        CUdeviceptr p = new CUdeviceptr();
        cuMemAlloc(p, Math.max(4, bytes));
        cuMemsetD8(p, (byte) 0, Math.max(4, bytes));
        long h = nextHandle++;
        memory.put(h, p);
        return h;
    }

    @Override
    public void free(long handle) {
        CUdeviceptr p = memory.remove(handle);
        if (p != null) {
            cuMemFree(p);
        }
    }

    @Override
    public void upload(Ptr dst, float[] src, int srcOff, int n) {
        cuMemcpyHtoD(ptr(dst), Pointer.to(src).withByteOffset(4L * srcOff), 4L * n);
    }

    @Override
    public void uploadInt(Ptr dst, int[] src, int n) {
        cuMemcpyHtoD(ptr(dst), Pointer.to(src), 4L * n);
    }

    @Override
    public void download(float[] dst, int dstOff, Ptr src, int n) {
        cuMemcpyDtoH(Pointer.to(dst).withByteOffset(4L * dstOff), ptr(src), 4L * n);
    }

    @Override
    public void copy(Ptr dst, Ptr src, long bytes) {
        if (bytes > 0) {
            cuMemcpyDtoD(ptr(dst), ptr(src), bytes);
        }
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Ptr a, int lda, Ptr b, int ldb,
                      float beta, Ptr c, int ldc) {
        JCublas2.cublasSgemm(cublas, op(transA), op(transB), m, n, k, Pointer.to(new float[] {alpha}), ptr(a), lda,
                ptr(b), ldb, Pointer.to(new float[] {beta}), ptr(c), ldc);
        if (syncAfterLaunch) {
            cuCtxSynchronize();
        }
    }

    private static int op(boolean t) {
        return t ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
    }

    @Override
    public void launch(String kernel, int grid, int block, int sharedBytes, Object... args) {
        CUfunction f = functions.get(kernel);
        if (f == null) {
            throw new IllegalArgumentException("no kernel named " + kernel);
        }
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object o = args[i];
            if (o instanceof Ptr p) {
                params[i] = Pointer.to(ptr(p));
            } else if (o instanceof Integer v) {
                params[i] = Pointer.to(new int[] {v});
            } else if (o instanceof Float v) {
                params[i] = Pointer.to(new float[] {v});
            } else {
                throw new IllegalArgumentException(kernel + ": argument " + i + " is a " + o.getClass().getSimpleName());
            }
        }
        cuLaunchKernel(f, grid, 1, 1, block, 1, 1, sharedBytes, stream, Pointer.to(params), null);
        // a synchronisation would end a capture: launches are recorded then, not run
        if (syncAfterLaunch && !capturing) {
            cuCtxSynchronize();
        }
    }

    @Override
    public void beginCapture() {
        JCudaDriver.cuStreamBeginCapture(stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
        capturing = true;
    }

    @Override
    public long endCapture() {
        CUgraph graph = new CUgraph();
        capturing = false;
        JCudaDriver.cuStreamEndCapture(stream, graph);
        graphs.add(graph);
        CUgraphExec exec = new CUgraphExec();
        JCudaDriver.cuGraphInstantiate(exec, graph, 0L);
        execs.add(exec);
        return execs.size() - 1;
    }

    @Override
    public void launchGraph(long graph) {
        JCudaDriver.cuGraphLaunch(execs.get((int) graph), stream);
        if (syncAfterLaunch) {
            cuCtxSynchronize();
        }
    }

    @Override
    public void synchronize() {
        cuCtxSynchronize();
    }

    @Override
    public void close() {
        for (CUdeviceptr p : memory.values()) {
            cuMemFree(p);
        }
        memory.clear();
        for (CUgraphExec e : execs) {
            JCudaDriver.cuGraphExecDestroy(e);
        }
        for (CUgraph g : graphs) {
            JCudaDriver.cuGraphDestroy(g);
        }
        execs.clear();
        graphs.clear();
        JCublas2.cublasDestroy(cublas);
        JCudaDriver.cuStreamDestroy(stream);
        cuDevicePrimaryCtxRelease(device);
    }
}
