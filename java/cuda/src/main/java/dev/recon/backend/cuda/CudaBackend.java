package dev.recon.backend.cuda;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.backend.IntBuf;
import dev.recon.model.Activation;
import dev.recon.model.Objective;
import dev.recon.model.ParameterLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backend on a CUDA device: GEMMs through cuBLAS (mapped by {@link ColumnMajorGemm}), every
 * other operation a kernel of kernels/*.cu with the name of the CPU method it mirrors. Buffers
 * live on the device; the host only uploads data, launches, and reads results when asked.
 */
public final class CudaBackend implements Backend {
    /** Activation codes of the kernels. */
    static final int ACT_RELU = 0;
    static final int ACT_IDENTITY = 1;
    /** Objective codes of the kernels ({@link Objective#code()}): the fused network kernels know the first two. */
    static final int LOSS_MSE = 0;
    static final int LOSS_MAE = 1;

    /** The fused network kernels take at most this many layers of at most this width. */
    static final int NET_MAX_LAYERS = 8;
    static final int NET_MAX_WIDTH = 256;

    private final Device device;
    private final Thread owner = Thread.currentThread();
    private final List<Long> allocations = new ArrayList<>();
    private final Map<ParameterLayout, Shape> shapes = new IdentityHashMap<>();
    private long launches;
    private String graphFailure;

    /** Rows per run of the weight gradients' split over rows: enough to amortise a tile's loads. */
    static final int ROWS_PER_SPLIT = 128;
    static final int MAX_SPLITS = 32;

    /** A network's shape table on the device (5 ints a layer, see kernels/network.cu). */
    private record Shape(int[] host, Activation[] act, CudaIntBuf device, int maxWidth, int params) {
    }

    /** How the forward kernels run for some rows: rows per tile, floats of weights, shared bytes, blocks. */
    private record ForwardPlan(int tile, int weightFloats, int sharedBytes, int grid) {
    }

    /** The weight gradients' partial sums, splits x parameters, per network. */
    private final Map<ParameterLayout, Buf> partials = new IdentityHashMap<>();

    public CudaBackend(Device dev) {
        this.device = dev;
    }

