package dev.recon.backend.cpu;

import dev.recon.SimdSpecies;
import dev.recon.model.Objective;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels with the JDK's (incubating) Vector API. The GEMM keeps a block of C (6 rows by 4
 * vectors or 8 by 2 with AVX-512's 32 registers, 4 by 2 with AVX2's 16) in accumulators across
 * a panel of k: per step it loads the vectors of a B row, broadcasts one A value per row and
 * issues one FMA per accumulator, so the loop runs at the FMA units' rate. Every lane is the
 * same FMA chain as {@link ScalarKernels} computes, so the bits agree.
 *
 * <h2>Invariants</h2>
 * Columns past the last whole vector of a row use whole vectors whose extra lanes are computed
 * and dropped. What that may touch, for n = 30 and 16-float vectors (AVX-512):
 * <pre>
 *              columns 0 ........... 15   16 ............ 29 | 0  1 (of row r + 1)
 *   row r      [ c00: vector 0        ][ c01: 14 lanes + 2 extra ]   c01's extra lanes land on
 *   row r + 1  [ c10 (stored after c01 overwrites them) ]            row r + 1's columns 0-1
 *     ...
 *   row r + 7  [ c70                  ][ c71 through scratch: 14 ]   a block's last row never
 *                                                                     spills: row r + 8 may be
 *                                                                     another thread's
 *   buffer:    [ ...  the last row of the matrix ][ PAD floats ]     loads run up to L - 1
 *                                                                     floats into the padding
 * </pre>
 * <ol>
 *   <li>Loads (B's rows, C's rows as accumulator starts, dy in {@link #columnSums}) may read up
 *       to {@code L - 1} floats past the last element of a matrix; {@link CpuBackend#PAD} gives
 *       every buffer that slack, and {@link #gemm} falls back to the scalar kernels where an
 *       array lacks it. Extra lanes never reach a stored element.</li>
 *   <li>Stores stay within the rows [r0, r1) a call owns. A partial vector is stored whole only
 *       inside a block that then overwrites the spill with the next row's first vector (the
 *       8-by-2 block, when it is the row's only block); otherwise it goes through the thread's
 *       scratch and {@code System.arraycopy}. Elementwise kernels do their tails one by one.</li>
 *   <li>{@link #columnSums} alone writes past its columns: the chunk that ends at column n
 *       stores a whole vector whose lanes past n get back the values db held there. No other
 *       thread may write those floats during the call, which holds because the backend runs one
 *       operation at a time.</li>
 * </ol>
 * {@code VectorKernelsTest} checks all three with sentinel values around and after every
 * matrix. Vectors never cross a method boundary that is not inlined and never merge after a
 * branch: either would box them on the heap, the main way such code loses its speed. A block
 * method must also stay small enough for C1 to compile on the way to C2: a 6x4 block that
 * masked the input gradient by the ReLU's derivative before storing failed C1's register
 * allocation ("out of virtual registers in linear scan"), never reached C2, and ran the Vector
 * API's Java fallback (BENCHMARKS.md's history: what did not work).
 */
final class VectorKernels implements Kernels {
    /** The widest vectors the CPU has: 512-bit with AVX-512, 256-bit with AVX2 (override: -Drecon.simd.bits). */
    private static final VectorSpecies<Float> S = SimdSpecies.FLOAT;
    private static final int L = S.length();
    /** 512-bit vectors come with 32 registers: room for the 8-row block. */
    private static final boolean WIDE = L >= 16;

    @Override
    public int rowBlock(int n) {
        return WIDE ? (n >= 4 * L ? 6 : 8) : 4;
    }

    @Override
    public int scratchSize() {
        return 4 * L;
    }

    @Override
    public String describe() {
        return "Vector API, " + S.vectorBitSize() + "-bit";
    }

    /**
     * Rows of B (steps of k) per pass. A long k (the batch, in the weight gradient) is cut into
     * panels so that the panel of B and the rows of A it meets stay in L2 across all row blocks.
     * C carries the running sums from panel to panel, and an FMA chain continued from a stored
     * float is the same chain, so the result does not depend on the panel size.
     */
    private static final int KC = 256;

    @Override
    public void gemm(float[] c, int cOff, float[] a, int aOff, boolean transA, float[] b, int bOff, int m, int n, int k,
                     float alpha, float beta, int r0, int r1, float[] scratch) {
        boolean accumulate = alpha == 1f && beta == 1f;
        if (alpha != 1f || beta != 0f && !accumulate) {
            // scaled products occur only outside the training step; the scalar chain gives the same bits
            ScalarKernels.INSTANCE.gemm(c, cOff, a, aOff, transA, b, bOff, m, n, k, alpha, beta, r0, r1, scratch);
            return;
        }
        if ((long) bOff + (long) k * n + L > b.length || (long) cOff + (long) m * n + L > c.length) {
            // the blocks read whole vectors past the last column; CpuBackend pads its buffers for that
            ScalarKernels.INSTANCE.gemm(c, cOff, a, aOff, transA, b, bOff, m, n, k, alpha, beta, r0, r1, scratch);
            return;
        }
        final int ps = transA ? m : 1; // step in A from p to p + 1 for one row
        final int rs = transA ? 1 : k; // step in A from row i to row i + 1 for one p
        for (int k0 = 0; k0 < k; k0 += KC) {
            panel(c, cOff, a, aOff + k0 * ps, ps, rs, b, bOff + k0 * n, n, Math.min(KC, k - k0), r0, r1,
                    accumulate || k0 > 0, scratch);
        }
    }

    @Override
    public void dense(float[] c, float[] a, float[] b, int bOff, int m, int n, int k, float[] bias, int biasOff,
                      boolean relu, int r0, int r1, float[] scratch) {
        if (!WIDE || n % (4 * L) != 0 || k > KC || (long) bOff + (long) k * n + L > b.length
                || (long) biasOff + n > bias.length) {
            Kernels.super.dense(c, a, b, bOff, m, n, k, bias, biasOff, relu, r0, r1, scratch);
            return;
        }
        final float lo = relu ? 0f : Float.NEGATIVE_INFINITY;
        int i = r0;
        for (; i + 6 <= r1; i += 6) {
            for (int j = 0; j < n; j += 4 * L) {
                block6x4Dense(c, i * n + j, n, a, i * k, k, b, bOff + j, n, k, bias, biasOff + j, lo);
            }
        }
        if (i < r1) {
            narrow(c, 0, a, 0, 1, k, b, bOff, n, k, i, r1, 0, n, ZEROS, 0, scratch);
            biasActivation(c, bias, biasOff, i, r1, n, relu);
        }
    }

    /** Where the first panel's accumulators start: a row of zeros, read with row stride 0. */
    private static final float[] ZEROS = new float[4 * 64];

    /**
     * C rows [r0, r1) = (A panel) (B panel), over kc steps, plus C itself when {@code accumulate}.
     * The blocks start their accumulators from {@code z} at {@code zo} with row stride
     * {@code zs}: C's own rows, or {@link #ZEROS} with stride 0, the same code either way. With
     * AVX-512 the columns in whole groups of four vectors go by 6-row blocks, which read 4 B
     * vectors and 6 A values per 24 FMAs (8 x 2 blocks: 2 and 8 per 16), the rest by 8-row ones;
     * rows left over go by 4 and then 1. Each element is one FMA chain over p whichever block
     * computes it, so the blocking never changes the bits.
     */
    private static void panel(float[] c, int cOff, float[] a, int aOff, int ps, int rs, float[] b, int bOff, int n,
                              int kc, int r0, int r1, boolean accumulate, float[] scratch) {
        final float[] z = accumulate ? c : ZEROS;
        final int zs = accumulate ? n : 0;
        final int n4 = WIDE ? n - n % (4 * L) : 0;
        if (n4 > 0) {
            int i = r0;
            for (; i + 6 <= r1; i += 6) {
                final int aRow = aOff + i * rs;
                final int ci = cOff + i * n;
                for (int j = 0; j < n4; j += 4 * L) {
                    block6x4(c, ci + j, n, a, aRow, ps, rs, b, bOff + j, n, kc, z, zo(z, ci + j), zs);
                }
            }
            narrow(c, cOff, a, aOff, ps, rs, b, bOff, n, kc, i, r1, 0, n4, z, zs, scratch);
        }
        if (n4 < n) {
            int i = r0;
            if (WIDE) {
                for (; i + 8 <= r1; i += 8) {
                    block8(c, cOff, a, aOff, ps, rs, b, bOff, n, kc, i, n4, z, zs, scratch);
                }
            }
            narrow(c, cOff, a, aOff, ps, rs, b, bOff, n, kc, i, r1, n4, n, z, zs, scratch);
        }
    }

    /** Eight rows from row i, columns [j0, n), by the 8-row blocks. */
    private static void block8(float[] c, int cOff, float[] a, int aOff, int ps, int rs, float[] b, int bOff, int n,
                               int kc, int i, int j0, float[] z, int zs, float[] scratch) {
        final int aRow = aOff + i * rs;
        final int ci = cOff + i * n;
        int j = j0;
        for (; j + 2 * L <= n; j += 2 * L) {
            block8x2(c, ci + j, n, a, aRow, ps, rs, b, bOff + j, n, kc, z, zo(z, ci + j), zs, 2 * L, scratch);
        }
        int rem = n - j;
        if (rem > L && j == 0) {
            // the only block of its rows, so its stores may run past a row's end (see there)
            block8x2(c, ci, n, a, aRow, ps, rs, b, bOff, n, kc, z, zo(z, ci), zs, rem, scratch);
            return;
        }
        if (rem >= L) {
            block8x1(c, ci + j, n, a, aRow, ps, rs, b, bOff + j, n, kc, z, zo(z, ci + j), zs);
            j += L;
            rem -= L;
        }
        if (rem > 0) {
            block4x1(c, ci + j, n, a, aRow, ps, rs, b, bOff + j, n, kc, z, zo(z, ci + j), zs, rem, scratch);
            block4x1(c, ci + 4 * n + j, n, a, aRow + 4 * rs, ps, rs, b, bOff + j, n, kc, z,
                    zo(z, ci + 4 * n + j), zs, rem, scratch);
        }
    }

    /** Where a block's accumulators start: C's own element when z is C, else the row of zeros. */
    private static int zo(float[] z, int ci) {
        return z == ZEROS ? 0 : ci;
    }

    /** Rows [i0, r1), columns [j0, j1) of C: the rows the bigger blocks leave, 4 and then 1 at a time. */
    private static void narrow(float[] c, int cOff, float[] a, int aOff, int ps, int rs, float[] b, int bOff, int n,
                               int kc, int i0, int r1, int j0, int j1, float[] z, int zs, float[] scratch) {
        int i = i0;
        for (; i + 4 <= r1; i += 4) {
            final int aRow = aOff + i * rs;
            final int ci = cOff + i * n;
            int j = j0;
            for (; j + 2 * L <= j1; j += 2 * L) {
                block4x2(c, ci + j, n, a, aRow, ps, rs, b, bOff + j, n, kc, z, zo(z, ci + j), zs);
            }
            for (; j < j1; j += L) {
                block4x1(c, ci + j, n, a, aRow, ps, rs, b, bOff + j, n, kc, z, zo(z, ci + j), zs, Math.min(L, j1 - j),
                        scratch);
            }
        }
        for (; i < r1; i++) {
            // the last rows of an odd-sized block, one at a time
            final int aRow = aOff + i * rs;
            final int ci = cOff + i * n;
            int j = j0;
            for (; j + 4 * L <= j1; j += 4 * L) {
                block1x4(c, ci + j, n, a, aRow, ps, rs, b, bOff + j, n, kc, z, zo(z, ci + j), zs);
            }
            for (; j + L <= j1; j += L) {
                FloatVector acc = FloatVector.fromArray(S, z, zo(z, ci + j));
                int ap = aRow;
                int bp = bOff + j;
                for (int p = 0; p < kc; p++, ap += ps, bp += n) {
                    acc = FloatVector.broadcast(S, a[ap]).fma(FloatVector.fromArray(S, b, bp), acc);
                }
                acc.intoArray(c, ci + j);
            }
            for (; j < j1; j++) {
                float acc = z == ZEROS ? 0f : c[ci + j];
                int ap = aRow;
                for (int p = 0; p < kc; p++, ap += ps) {
                    acc = Math.fma(a[ap], b[bOff + p * n + j], acc);
                }
                c[ci + j] = acc;
            }
        }
    }

    /**
     * Six rows by four vectors: twenty-four accumulators, the block for layers at least 64 wide on
     * AVX-512. Per step it loads four B vectors and broadcasts six A values for 24 FMAs, against 10
     * loads for 16 FMAs in the 8-by-2 block (measured in BENCHMARKS.md, history step 9).
     */
    private static void block6x4(float[] c, int ci, int ldc, float[] a, int aRow, int ps, int rs, float[] b,
            int bj, int ldb, int k, float[] z, int zo, int zs) {
        FloatVector c00 = FloatVector.fromArray(S, z, zo);
        FloatVector c01 = FloatVector.fromArray(S, z, zo + L);
        FloatVector c02 = FloatVector.fromArray(S, z, zo + 2 * L);
        FloatVector c03 = FloatVector.fromArray(S, z, zo + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, z, zo + zs);
        FloatVector c11 = FloatVector.fromArray(S, z, zo + zs + L);
        FloatVector c12 = FloatVector.fromArray(S, z, zo + zs + 2 * L);
        FloatVector c13 = FloatVector.fromArray(S, z, zo + zs + 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, z, zo + 2 * zs);
        FloatVector c21 = FloatVector.fromArray(S, z, zo + 2 * zs + L);
        FloatVector c22 = FloatVector.fromArray(S, z, zo + 2 * zs + 2 * L);
        FloatVector c23 = FloatVector.fromArray(S, z, zo + 2 * zs + 3 * L);
        FloatVector c30 = FloatVector.fromArray(S, z, zo + 3 * zs);
        FloatVector c31 = FloatVector.fromArray(S, z, zo + 3 * zs + L);
        FloatVector c32 = FloatVector.fromArray(S, z, zo + 3 * zs + 2 * L);
        FloatVector c33 = FloatVector.fromArray(S, z, zo + 3 * zs + 3 * L);
        FloatVector c40 = FloatVector.fromArray(S, z, zo + 4 * zs);
        FloatVector c41 = FloatVector.fromArray(S, z, zo + 4 * zs + L);
        FloatVector c42 = FloatVector.fromArray(S, z, zo + 4 * zs + 2 * L);
        FloatVector c43 = FloatVector.fromArray(S, z, zo + 4 * zs + 3 * L);
        FloatVector c50 = FloatVector.fromArray(S, z, zo + 5 * zs);
        FloatVector c51 = FloatVector.fromArray(S, z, zo + 5 * zs + L);
        FloatVector c52 = FloatVector.fromArray(S, z, zo + 5 * zs + 2 * L);
        FloatVector c53 = FloatVector.fromArray(S, z, zo + 5 * zs + 3 * L);
        int ap = aRow;
        int bp = bj;
        for (int p = 0; p < k; p++, ap += ps, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector x0 = FloatVector.broadcast(S, a[ap]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            c02 = x0.fma(b2, c02);
            c03 = x0.fma(b3, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[ap + rs]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            c12 = x1.fma(b2, c12);
            c13 = x1.fma(b3, c13);
            FloatVector x2 = FloatVector.broadcast(S, a[ap + 2 * rs]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            c22 = x2.fma(b2, c22);
            c23 = x2.fma(b3, c23);
            FloatVector x3 = FloatVector.broadcast(S, a[ap + 3 * rs]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            c32 = x3.fma(b2, c32);
            c33 = x3.fma(b3, c33);
            FloatVector x4 = FloatVector.broadcast(S, a[ap + 4 * rs]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            c42 = x4.fma(b2, c42);
            c43 = x4.fma(b3, c43);
            FloatVector x5 = FloatVector.broadcast(S, a[ap + 5 * rs]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
            c52 = x5.fma(b2, c52);
            c53 = x5.fma(b3, c53);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c02.intoArray(c, ci + 2 * L);
        c03.intoArray(c, ci + 3 * L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c12.intoArray(c, ci + ldc + 2 * L);
        c13.intoArray(c, ci + ldc + 3 * L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c22.intoArray(c, ci + 2 * ldc + 2 * L);
        c23.intoArray(c, ci + 2 * ldc + 3 * L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c32.intoArray(c, ci + 3 * ldc + 2 * L);
        c33.intoArray(c, ci + 3 * ldc + 3 * L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c42.intoArray(c, ci + 4 * ldc + 2 * L);
        c43.intoArray(c, ci + 4 * ldc + 3 * L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
        c52.intoArray(c, ci + 5 * ldc + 2 * L);
        c53.intoArray(c, ci + 5 * ldc + 3 * L);
    }

    /**
     * {@link #block6x4} for a dense layer: the accumulators start at zero and, before they are
     * stored, get the bias added and every lane below {@code lo} set to 0 ({@code lo} is 0 for a
     * ReLU and -infinity for none, so there is no branch for a vector to merge after): the same
     * operations as the separate pass, without going through memory. A method of its own, so
     * that the plain block stays under C2's inlining budget.
     */
    private static void block6x4Dense(float[] c, int ci, int ldc, float[] a, int aRow, int rs, float[] b, int bj,
            int ldb, int k, float[] bias, int bo, float lo) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c02 = FloatVector.zero(S);
        FloatVector c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c12 = FloatVector.zero(S);
        FloatVector c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c22 = FloatVector.zero(S);
        FloatVector c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c32 = FloatVector.zero(S);
        FloatVector c33 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c42 = FloatVector.zero(S);
        FloatVector c43 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c52 = FloatVector.zero(S);
        FloatVector c53 = FloatVector.zero(S);
        int ap = aRow;
        int bp = bj;
        for (int p = 0; p < k; p++, ap++, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector x0 = FloatVector.broadcast(S, a[ap]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            c02 = x0.fma(b2, c02);
            c03 = x0.fma(b3, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[ap + rs]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            c12 = x1.fma(b2, c12);
            c13 = x1.fma(b3, c13);
            FloatVector x2 = FloatVector.broadcast(S, a[ap + 2 * rs]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            c22 = x2.fma(b2, c22);
            c23 = x2.fma(b3, c23);
            FloatVector x3 = FloatVector.broadcast(S, a[ap + 3 * rs]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            c32 = x3.fma(b2, c32);
            c33 = x3.fma(b3, c33);
            FloatVector x4 = FloatVector.broadcast(S, a[ap + 4 * rs]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            c42 = x4.fma(b2, c42);
            c43 = x4.fma(b3, c43);
            FloatVector x5 = FloatVector.broadcast(S, a[ap + 5 * rs]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
            c52 = x5.fma(b2, c52);
            c53 = x5.fma(b3, c53);
        }
        FloatVector q0 = FloatVector.fromArray(S, bias, bo);
        FloatVector q1 = FloatVector.fromArray(S, bias, bo + L);
        FloatVector q2 = FloatVector.fromArray(S, bias, bo + 2 * L);
        FloatVector q3 = FloatVector.fromArray(S, bias, bo + 3 * L);
        c00 = c00.add(q0);
        c01 = c01.add(q1);
        c02 = c02.add(q2);
        c03 = c03.add(q3);
        c10 = c10.add(q0);
        c11 = c11.add(q1);
        c12 = c12.add(q2);
        c13 = c13.add(q3);
        c20 = c20.add(q0);
        c21 = c21.add(q1);
        c22 = c22.add(q2);
        c23 = c23.add(q3);
        c30 = c30.add(q0);
        c31 = c31.add(q1);
        c32 = c32.add(q2);
        c33 = c33.add(q3);
        c40 = c40.add(q0);
        c41 = c41.add(q1);
        c42 = c42.add(q2);
        c43 = c43.add(q3);
        c50 = c50.add(q0);
        c51 = c51.add(q1);
        c52 = c52.add(q2);
        c53 = c53.add(q3);
        c00.blend(0f, c00.lt(lo)).intoArray(c, ci);
        c01.blend(0f, c01.lt(lo)).intoArray(c, ci + L);
        c02.blend(0f, c02.lt(lo)).intoArray(c, ci + 2 * L);
        c03.blend(0f, c03.lt(lo)).intoArray(c, ci + 3 * L);
        c10.blend(0f, c10.lt(lo)).intoArray(c, ci + ldc);
        c11.blend(0f, c11.lt(lo)).intoArray(c, ci + ldc + L);
        c12.blend(0f, c12.lt(lo)).intoArray(c, ci + ldc + 2 * L);
        c13.blend(0f, c13.lt(lo)).intoArray(c, ci + ldc + 3 * L);
        c20.blend(0f, c20.lt(lo)).intoArray(c, ci + 2 * ldc);
        c21.blend(0f, c21.lt(lo)).intoArray(c, ci + 2 * ldc + L);
        c22.blend(0f, c22.lt(lo)).intoArray(c, ci + 2 * ldc + 2 * L);
        c23.blend(0f, c23.lt(lo)).intoArray(c, ci + 2 * ldc + 3 * L);
        c30.blend(0f, c30.lt(lo)).intoArray(c, ci + 3 * ldc);
        c31.blend(0f, c31.lt(lo)).intoArray(c, ci + 3 * ldc + L);
        c32.blend(0f, c32.lt(lo)).intoArray(c, ci + 3 * ldc + 2 * L);
        c33.blend(0f, c33.lt(lo)).intoArray(c, ci + 3 * ldc + 3 * L);
        c40.blend(0f, c40.lt(lo)).intoArray(c, ci + 4 * ldc);
        c41.blend(0f, c41.lt(lo)).intoArray(c, ci + 4 * ldc + L);
        c42.blend(0f, c42.lt(lo)).intoArray(c, ci + 4 * ldc + 2 * L);
        c43.blend(0f, c43.lt(lo)).intoArray(c, ci + 4 * ldc + 3 * L);
        c50.blend(0f, c50.lt(lo)).intoArray(c, ci + 5 * ldc);
        c51.blend(0f, c51.lt(lo)).intoArray(c, ci + 5 * ldc + L);
        c52.blend(0f, c52.lt(lo)).intoArray(c, ci + 5 * ldc + 2 * L);
        c53.blend(0f, c53.lt(lo)).intoArray(c, ci + 5 * ldc + 3 * L);
    }

    /**
     * Eight rows by two vectors: sixteen accumulators, for CPUs with 32 vector registers
     * (AVX-512). {@code cols} is 2L, or in (L, 2L) for the last columns of a row, as in the
     * 30-wide layers: then row r's partial vector is stored whole, its extra lanes landing on the
     * first columns of row r + 1, which that row's first vector, stored next, overwrites (so the
     * block must be the row's only one); the block's last row goes through scratch, since the
     * row after it may belong to another thread.
     */
    private static void block8x2(float[] c, int ci, int ldc, float[] a, int aRow, int ps, int rs, float[] b,
            int bj, int ldb, int k, float[] z, int zo, int zs, int cols, float[] scratch) {
        FloatVector c00 = FloatVector.fromArray(S, z, zo);
        FloatVector c01 = FloatVector.fromArray(S, z, zo + L);
        FloatVector c10 = FloatVector.fromArray(S, z, zo + zs);
        FloatVector c11 = FloatVector.fromArray(S, z, zo + zs + L);
        FloatVector c20 = FloatVector.fromArray(S, z, zo + 2 * zs);
        FloatVector c21 = FloatVector.fromArray(S, z, zo + 2 * zs + L);
        FloatVector c30 = FloatVector.fromArray(S, z, zo + 3 * zs);
        FloatVector c31 = FloatVector.fromArray(S, z, zo + 3 * zs + L);
        FloatVector c40 = FloatVector.fromArray(S, z, zo + 4 * zs);
        FloatVector c41 = FloatVector.fromArray(S, z, zo + 4 * zs + L);
        FloatVector c50 = FloatVector.fromArray(S, z, zo + 5 * zs);
        FloatVector c51 = FloatVector.fromArray(S, z, zo + 5 * zs + L);
        FloatVector c60 = FloatVector.fromArray(S, z, zo + 6 * zs);
        FloatVector c61 = FloatVector.fromArray(S, z, zo + 6 * zs + L);
        FloatVector c70 = FloatVector.fromArray(S, z, zo + 7 * zs);
        FloatVector c71 = FloatVector.fromArray(S, z, zo + 7 * zs + L);
        int ap = aRow;
        int bp = bj;
        for (int p = 0; p < k; p++, ap += ps, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x0 = FloatVector.broadcast(S, a[ap]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[ap + rs]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[ap + 2 * rs]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[ap + 3 * rs]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
            FloatVector x4 = FloatVector.broadcast(S, a[ap + 4 * rs]);
            c40 = x4.fma(b0, c40);
            c41 = x4.fma(b1, c41);
            FloatVector x5 = FloatVector.broadcast(S, a[ap + 5 * rs]);
            c50 = x5.fma(b0, c50);
            c51 = x5.fma(b1, c51);
            FloatVector x6 = FloatVector.broadcast(S, a[ap + 6 * rs]);
            c60 = x6.fma(b0, c60);
            c61 = x6.fma(b1, c61);
            FloatVector x7 = FloatVector.broadcast(S, a[ap + 7 * rs]);
            c70 = x7.fma(b0, c70);
            c71 = x7.fma(b1, c71);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc);
        c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc);
        if (cols == 2 * L) {
            c71.intoArray(c, ci + 7 * ldc + L);
        } else {
            c71.intoArray(scratch, 0);
            System.arraycopy(scratch, 0, c, ci + 7 * ldc + L, cols - L);
        }
    }

    /** Eight rows by one vector: the 16-wide latent layer on AVX-512. */
    private static void block8x1(float[] c, int ci, int ldc, float[] a, int aRow, int ps, int rs, float[] b,
            int bj, int ldb, int k, float[] z, int zo, int zs) {
        FloatVector c00 = FloatVector.fromArray(S, z, zo);
        FloatVector c10 = FloatVector.fromArray(S, z, zo + zs);
        FloatVector c20 = FloatVector.fromArray(S, z, zo + 2 * zs);
        FloatVector c30 = FloatVector.fromArray(S, z, zo + 3 * zs);
        FloatVector c40 = FloatVector.fromArray(S, z, zo + 4 * zs);
        FloatVector c50 = FloatVector.fromArray(S, z, zo + 5 * zs);
        FloatVector c60 = FloatVector.fromArray(S, z, zo + 6 * zs);
        FloatVector c70 = FloatVector.fromArray(S, z, zo + 7 * zs);
        int ap = aRow;
        int bp = bj;
        for (int p = 0; p < k; p++, ap += ps, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector x0 = FloatVector.broadcast(S, a[ap]);
            c00 = x0.fma(b0, c00);
            FloatVector x1 = FloatVector.broadcast(S, a[ap + rs]);
            c10 = x1.fma(b0, c10);
            FloatVector x2 = FloatVector.broadcast(S, a[ap + 2 * rs]);
            c20 = x2.fma(b0, c20);
            FloatVector x3 = FloatVector.broadcast(S, a[ap + 3 * rs]);
            c30 = x3.fma(b0, c30);
            FloatVector x4 = FloatVector.broadcast(S, a[ap + 4 * rs]);
            c40 = x4.fma(b0, c40);
            FloatVector x5 = FloatVector.broadcast(S, a[ap + 5 * rs]);
            c50 = x5.fma(b0, c50);
            FloatVector x6 = FloatVector.broadcast(S, a[ap + 6 * rs]);
            c60 = x6.fma(b0, c60);
            FloatVector x7 = FloatVector.broadcast(S, a[ap + 7 * rs]);
            c70 = x7.fma(b0, c70);
        }
        c00.intoArray(c, ci);
        c10.intoArray(c, ci + ldc);
        c20.intoArray(c, ci + 2 * ldc);
        c30.intoArray(c, ci + 3 * ldc);
        c40.intoArray(c, ci + 4 * ldc);
        c50.intoArray(c, ci + 5 * ldc);
        c60.intoArray(c, ci + 6 * ldc);
        c70.intoArray(c, ci + 7 * ldc);
    }

    /** Four rows by two vectors: eight accumulators, for CPUs with 16 vector registers (AVX2). */
    private static void block4x2(float[] c, int ci, int ldc, float[] a, int aRow, int ps, int rs, float[] b,
            int bj, int ldb, int k, float[] z, int zo, int zs) {
        FloatVector c00 = FloatVector.fromArray(S, z, zo);
        FloatVector c01 = FloatVector.fromArray(S, z, zo + L);
        FloatVector c10 = FloatVector.fromArray(S, z, zo + zs);
        FloatVector c11 = FloatVector.fromArray(S, z, zo + zs + L);
        FloatVector c20 = FloatVector.fromArray(S, z, zo + 2 * zs);
        FloatVector c21 = FloatVector.fromArray(S, z, zo + 2 * zs + L);
        FloatVector c30 = FloatVector.fromArray(S, z, zo + 3 * zs);
        FloatVector c31 = FloatVector.fromArray(S, z, zo + 3 * zs + L);
        int ap = aRow;
        int bp = bj;
        for (int p = 0; p < k; p++, ap += ps, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x0 = FloatVector.broadcast(S, a[ap]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[ap + rs]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[ap + 2 * rs]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[ap + 3 * rs]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
    }

    /**
     * Four rows by one vector, or by a partial one ({@code cols} &lt; L), whose rows go through
     * scratch so that nothing lands past them.
     */
    private static void block4x1(float[] c, int ci, int ldc, float[] a, int aRow, int ps, int rs, float[] b,
            int bj, int ldb, int k, float[] z, int zo, int zs, int cols, float[] scratch) {
        FloatVector c00 = FloatVector.fromArray(S, z, zo);
        FloatVector c10 = FloatVector.fromArray(S, z, zo + zs);
        FloatVector c20 = FloatVector.fromArray(S, z, zo + 2 * zs);
        FloatVector c30 = FloatVector.fromArray(S, z, zo + 3 * zs);
        int ap = aRow;
        int bp = bj;
        for (int p = 0; p < k; p++, ap += ps, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector x0 = FloatVector.broadcast(S, a[ap]);
            c00 = x0.fma(b0, c00);
            FloatVector x1 = FloatVector.broadcast(S, a[ap + rs]);
            c10 = x1.fma(b0, c10);
            FloatVector x2 = FloatVector.broadcast(S, a[ap + 2 * rs]);
            c20 = x2.fma(b0, c20);
            FloatVector x3 = FloatVector.broadcast(S, a[ap + 3 * rs]);
            c30 = x3.fma(b0, c30);
        }
        if (cols == L) {
            c00.intoArray(c, ci);
            c10.intoArray(c, ci + ldc);
            c20.intoArray(c, ci + 2 * ldc);
            c30.intoArray(c, ci + 3 * ldc);
        } else {
            c00.intoArray(scratch, 0);
            System.arraycopy(scratch, 0, c, ci, cols);
            c10.intoArray(scratch, 0);
            System.arraycopy(scratch, 0, c, ci + ldc, cols);
            c20.intoArray(scratch, 0);
            System.arraycopy(scratch, 0, c, ci + 2 * ldc, cols);
            c30.intoArray(scratch, 0);
            System.arraycopy(scratch, 0, c, ci + 3 * ldc, cols);
        }
    }

    /** One row by four vectors: the last rows of an odd-sized block, with four chains in flight. */
    private static void block1x4(float[] c, int ci, int ldc, float[] a, int aRow, int ps, int rs, float[] b,
            int bj, int ldb, int k, float[] z, int zo, int zs) {
        FloatVector c00 = FloatVector.fromArray(S, z, zo);
        FloatVector c01 = FloatVector.fromArray(S, z, zo + L);
        FloatVector c02 = FloatVector.fromArray(S, z, zo + 2 * L);
        FloatVector c03 = FloatVector.fromArray(S, z, zo + 3 * L);
        int ap = aRow;
        int bp = bj;
        for (int p = 0; p < k; p++, ap += ps, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector x0 = FloatVector.broadcast(S, a[ap]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            c02 = x0.fma(b2, c02);
            c03 = x0.fma(b3, c03);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c02.intoArray(c, ci + 2 * L);
        c03.intoArray(c, ci + 3 * L);
    }

    @Override
    public void biasActivation(float[] y, float[] b, int bOff, int r0, int r1, int n, boolean relu) {
        // one loop for each case rather than a test inside one: the loop the JIT compiles stays branch-free
        if (relu) {
            biasRelu(y, b, bOff, r0, r1, n);
        } else {
            biasOnly(y, b, bOff, r0, r1, n);
        }
    }

    /** y = y + b, then 0 where that is &lt; 0 (a NaN passes, as in the scalar kernel). */
    private static void biasRelu(float[] y, float[] b, int bOff, int r0, int r1, int n) {
        final int vecEnd = S.loopBound(n);
        for (int r = r0; r < r1; r++) {
            final int o = r * n;
            int j = 0;
            for (; j < vecEnd; j += L) {
                FloatVector v = FloatVector.fromArray(S, y, o + j).add(FloatVector.fromArray(S, b, bOff + j));
                v.blend(0f, v.lt(0f)).intoArray(y, o + j);
            }
            // the tail of a row one by one: a whole vector would add this row's bias to the next row
            for (; j < n; j++) {
                float v = y[o + j] + b[bOff + j];
                y[o + j] = v < 0f ? 0f : v;
            }
        }
    }

    private static void biasOnly(float[] y, float[] b, int bOff, int r0, int r1, int n) {
        final int vecEnd = S.loopBound(n);
        for (int r = r0; r < r1; r++) {
            final int o = r * n;
            int j = 0;
            for (; j < vecEnd; j += L) {
                FloatVector.fromArray(S, y, o + j).add(FloatVector.fromArray(S, b, bOff + j)).intoArray(y, o + j);
            }
            for (; j < n; j++) {
                y[o + j] += b[bOff + j];
            }
        }
    }

    @Override
    public void reluBackward(float[] dy, float[] y, int from, int to) {
        int i = from;
        for (; i + L <= to; i += L) {
            VectorMask<Float> off = FloatVector.fromArray(S, y, i).compare(VectorOperators.GT, 0f).not();
            FloatVector.fromArray(S, dy, i).blend(0f, off).intoArray(dy, i);
        }
        ScalarKernels.INSTANCE.reluBackward(dy, y, i, to);
    }

    @Override
    public void columnSums(float[] db, int dbOff, float[] dy, int rows, int n, int j0, int j1, boolean accumulate) {
        // four vectors of columns at a time, summed in registers down all the rows: adding into
        // db row by row would wait on a store and a reload for every row
        int j = j0;
        for (; j + 4 * L <= j1; j += 4 * L) {
            FloatVector s0 = accumulate ? FloatVector.fromArray(S, db, dbOff + j) : FloatVector.zero(S);
            FloatVector s1 = accumulate ? FloatVector.fromArray(S, db, dbOff + j + L) : FloatVector.zero(S);
            FloatVector s2 = accumulate ? FloatVector.fromArray(S, db, dbOff + j + 2 * L) : FloatVector.zero(S);
            FloatVector s3 = accumulate ? FloatVector.fromArray(S, db, dbOff + j + 3 * L) : FloatVector.zero(S);
            for (int o = j; o < rows * n; o += n) {
                s0 = s0.add(FloatVector.fromArray(S, dy, o));
                s1 = s1.add(FloatVector.fromArray(S, dy, o + L));
                s2 = s2.add(FloatVector.fromArray(S, dy, o + 2 * L));
                s3 = s3.add(FloatVector.fromArray(S, dy, o + 3 * L));
            }
            s0.intoArray(db, dbOff + j);
            s1.intoArray(db, dbOff + j + L);
            s2.intoArray(db, dbOff + j + 2 * L);
            s3.intoArray(db, dbOff + j + 3 * L);
        }
        for (; j + L <= j1; j += L) {
            FloatVector s0 = accumulate ? FloatVector.fromArray(S, db, dbOff + j) : FloatVector.zero(S);
            for (int o = j; o < rows * n; o += n) {
                s0 = s0.add(FloatVector.fromArray(S, dy, o));
            }
            s0.intoArray(db, dbOff + j);
        }
        if (j < j1 && j1 == n && dbOff + j + L <= db.length && rows * n + L <= dy.length) {
            // the last columns of the op (only the last chunk has a partial vector): whole vectors
            // whose extra lanes, past the op's columns, add up the next row's first columns and
            // are then given back the values db held there
            FloatVector old = FloatVector.fromArray(S, db, dbOff + j);
            FloatVector s0 = accumulate ? old : FloatVector.zero(S);
            for (int o = j; o < rows * n; o += n) {
                s0 = s0.add(FloatVector.fromArray(S, dy, o));
            }
            s0.blend(old, IOTA.compare(VectorOperators.GE, (float) (j1 - j))).intoArray(db, dbOff + j);
            j = j1;
        }
        ScalarKernels.INSTANCE.columnSums(db, dbOff, dy, rows, n, j, j1, accumulate);
    }

    /** 0, 1, 2, ... in the lanes. */
    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);

    @Override
    public void lossGradient(float[] dy, float[] y, float[] x, int from, int to, float scale, Objective objective) {
        if (objective.sigmoid()) {
            // the scalar loop: a vector exp needs IntVector for its 2^n, and a second vector class in
            // the JVM spoils the JIT's profile of the Vector API for every kernel (see SimdSpecies)
            ScalarKernels.INSTANCE.lossGradient(dy, y, x, from, to, scale, objective);
            return;
        }
        boolean mse = objective == Objective.MSE;
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector diff = FloatVector.fromArray(S, y, i).sub(FloatVector.fromArray(S, x, i));
            FloatVector g;
            if (mse) {
                g = diff.mul(scale);
            } else {
                g = FloatVector.zero(S).blend(scale, diff.compare(VectorOperators.GT, 0f))
                        .blend(-scale, diff.compare(VectorOperators.LT, 0f));
            }
            g.intoArray(dy, i);
        }
        ScalarKernels.INSTANCE.lossGradient(dy, y, x, i, to, scale, objective);
    }

    @Override
    public void losses(float[] e, int eOff, float[] y, float[] x, int from, int to, Objective objective) {
        ScalarKernels.INSTANCE.losses(e, eOff, y, x, from, to, objective);
    }

    @Override
    public void adam(float[] p, float[] m, float[] v, float[] g, int from, int to, float stepSize, float beta1,
                     float beta2, float eps, float sqrtBias2) {
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(beta1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(beta2).add(gi.mul(c2).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector step = mi.mul(stepSize).div(vi.sqrt().div(sqrtBias2).add(eps));
            FloatVector.fromArray(S, p, i).sub(step).intoArray(p, i);
        }
        ScalarKernels.INSTANCE.adam(p, m, v, g, i, to, stepSize, beta1, beta2, eps, sqrtBias2);
    }
}
