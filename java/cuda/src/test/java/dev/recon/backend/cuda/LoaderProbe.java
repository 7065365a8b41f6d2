package dev.recon.backend.cuda;

import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.nvrtc.JNvrtc;

/**
 * Run in a child JVM by {@link JCudaLoaderTest}, whose environment decides which driver and
 * libraries it finds: asks the provider why CUDA is (un)available and, where the loader got as
 * far as JCuda, calls through the compatibility layer into the stand-in CUDA 13 libraries.
 */
public final class LoaderProbe {
    private LoaderProbe() {
    }

    public static void main(String[] args) {
        CudaProvider p = new CudaProvider();
        System.out.println("reason=" + p.unavailableReason());
        for (String d : p.details()) {
            System.out.println("detail=" + d);
        }
        if (args.length > 0 && args[0].equals("calls")) {
            int[] v = new int[1];
            JCublas2.cublasGetProperty(0, v);
            System.out.println("cublasGetProperty=" + v[0]);
            int[] major = new int[1];
            int[] minor = new int[1];
            JNvrtc.nvrtcVersion(major, minor);
            System.out.println("nvrtcVersion=" + major[0] + "." + minor[0]);
            try {
                JCublas2.cublasSetMathMode(new cublasHandle(), 0);
                System.out.println("missing=returned");
            } catch (RuntimeException e) {
                System.out.println("missing=" + e.getMessage());
            }
        }
    }
}
