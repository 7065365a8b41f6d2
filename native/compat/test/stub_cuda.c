// A stand-in libcuda.so.1 for tests on machines without a GPU: a driver that is installed but
// sees no device. cuInit answers CUDA_ERROR_NO_DEVICE (100); nothing else is ever reached.
int cuInit(unsigned int flags)
{
    (void) flags;
    return 100;
}

int cuDriverGetVersion(int* version)
{
    *version = 13000;
    return 0;
}
