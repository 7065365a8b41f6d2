// A stand-in libcublas.so.13 for testing the compatibility layer without CUDA: two functions
// with cuBLAS's signatures and recognisable answers; every other symbol is missing, so the
// shim must answer for it with CUBLAS_STATUS_NOT_SUPPORTED.
enum { PROPERTY_MAJOR = 0, PROPERTY_MINOR = 1, PROPERTY_PATCH = 2 };

int cublasGetProperty(int type, int* value)
{
    *value = type == PROPERTY_MAJOR ? 13 : type == PROPERTY_MINOR ? 7 : 42;
    return 0;
}

int cublasGetVersion_v2(void* handle, int* version)
{
    (void) handle;
    *version = 130742;
    return 0;
}
