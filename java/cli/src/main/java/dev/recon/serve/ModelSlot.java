package dev.recon.serve;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model being served, swapped atomically by a reload. A request {@link #acquire}s the
 * current model and keeps it to the end, so a reload never changes the model under a request;
 * a bundle that fails to load leaves the old one serving.
 */
final class ModelSlot implements AutoCloseable {
    private final Path path;
    private final boolean microBatch;
    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    private final AtomicLong generation = new AtomicLong(1);

    ModelSlot(Path path, boolean microBatch) {
        this.path = path;
        this.microBatch = microBatch;
        current.set(ServedModel.load(path, microBatch));
    }

    /** The current model, held until {@link ServedModel#release}; null once the slot is closed. */
    ServedModel acquire() {
        while (true) {
            ServedModel m = current.get();
            if (m == null || m.acquire()) {
                return m;
            }
            // swapped out between the read and the acquire: take the new one
        }
    }

    /** Loads the bundle at the served path again (replaced there by the operator) and swaps it in. */
    synchronized ServedModel reload() {
        ServedModel fresh = ServedModel.load(path, microBatch);
        ServedModel old = current.getAndSet(fresh);
        generation.incrementAndGet();
        if (old != null) {
            old.retire();
        }
        return fresh;
    }

    /** How many models this slot has served: 1, plus one per successful reload. */
    long generation() {
        return generation.get();
    }

    Path path() {
        return path;
    }

    @Override
    public synchronized void close() {
        ServedModel old = current.getAndSet(null);
        if (old != null) {
            old.retire();
        }
    }
}
