// A stand-in libnvrtc.so.13 for testing the compatibility layer without CUDA.
int nvrtcVersion(int* major, int* minor)
{
    *major = 13;
    *minor = 7;
    return 0;
}
