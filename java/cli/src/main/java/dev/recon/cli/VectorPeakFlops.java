package dev.recon.cli;

import dev.recon.SimdSpecies;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FMA peak with the vectors Recon's kernels use: twelve register-resident FMA chains per
 * thread, about half a second. Loaded by name through {@link PeakFlops#measure}.
 */
final class VectorPeakFlops implements PeakFlops {
    private static final VectorSpecies<Float> S = SimdSpecies.FLOAT;
    private static final int L = S.length();

    @Override
    public double gflops(int threads) {
        final int iterations = 20_000_000;
        double[] best = new double[threads];
        Thread[] team = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int id = t;
            team[t] = new Thread(() -> {
                // short calls first, so that C2 compiles the whole method: until then the loop runs
                // the Vector API's Java fallback, about a hundred times slower
                long w0 = System.nanoTime();
                float warm = 0;
                while (System.nanoTime() - w0 < 300_000_000L) {
                    warm += fmaChains(1000);
                }
                for (int rep = 0; rep < 3; rep++) {
                    long t0 = System.nanoTime();
                    float sink = fmaChains(iterations / 4);
                    double sec = (System.nanoTime() - t0) / 1e9;
                    double gflops = 2.0 * 12 * L * (iterations / 4) / sec / 1e9;
                    best[id] = Math.max(best[id], gflops + (sink == warm ? 1e-9 : 0));
                }
            });
            team[t].start();
        }
        double sum = 0;
        for (int t = 0; t < threads; t++) {
            try {
                team[t].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
            sum += best[t];
        }
        return sum;
    }

    /** Twelve independent FMA chains: enough to cover the FMA latency of two pipes. */
    private static float fmaChains(int n) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f);
        FloatVector d = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 1f);
        FloatVector a1 = a0.add(1f);
        FloatVector a2 = a0.add(2f);
        FloatVector a3 = a0.add(3f);
        FloatVector a4 = a0.add(4f);
        FloatVector a5 = a0.add(5f);
        FloatVector a6 = a0.add(6f);
        FloatVector a7 = a0.add(7f);
        FloatVector a8 = a0.add(8f);
        FloatVector a9 = a0.add(9f);
        FloatVector a10 = a0.add(10f);
        FloatVector a11 = a0.add(11f);
        for (int i = 0; i < n; i++) {
            a0 = a0.fma(m, d);
            a1 = a1.fma(m, d);
            a2 = a2.fma(m, d);
            a3 = a3.fma(m, d);
            a4 = a4.fma(m, d);
            a5 = a5.fma(m, d);
            a6 = a6.fma(m, d);
            a7 = a7.fma(m, d);
            a8 = a8.fma(m, d);
            a9 = a9.fma(m, d);
            a10 = a10.fma(m, d);
            a11 = a11.fma(m, d);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

}
