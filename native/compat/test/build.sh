#!/usr/bin/env bash
# Builds the stand-ins the compatibility tests load instead of CUDA, into OUT:
#   driver/libcuda.so.1    a driver that sees no device (cuInit -> CUDA_ERROR_NO_DEVICE)
#   cuda13/libcublas.so.13, cuda13/libnvrtc.so.13   "CUDA 13" libraries with a few functions
# Usage: native/compat/test/build.sh OUT (needs gcc)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:?usage: native/compat/test/build.sh OUT}"
mkdir -p "$OUT/driver" "$OUT/cuda13"
cc() { gcc -O2 -Wall -Wextra -Werror -fPIC -shared -Wl,-soname,"$1" -o "$2" "$3"; }
cc libcuda.so.1 "$OUT/driver/libcuda.so.1" "$HERE/stub_cuda.c"
cc libcublas.so.13 "$OUT/cuda13/libcublas.so.13" "$HERE/fake_cublas13.c"
cc libnvrtc.so.13 "$OUT/cuda13/libnvrtc.so.13" "$HERE/fake_nvrtc13.c"
echo "native/compat/test/build.sh: built the CUDA stand-ins in $OUT"
