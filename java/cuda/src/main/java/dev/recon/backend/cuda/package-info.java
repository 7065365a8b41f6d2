/**
 * The GPU backend: {@link dev.recon.backend.cuda.CudaBackend} maps every backend operation onto
 * cuBLAS SGEMM or a kernel of kernels/*.cu, through the {@link dev.recon.backend.cuda.Device}
 * seam, which a real GPU (JCuda) or the host emulation (JNI, for tests without a GPU)
 * implements. The only package that may import {@code jcuda.*}.
 */
package dev.recon.backend.cuda;
