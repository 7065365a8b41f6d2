package dev.recon.cli;

import dev.recon.VectorApi;

/** This CPU's FP32 FMA throughput, the denominator of {@code recon bench}'s share of peak. */
interface PeakFlops {
    /** GFLOP/s on {@code threads} threads; NaN where it cannot be measured. */
    double gflops(int threads);

    /** The peak with the Vector API's widest vectors, NaN without the Vector API. */
    static double measure(int threads) {
        return VectorApi.load("dev.recon.cli.VectorPeakFlops", PeakFlops.class, t -> Double.NaN).gflops(threads);
    }
}
