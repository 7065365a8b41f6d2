package dev.recon.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Initializer;
import dev.recon.model.Loss;
import dev.recon.model.ParameterLayout;
import dev.recon.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused whole-network kernels (kernels/network.cu) against their CPU twins, the Backend
 * defaults that run the per-layer operations: every layer's output, the scoring errors, every
 * dZ and every parameter gradient (also accumulated), on networks of several shapes (the
 * default, odd widths, 256-wide, eight layers), row counts that leave partial tiles and more
 * tiles than blocks and split the weight gradients over runs of rows, with the weights resident
 * in shared memory or streamed through it, and two block sizes. The two sides differ in float32
 * summation order only.
 */
class NetworkKernelsTest {
    /** A large GPU's shared memory, and one so small that the weights must be streamed. */
    static final int RESIDENT = EmulatedDevice.DEFAULT_MAX_SHARED;
    static final int STREAMED = 40 * 1024;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new AutoencoderSpec(30, new int[] {128, 64}, 16, Activation.RELU, Loss.MSE), 45, 64, RESIDENT),
                Arguments.of(new AutoencoderSpec(30, new int[] {128, 64}, 16, Activation.RELU, Loss.MAE), 45, 64, STREAMED),
                Arguments.of(new AutoencoderSpec(7, new int[] {13}, 3, Activation.RELU, Loss.MSE), 100, 64, RESIDENT),
                Arguments.of(new AutoencoderSpec(40, new int[] {256, 200}, 20, Activation.RELU, Loss.MSE), 20, 64, STREAMED),
                Arguments.of(new AutoencoderSpec(11, new int[] {24, 17, 9}, 5, Activation.RELU, Loss.MAE), 70, 256, RESIDENT),
                Arguments.of(new AutoencoderSpec(9, new int[] {20}, 4, Activation.IDENTITY, Loss.MSE), 33, 256, STREAMED),
                // enough rows for the weight gradients to be split over rows (2 and 5 runs, the last short)
                Arguments.of(new AutoencoderSpec(30, new int[] {128, 64}, 16, Activation.RELU, Loss.MSE), 300, 64, RESIDENT),
                Arguments.of(new AutoencoderSpec(7, new int[] {13}, 3, Activation.RELU, Loss.MAE), 701, 256, RESIDENT));
    }

    private static Buf upload(Backend be, float[] x) {
        Buf b = be.alloc(x.length);
        be.upload(b, 0, x, 0, x.length);
        return b;
    }

    private static float[] download(Backend be, Buf b, int n) {
        float[] x = new float[n];
        be.download(x, 0, b, 0, n);
        return x;
    }

    /** Everything the four operations produce, on one backend. */
    private record Outputs(float[][] a, float[] rowErr, float[] featErr, float[] scoreErr, float[][] dz, float[] lossErr,
                           float[] grads, float[] accumulated) {
    }

    private static Outputs run(Backend be, AutoencoderSpec spec, float[] p, float[] x, int rows) {
        try (be) {
            ParameterLayout layout = new ParameterLayout(spec);
            int layers = layout.layers();
            int d = spec.inputDim();
            Activation[] act = new Activation[layers];
            Buf[] a = new Buf[layers];
            Buf[] dz = new Buf[layers];
            for (int l = 0; l < layers; l++) {
                act[l] = spec.activation(l);
                a[l] = be.alloc((long) rows * layout.out(l));
                dz[l] = be.alloc((long) rows * layout.out(l));
            }
            be.prepareNetwork(layout, act, rows);
            Buf params = upload(be, p);
            Buf X = upload(be, x);
            Buf rowErr = be.alloc(rows);
            Buf featErr = be.alloc((long) rows * d);
            Buf grads = be.alloc(p.length);
            Buf[] scratch = new Buf[layers];
            for (int l = 0; l < layers; l++) {
                scratch[l] = be.alloc((long) rows * layout.out(l));
            }
            be.networkErrors(rowErr, featErr, X, scratch, params, layout, act, spec.objective(), rows);
            float[] scoreRow = download(be, rowErr, rows);
            float[] scoreFeat = download(be, featErr, rows * d);
            be.networkErrors(rowErr, null, X, scratch, params, layout, act, spec.objective(), rows);
            float[] scoreRowOnly = download(be, rowErr, rows);
            be.networkForward(a, X, params, layout, act, rows);
            float[][] as = new float[layers][];
            for (int l = 0; l < layers; l++) {
                as[l] = download(be, a[l], rows * layout.out(l));
            }
            be.networkBackward(dz, rowErr, X, a, params, layout, act, spec.objective(), rows, rows + 7);
            float[][] dzs = new float[layers][];
            for (int l = 0; l < layers; l++) {
                dzs[l] = download(be, dz[l], rows * layout.out(l));
            }
            float[] lossErr = download(be, rowErr, rows);
            be.networkWeightGradients(grads, X, a, dz, layout, rows, false);
            float[] g = download(be, grads, p.length);
            be.networkWeightGradients(grads, X, a, dz, layout, rows, true);
            float[] g2 = download(be, grads, p.length);
            return new Outputs(as, scoreRow, scoreFeat, scoreRowOnly, dzs, lossErr, g, g2);
        }
    }

    private static void close(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what);
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            assertTrue(Float.isFinite(got[i]), what + "[" + i + "] is " + got[i]);
            // float32 sums in another order: relative to the largest entry of the tensor
            assertEquals(want[i], got[i], 2e-5 * scale + 1e-6 * Math.abs(want[i]), what + "[" + i + "]");
        }
    }

    private static float[] rows(AutoencoderSpec spec, int rows) {
        Rng rng = new Rng(5);
        float[] x = new float[rows * spec.inputDim()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() * 1.5);
        }
        return x;
    }

    /** Runs the CPU twins and the CUDA backend on the same network and rows, and compares everything. */
    private static void compare(AutoencoderSpec spec, int rows, CudaBackend cuda) {
        float[] p = Initializer.he(spec, 17);
        float[] x = rows(spec, rows);
        Outputs cpu = run(new CpuBackend(1), spec, p, x, rows);
        Outputs gpu = run(cuda, spec, p, x, rows);
        assertEquals(0, cuda.liveAllocations(), "every buffer is freed when the backend closes");
        for (int l = 0; l < cpu.a().length; l++) {
            close("A_" + l, cpu.a()[l], gpu.a()[l]);
            close("dZ_" + l, cpu.dz()[l], gpu.dz()[l]);
        }
        close("scoring row errors", cpu.rowErr(), gpu.rowErr());
        close("scoring feature errors", cpu.featErr(), gpu.featErr());
        close("scoring row errors without feature errors", cpu.scoreErr(), gpu.scoreErr());
        close("training row errors", cpu.lossErr(), gpu.lossErr());
        close("parameter gradients", cpu.grads(), gpu.grads());
        close("accumulated parameter gradients", cpu.accumulated(), gpu.accumulated());
    }

    @org.junit.jupiter.api.Test
    void sumPartialsEqualsItsCpuTwin() {
        Emulation.require();
        int n = 1000;
        int splits = 7;
        float[] partial = rows(new AutoencoderSpec(splits, new int[] {8}, 2, Activation.RELU, Loss.MSE), n);
        float[] start = rows(new AutoencoderSpec(1, new int[] {8}, 2, Activation.RELU, Loss.MSE), n);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[][] got = new float[2][];
            try (CpuBackend cpu = new CpuBackend(1); CudaBackend cuda = Emulation.backend()) {
                Buf g = upload(cpu, start);
                cpu.sumPartials(g, upload(cpu, partial), n, splits, accumulate);
                got[0] = download(cpu, g, n);
                Buf h = upload(cuda, start);
                cuda.sumPartials(h, upload(cuda, partial), n, splits, accumulate);
                got[1] = download(cuda, h, n);
            }
            // the same additions in the same order: the same bits
            org.junit.jupiter.api.Assertions.assertArrayEquals(got[0], got[1], "accumulate " + accumulate);
            float want = accumulate ? start[3] : 0f;
            for (int k = 0; k < splits; k++) {
                want += partial[k * n + 3];
            }
            assertEquals(want, got[0][3]);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void fusedKernelsEqualTheLayerByLayerReference(AutoencoderSpec spec, int rows, int block, int shared) {
        Emulation.require();
        compare(spec, rows, new CudaBackend(new EmulatedDevice(block, 2, shared)));
    }

    /**
     * The same on a real GPU (the device check kit runs it with -Drecon.requireGpu=true, which
     * turns "no GPU" into a failure); the device chooses block size and shared memory itself.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void onTheGpuTheFusedKernelsEqualTheLayerByLayerReference(AutoencoderSpec spec, int rows, int block, int shared) {
        String why = new CudaProvider().unavailableReason();
        if (why != null && Boolean.getBoolean("recon.requireGpu")) {
            fail("a GPU is required (-Drecon.requireGpu=true): " + why);
        }
        assumeTrue(why == null, "no GPU: " + why);
        compare(spec, rows, (CudaBackend) new CudaProvider().open());
    }
}
