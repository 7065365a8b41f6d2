package dev.recon.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that share out one operation at a time. Its items are cut into
 * chunks and each thread owns an equal run of them, which it works through from the front;
 * a thread that has finished its own run takes chunks from the back of the others'. On a
 * shared (virtual) machine the host often slows or pauses one core for a while: with a fixed
 * split the other core would wait for it at every operation, with taking it does the rest;
 * when neither is slowed, each thread keeps the same rows from one operation to the next,
 * which are in its own cache. The split changes no bits: every task computes each item the same
 * way whichever thread runs it and wherever its chunk begins. The caller works too; helpers
 * spin briefly between operations (a training step issues dozens of small ones, and waking a
 * parked thread costs more than many of them) and park when idle. Dispatch allocates nothing,
 * so the training step stays allocation-free.
 */
final class WorkerPool implements AutoCloseable {

    /** Items [from, to) of an operation, on the thread numbered {@code worker} (0 is the caller). */
    interface Task {
        void run(int from, int to, int worker);
    }

    /** Spins of a helper between operations before it parks, for training: a step is dozens of operations. */
    static final int TRAINING_SPINS = 1 << 16;
    /**
     * The same where other threads need the cores between operations (a server, whose HTTP
     * threads would otherwise wait for helpers spinning after each request): about a microsecond.
     */
    static final int SHARED_SPINS = 1 << 6;
    /** Chunks per thread: enough to even out a slowed core, few enough that taking them costs little. */
    static final int CHUNKS_PER_THREAD = 4;
    private static final int MAX_CHUNKS = 0xFFFF;

    private final Thread[] helpers;
    private final int spinBeforePark;
    /**
     * Each thread's run of chunks in the operation under way: the operation's number (high 32
     * bits), the next chunk (16 bits) and the end of the run (low 16 bits). Chunks are taken
     * with a compare-and-set, so a thread that wakes late cannot take a chunk of an operation
     * that has moved on: the number would differ.
     */
    private final AtomicLongArray runs;
    /** Longs between two threads' runs: a cache line and its neighbour apart, so that they do not share one. */
    private static final int STRIDE = 16;
    /** The number of the operation under way; helpers watch it. */
    private volatile long operation;
    private final AtomicInteger finished = new AtomicInteger();
    // the operation's arguments: written before the runs publish them, read after taking a chunk
    private Task task;
    private int count;
    private int chunk;
    private volatile boolean closed;
    private volatile Throwable failure;

    WorkerPool(int threads) {
        this(threads, TRAINING_SPINS);
    }

    WorkerPool(int threads, int spinBeforePark) {
        this.spinBeforePark = spinBeforePark;
        helpers = new Thread[Math.max(0, threads - 1)];
        runs = new AtomicLongArray((threads + 1) * STRIDE);
        for (int i = 0; i < helpers.length; i++) {
            final int worker = i + 1;
            Thread t = new Thread(() -> loop(worker), "recon-cpu-" + worker);
            t.setDaemon(true);
            helpers[i] = t;
            t.start();
        }
    }

    int threads() {
        return helpers.length + 1;
    }

    /**
     * Runs {@code t} over items [0, count) on the team, in chunks whose boundaries are multiples
     * of {@code grain}, and returns when every chunk is done.
     */
    void run(Task t, int count, int grain) {
        int threads = helpers.length + 1;
        if (threads == 1 || count <= grain) {
            t.run(0, count, 0);
            return;
        }
        long units = (count + (long) grain - 1) / grain;
        long wanted = (long) threads * CHUNKS_PER_THREAD;
        long perChunk = Math.max((units + wanted - 1) / wanted, (units + MAX_CHUNKS - 1) / MAX_CHUNKS);
        int items = (int) Math.min(Integer.MAX_VALUE, perChunk * grain);
        int chunks = (int) ((count + (long) items - 1) / items);
        task = t;
        this.count = count;
        chunk = items;
        finished.set(0);
        long op = operation + 1;
        for (int w = 0; w < threads; w++) {
            long lo = (long) chunks * w / threads;
            long hi = (long) chunks * (w + 1) / threads;
            runs.set((w + 1) * STRIDE, op << 32 | lo << 16 | hi); // publishes the fields above
        }
        operation = op;
        for (Thread h : helpers) {
            LockSupport.unpark(h);
        }
        work(0);
        int spins = 0;
        while (finished.get() < chunks) {
            if (++spins < spinBeforePark) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        task = null;
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(f);
        }
    }

    /** Works through this thread's own run of chunks, then takes what is left of the others'. */
    private void work(int worker) {
        int threads = helpers.length + 1;
        for (int i = 0; i < threads; i++) {
            int w = (worker + i) % threads;
            int run = (w + 1) * STRIDE;
            while (true) {
                long s = runs.get(run);
                int next = (int) (s >>> 16) & 0xFFFF;
                int end = (int) s & 0xFFFF;
                if (next >= end) {
                    break;
                }
                boolean own = w == worker;
                if (!runs.compareAndSet(run, s, own ? s + (1L << 16) : s - 1)) {
                    continue;
                }
                // the operation cannot end, nor its arguments change, before this chunk is counted
                int from = (own ? next : end - 1) * chunk;
                try {
                    task.run(from, Math.min(count, from + chunk), worker);
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
                finished.incrementAndGet();
            }
        }
    }

    private void loop(int worker) {
        long seen = 0;
        while (true) {
            int spins = 0;
            long op;
            while ((op = operation) == seen && !closed) {
                if (++spins < spinBeforePark) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = op;
            work(worker);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread h : helpers) {
            LockSupport.unpark(h);
        }
    }
}
