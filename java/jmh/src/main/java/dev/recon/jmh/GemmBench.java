package dev.recon.jmh;

import dev.recon.backend.Buf;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.model.Activation;
import dev.recon.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The GEMMs of one training step of the default 30-128-64-16-64-128-30 network, per layer
 * shape, as the CPU backend runs them: forward Y = X W^T, input gradient dX = dY W, weight
 * gradient dW = dY^T X; and the whole dense layer as the network runs it, Y = relu(X W^T + b).
 * Reports microseconds per call; GFLOP/s = 2 m n k / time.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar java/jmh/target/benchmarks.jar -p batch=256,4096</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBench {
    /** Rows of the minibatch. */
    @Param({"256", "4096"})
    public int batch;

    /** The layer, as "in x out". */
    @Param({"30x128", "128x64", "64x16", "16x64", "64x128", "128x30"})
    public String layer;

    @Param({"2"})
    public int threads;

    private CpuBackend be;
    private Buf x;
    private Buf w;
    private Buf b;
    private Buf y;
    private Buf dx;
    private Buf dw;
    private int in;
    private int out;

    @Setup(Level.Trial)
    public void setup() {
        String[] p = layer.split("x");
        in = Integer.parseInt(p[0]);
        out = Integer.parseInt(p[1]);
        be = new CpuBackend(threads);
        Rng rng = new Rng(1);
        x = fill(batch * in, rng);
        w = fill(out * in, rng);
        b = fill(out, rng);
        y = fill(batch * out, rng);
        dx = be.alloc((long) batch * in);
        dw = be.alloc((long) out * in);
    }

    private Buf fill(int n, Rng rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        Buf buf = be.alloc(n);
        be.upload(buf, 0, a, 0, n);
        return buf;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    /** Y (batch, out) = X (batch, in) . W^T, W is (out, in). */
    @Benchmark
    public Buf forward() {
        be.gemm(y, 0, x, 0, false, w, 0, true, batch, out, in, 1f, 0f);
        return y;
    }

    /** Y = relu(X W^T + b): the forward GEMM with bias and activation (in registers where the kernels can). */
    @Benchmark
    public Buf dense() {
        be.denseForward(y, x, w, 0, b, 0, batch, out, in, Activation.RELU);
        return y;
    }

    /** dX (batch, in) = dY (batch, out) . W (out, in). */
    @Benchmark
    public Buf inputGradient() {
        be.gemm(dx, 0, y, 0, false, w, 0, false, batch, in, out, 1f, 0f);
        return dx;
    }

    /** dW (out, in) = dY^T (out, batch) . X (batch, in). */
    @Benchmark
    public Buf weightGradient() {
        be.gemm(dw, 0, y, 0, true, x, 0, false, out, in, batch, 1f, 0f);
        return dw;
    }
}
