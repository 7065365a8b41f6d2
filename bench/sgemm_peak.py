#!/usr/bin/python3
"""This CPU's FP32 peak as a large square SGEMM reaches it through NumPy's BLAS (OpenBLAS on
Debian), with every core. Prints GFLOP/s (best of 5). Usage: sgemm_peak.py [N]"""
import sys
import time

import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
rng = np.random.default_rng(0)
a = rng.standard_normal((n, n), dtype=np.float32)
b = rng.standard_normal((n, n), dtype=np.float32)
a @ b
best = 0.0
for _ in range(5):
    t0 = time.perf_counter()
    a @ b
    best = max(best, 2.0 * n ** 3 / (time.perf_counter() - t0) / 1e9)
print(f"{best:.1f}")
