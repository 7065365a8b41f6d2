package dev.recon.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads for fork-join over a fixed partition. The caller runs part 0
 * itself; helpers spin briefly between tasks (a training step issues dozens of small
 * operations, and waking a parked thread costs more than many of them) and park when idle.
 * Dispatch allocates nothing, so the training step stays allocation-free.
 */
final class WorkerPool implements AutoCloseable {

    /** Work split into {@code parts} pieces; piece {@code part} must not depend on timing. */
    interface Task {
        void run(int part, int parts);
    }

    private static final int SPIN_BEFORE_PARK = 1 << 16;

    private final Thread[] helpers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Task task;
    private volatile int generation;
    private volatile boolean closed;
    private volatile Throwable failure;

    WorkerPool(int threads) {
        helpers = new Thread[Math.max(0, threads - 1)];
        for (int i = 0; i < helpers.length; i++) {
            final int part = i + 1;
            Thread t = new Thread(() -> loop(part), "recon-cpu-" + part);
            t.setDaemon(true);
            helpers[i] = t;
            t.start();
        }
    }

    int threads() {
        return helpers.length + 1;
    }

    /** Runs {@code t} on every thread of the team and returns when all parts are done. */
    void run(Task t) {
        int parts = helpers.length + 1;
        if (parts == 1) {
            t.run(0, 1);
            return;
        }
        task = t;
        pending.set(helpers.length);
        generation = generation + 1; // publishes task (volatile write after the plain ones)
        for (Thread h : helpers) {
            LockSupport.unpark(h);
        }
        Throwable own = null;
        try {
            t.run(0, parts);
        } catch (Throwable e) {
            own = e;
        }
        int spins = 0;
        while (pending.get() != 0) {
            if (++spins < SPIN_BEFORE_PARK) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        task = null;
        Throwable f = failure;
        failure = null;
        if (own == null) {
            own = f;
        }
        if (own instanceof RuntimeException re) {
            throw re;
        }
        if (own instanceof Error err) {
            throw err;
        }
    }

    private void loop(int part) {
        int seen = 0;
        while (true) {
            int spins = 0;
            int g;
            while ((g = generation) == seen && !closed) {
                if (++spins < SPIN_BEFORE_PARK) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = g;
            try {
                task.run(part, helpers.length + 1);
            } catch (Throwable e) {
                failure = e;
            }
            pending.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread h : helpers) {
            LockSupport.unpark(h);
        }
    }

    /** The half-open range [from, to) of {@code total} items that part {@code part} owns. */
    static int from(int total, int part, int parts) {
        return (int) ((long) total * part / parts);
    }
}