    /**
     * The device, to the thread that opened this backend only: a CUDA context is current per
     * thread, so a call from another thread would run without it (or in another one).
     */
    private Device dev() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("the CUDA backend is confined to the thread that opened it (" + owner.getName()
                    + "); called from " + Thread.currentThread().getName());
        }
        return device;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String description() {
        return dev().description();
    }

    @Override
    public int threads() {
        return 1;
    }

    /** Device allocations not yet freed: none once the backend is closed. */
    public int liveAllocations() {
        return dev().liveAllocations();
    }

    /** Kernel launches and GEMM calls so far (counted by a test and by {@code recon bench}). */
    @Override
    public long launches() {
        return launches;
    }

    static int act(Activation a) {
        return a == Activation.RELU ? ACT_RELU : ACT_IDENTITY;
    }

    static int loss(Objective o) {
        return o.code();
    }

    private static CudaBuf b(Buf x) {
        return (CudaBuf) x;
    }

    private int grid(long work) {
        long blocks = (work + dev().blockSize() - 1) / dev().blockSize();
        return (int) Math.max(1, Math.min(dev().maxGrid(), blocks));
    }

    private void launch(String kernel, long work, Object... args) {
        launches++;
        dev().launch(kernel, grid(work), dev().blockSize(), 0, args);
    }

    @Override
    public Buf alloc(long n) {
        long h = dev().malloc(4 * Math.max(1, n));
        allocations.add(h);
        return new CudaBuf(h, n);
    }

    @Override
    public IntBuf allocInt(int n) {
        long h = dev().malloc(4L * Math.max(1, n));
        allocations.add(h);
        return new CudaIntBuf(h, n);
    }

    @Override
    public void upload(Buf dst, long dstOff, float[] src, int srcOff, int n) {
        dev().upload(b(dst).at(dstOff), src, srcOff, n);
    }

    @Override
    public void download(float[] dst, int dstOff, Buf src, long srcOff, int n) {
        dev().download(dst, dstOff, b(src).at(srcOff), n);
    }

    @Override
    public void uploadInt(IntBuf dst, int[] src, int n) {
        dev().uploadInt(((CudaIntBuf) dst).at(0), src, n);
    }

    @Override
    public void copy(Buf dst, long dstOff, Buf src, long srcOff, long n) {
        dev().copy(b(dst).at(dstOff), b(src).at(srcOff), 4 * n);
    }

    @Override
    public void gatherRows(Buf Y, Buf X, IntBuf idx, int idxOff, int n, int cols) {
        launch("gatherRows", (long) n * cols, b(Y).at(0), b(X).at(0), ((CudaIntBuf) idx).at(0), idxOff, n, cols);
    }

    @Override
    public void gemm(Buf C, long cOff, Buf A, long aOff, boolean transA, Buf B, long bOff, boolean transB,
                     int m, int n, int k, float alpha, float beta) {
        ColumnMajorGemm.Call c = ColumnMajorGemm.map(transA, transB, m, n, k);
        launches++;
        dev().sgemm(c.transFirst(), c.transSecond(), c.m(), c.n(), c.k(), alpha, b(B).at(bOff), c.ldFirst(),
                b(A).at(aOff), c.ldSecond(), beta, b(C).at(cOff), c.ldc());
    }

    @Override
    public void biasActivationForward(Buf Y, Buf bias, long bOff, int rows, int n, Activation act) {
        launch("biasActivationForward", (long) rows * n, b(Y).at(0), b(bias).at(bOff), rows, n, act(act));
    }

    @Override
    public void activationBackward(Buf dY, Buf Y, int rows, int n, Activation act) {
        if (act == Activation.IDENTITY) {
            return;
        }
        launch("activationBackward", (long) rows * n, b(dY).at(0), b(Y).at(0), rows, n, act(act));
    }

    @Override
    public void biasGradient(Buf db, long dbOff, Buf dY, int rows, int n, boolean accumulate) {
        launches++;
        dev().launch("biasGradient", Math.min(n, dev().maxGrid()), dev().blockSize(), 0, b(db).at(dbOff), b(dY).at(0), rows, n,
                accumulate ? 1 : 0);
    }

    @Override
    public void lossGradient(Buf dY, Buf rowErr, Buf Y, Buf X, int rows, int d, int batchRows, Objective loss) {
        launch("lossGradient", rows, b(dY).at(0), b(rowErr).at(0), b(Y).at(0), b(X).at(0), rows, d, batchRows,
                loss(loss));
    }

    @Override
    public void reconstructionError(Buf rowErr, Buf featErr, Buf Y, Buf X, int rows, int d, Objective loss) {
        launch("reconstructionError", rows, b(rowErr).at(0), featErr == null ? Ptr.NULL : b(featErr).at(0),
                b(Y).at(0), b(X).at(0), rows, d, loss(loss));
    }

    @Override
    public void accumulateSum(Buf acc, long accOff, Buf x, int n) {
        launches++;
        dev().launch("accumulateSum", 1, dev().blockSize(), 0, b(acc).at(accOff), b(x).at(0), n);
    }

    @Override
    public void adamStep(Buf params, Buf m, Buf v, Buf grads, long n, float stepSize, float beta1, float beta2,
                         float eps, float sqrtBias2) {
        launch("adamStep", n, b(params).at(0), b(m).at(0), b(v).at(0), b(grads).at(0), (int) n, stepSize, beta1,
                beta2, eps, sqrtBias2);
    }

    /**
     * The shape table of a network the fused kernels can run, uploaded once per layout; null
     * where they cannot (too many or too wide layers), and the per-layer defaults run instead.
     */
    private Shape shape(ParameterLayout layout, Activation[] act) {
        int layers = layout.layers();
        if (layers > NET_MAX_LAYERS || layout.maxWidth() > NET_MAX_WIDTH) {
            return null;
        }
        Shape known = shapes.get(layout);
        if (known != null && known.act() == act) {
            // the same network again (every pass of a Network): nothing to build or upload
            return known;
        }
        int[] host = new int[5 * layers];
        for (int l = 0; l < layers; l++) {
            host[5 * l] = layout.in(l);
            host[5 * l + 1] = layout.out(l);
            host[5 * l + 2] = (int) layout.weight(l);
            host[5 * l + 3] = (int) layout.bias(l);
            host[5 * l + 4] = act(act[l]);
        }
        Shape s;
        if (known == null || !Arrays.equals(known.host(), host)) {
            CudaIntBuf buf = known != null ? known.device() : (CudaIntBuf) allocInt(5 * NET_MAX_LAYERS);
            dev().uploadInt(buf.at(0), host, host.length);
            s = new Shape(host, act, buf, layout.maxWidth(), layout.size());
        } else {
            // the same table from another activations array: remember this one
            s = new Shape(host, act, known.device(), known.maxWidth(), known.params());
        }
        shapes.put(layout, s);
        return s;
    }

    /**
     * Rows per block tile: the largest of 64, 32 and 16 whose two tiles of activations leave the
     * weights room to stay resident in shared memory (16 where they cannot stay), and fewer (a
     * multiple of 4, the register tile) where that gives every multiprocessor a tile, so that a
     * small minibatch still spreads over the GPU.
     */
    private int tileRows(Shape s, int rows) {
        int most = 16;
        for (int r : new int[] {64, 32}) {
            if (4L * (s.params() + 2L * r * s.maxWidth()) <= dev().maxSharedBytes()) {
                most = r;
                break;
            }
        }
        int spread = (rows + dev().multiprocessors() - 1) / dev().multiprocessors();
        return Math.min(most, Math.max(4, (spread + 3) / 4 * 4));
    }

    /**
     * Threads per block of the row-tile kernels: twice the elementwise block, since one block
     * fills a multiprocessor's shared memory and more warps hide more of the loads' latency
     * ({@code -Drecon.cuda.tileThreads=N}, a power of two from 64 to 512, for measurements; 1024
     * threads need more registers than a multiprocessor has).
     */
    private int tileThreads() {
        int t = Integer.getInteger("recon.cuda.tileThreads", 2 * dev().blockSize());
        return Integer.bitCount(t) == 1 && t >= 64 && t <= 512 ? t : 2 * dev().blockSize();
    }

    /**
     * Blocks for a kernel that strides over tiles: as many as run at once (each multiprocessor
     * holds as many blocks as its shared memory allows) and no more, so that each block loads
     * the weights once and then takes tile after tile.
     */
    private int persistentGrid(int rows, int tile, int sharedBytes) {
        int perSm = Math.max(1, (dev().maxSharedBytes() + 1024) / (sharedBytes + 1024));
        long tiles = (rows + (long) tile - 1) / tile;
        return (int) Math.max(1, Math.min(tiles, Math.min(dev().maxGrid(), (long) perSm * dev().multiprocessors())));
    }

    /**
     * Floats of shared memory for the forward kernels' weights: all parameters where they fit
     * beside the activation tiles (resident), else what is left, streamed a chunk at a time; -1
     * where not even one layer's row of weights fits.
     */
    private int weightCapacity(Shape s, int tile) {
        int free = dev().maxSharedBytes() / 4 - 2 * tile * s.maxWidth();
        if (s.params() <= free) {
            return s.params();
        }
        return free >= s.maxWidth() + 1 ? free : -1;
    }

    private static Object[] layerPointers(Buf[] bufs, int layers) {
        Object[] p = new Object[NET_MAX_LAYERS];
        for (int l = 0; l < NET_MAX_LAYERS; l++) {
            p[l] = l < layers ? b(bufs[l]).at(0) : Ptr.NULL;
        }
        return p;
    }

    private static Object[] concat(Object[]... parts) {
        List<Object> all = new ArrayList<>();
        for (Object[] p : parts) {
            all.addAll(Arrays.asList(p));
        }
        return all.toArray();
    }

    /** The forward kernels' plan for {@code rows} rows, or null where they cannot run this network. */
    private ForwardPlan forwardPlan(Shape s, int rows) {
        if (s == null) {
            return null;
        }
        int tile = tileRows(s, rows);
        int cap = weightCapacity(s, tile);
        if (cap < 0) {
            return null;
        }
        int shared = 4 * (cap + 2 * tile * s.maxWidth());
        return new ForwardPlan(tile, cap, shared, persistentGrid(rows, tile, shared));
    }

    @Override
    public void networkForward(Buf[] A, Buf X, Buf params, ParameterLayout layout, Activation[] act, int rows) {
        Shape s = shape(layout, act);
        ForwardPlan p = forwardPlan(s, rows);
        if (p == null) {
            Backend.super.networkForward(A, X, params, layout, act, rows);
            return;
        }
        launches++;
        dev().launch("networkForward", p.grid(), tileThreads(), p.sharedBytes(),
                concat(layerPointers(A, layout.layers()), new Object[] {b(X).at(0), b(params).at(0), s.device().at(0),
                    layout.layers(), rows, p.tile(), p.weightFloats(), s.params()}));
    }

    @Override
    public void networkErrors(Buf rowErr, Buf featErr, Buf X, Buf[] A, Buf params, ParameterLayout layout,
                              Activation[] act, Objective loss, int rows) {
        Shape s = shape(layout, act);
        ForwardPlan p = forwardPlan(s, rows);
        if (p == null || loss.sigmoid()) {
            // the fused kernel knows the identity objectives; the others take the per-layer path and loss.cu
            Backend.super.networkErrors(rowErr, featErr, X, A, params, layout, act, loss, rows);
            return;
        }
        launches++;
        dev().launch("networkErrors", p.grid(), tileThreads(), p.sharedBytes(),
                b(rowErr).at(0), featErr == null ? Ptr.NULL : b(featErr).at(0), b(X).at(0), b(params).at(0),
                s.device().at(0), layout.layers(), rows, loss(loss), p.tile(), p.weightFloats(), s.params());
    }

    @Override
    public void networkBackward(Buf[] dZ, Buf rowErr, Buf X, Buf[] A, Buf params, ParameterLayout layout,
                                Activation[] act, Objective loss, int rows, int batchRows) {
        Shape s = shape(layout, act);
        int tile = s == null ? 0 : tileRows(s, rows);
        // two tiles of dZ, tile x (widest layer) floats each
        int shared = s == null ? 0 : 8 * tile * s.maxWidth();
        if (s == null || shared > dev().maxSharedBytes() || loss.sigmoid()) {
            Backend.super.networkBackward(dZ, rowErr, X, A, params, layout, act, loss, rows, batchRows);
            return;
        }
        launches++;
        dev().launch("networkBackward", persistentGrid(rows, tile, shared), tileThreads(), shared,
                concat(layerPointers(dZ, layout.layers()), new Object[] {b(rowErr).at(0), b(X).at(0)},
                        layerPointers(A, layout.layers()), new Object[] {b(params).at(0), s.device().at(0),
                            layout.layers(), rows, batchRows, loss(loss), tile}));
    }

    @Override
    public void networkWeightGradients(Buf grads, Buf X, Buf[] A, Buf[] dZ, ParameterLayout layout, int rows,
                                       boolean accumulate) {
        // the shape table and workspace of the network's prepareNetwork (activations do not matter here)
        Shape s = shapes.get(layout);
        Buf partial = partials.get(layout);
        int splits = splits(rows);
        if (s == null || partial == null || dev().blockSize() < 64 || (long) splits * layout.size() > partial.size()) {
            Backend.super.networkWeightGradients(grads, X, A, dZ, layout, rows, accumulate);
            return;
        }
        int rowsPerSplit = (rows + splits - 1) / splits;
        int t = dev().blockSize() >= 256 ? 16 : 8;
        long tiles = 0;
        for (int l = 0; l < layout.layers(); l++) {
            tiles += (long) ((layout.out(l) + t - 1) / t) * ((layout.in(l) + 1 + t - 1) / t);
        }
        launches++;
        dev().launch("networkWeightGradients", (int) Math.min(dev().maxGrid(), tiles * splits), dev().blockSize(), 0,
                concat(new Object[] {b(partial).at(0), b(X).at(0)}, layerPointers(A, layout.layers()),
                        layerPointers(dZ, layout.layers()), new Object[] {s.device().at(0), layout.layers(), rows,
                            rowsPerSplit, splits, layout.size()}));
        sumPartials(grads, partial, layout.size(), splits, accumulate);
    }

    /** grads[i] = sum over s of partial[s * n + i], in split order (added on when accumulate): CpuBackend's twin. */
    public void sumPartials(Buf grads, Buf partial, int n, int splits, boolean accumulate) {
        launch("sumPartials", n, b(grads).at(0), b(partial).at(0), n, splits, accumulate ? 1 : 0);
    }

    @Override
    public void prepareNetwork(ParameterLayout layout, Activation[] act, int maxRows) {
        if (shape(layout, act) != null && !partials.containsKey(layout)) {
            partials.put(layout, alloc((long) splits(maxRows) * layout.size()));
        }
    }

    /** Runs of rows the weight gradients are split into: at most MAX_SPLITS, each of ROWS_PER_SPLIT or more. */
    static int splits(int rows) {
        return Math.max(1, Math.min(MAX_SPLITS, rows / ROWS_PER_SPLIT));
    }

    @Override
    public void gaussianNoise(Buf eps, int n, long seed, IntBuf step) {
        launch("gaussianNoise", n, b(eps).at(0), n, (int) (seed >>> 32), (int) seed, ((CudaIntBuf) step).at(0));
    }

    @Override
    public void reparameterize(Buf Z, Buf kl, Buf ML, Buf eps, int rows, int latent, float klWeight) {
        launch("reparameterize", rows, b(Z).at(0), b(kl).at(0), b(ML).at(0), b(eps).at(0), rows, latent, klWeight);
    }

    @Override
    public void reparameterizeBackward(Buf dML, Buf dZ, Buf ML, Buf eps, int rows, int latent, float klScale) {
        launch("reparameterizeBackward", (long) rows * latent, b(dML).at(0), b(dZ).at(0), b(ML).at(0), b(eps).at(0),
                rows, latent, klScale);
    }

    @Override
    public void gatherBatchRows(Buf Y, Buf X, IntBuf idx, IntBuf step, int batch, int rowOffset, int n, int cols) {
        launch("gatherBatchRows", (long) n * cols, b(Y).at(0), b(X).at(0), ((CudaIntBuf) idx).at(0),
                ((CudaIntBuf) step).at(0), batch, rowOffset, n, cols);
    }

    @Override
    public void adamStepFromCounter(Buf params, Buf m, Buf v, Buf grads, long n, float lr, float beta1, float beta2,
                                    float eps, IntBuf step) {
        launch("adamStepFromCounter", n, b(params).at(0), b(m).at(0), b(v).at(0), b(grads).at(0), (int) n, lr, beta1,
                beta2, eps, ((CudaIntBuf) step).at(0));
    }

    @Override
    public void advanceStep(IntBuf step) {
        launches++;
        dev().launch("advanceStep", 1, 1, 0, ((CudaIntBuf) step).at(0));
    }

    /**
     * Records {@code ops} into a CUDA graph (stream capture) and returns an action that replays it
     * with one launch. Where capture fails, or {@code -Drecon.cuda.graphs=false}, returns
     * {@code ops} itself: the same launches, one by one. Nothing runs here.
     */
    @Override
    public Runnable capture(Runnable ops) {
        if ("false".equals(System.getProperty("recon.cuda.graphs"))) {
            return ops;
        }
        long counted = launches;
        long graph = -1;
        String failure = null;
        dev().beginCapture();
        try {
            ops.run();
        } catch (RuntimeException e) {
            failure = e.toString();
        } finally {
            // the capture ends whatever happened, so that the stream is usable again
            try {
                long g = dev().endCapture();
                graph = failure == null ? g : -1;
            } catch (RuntimeException e) {
                failure = failure == null ? e.toString() : failure;
            }
            launches = counted;
        }
        if (graph < 0) {
            graphFailure = failure;
            return ops;
        }
        long replay = graph;
        return () -> {
            launches++;
            dev().launchGraph(replay);
        };
    }

    /** Why the last capture fell back to plain launches, or null. */
    public String graphFailure() {
        return graphFailure;
    }

    @Override
    public void synchronize() {
        dev().synchronize();
    }

    @Override
    public void close() {
        for (long h : allocations) {
            dev().free(h);
        }
        allocations.clear();
        dev().close();
    }
}
