package dev.recon.serve;

import dev.recon.ReconException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model being served, swapped atomically by a reload. A request {@link #acquire}s the
 * current model and keeps it to the end, so a reload never changes the model under a request;
 * a bundle that fails to load leaves the old one serving. Once closed, the slot serves nothing
 * and reloads nothing.
 */
final class ModelSlot implements AutoCloseable {
    private final Path path;
    private final boolean microBatch;
    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    private long generation = 1;
    private boolean closed;

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

    /** What a reload swapped: the model before, the one now, and how many models the slot has served. */
    record Swap(ServedModel before, ServedModel now, long generation) {
    }

    /** Loads the bundle at the served path again (replaced there by the operator) and swaps it in. */
    synchronized Swap reload() {
        if (closed) {
            throw ReconException.input("the server is shutting down");
        }
        ServedModel fresh = ServedModel.load(path, microBatch);
        ServedModel old = current.getAndSet(fresh);
        generation++;
        old.retire();
        return new Swap(old, fresh, generation);
    }

    /** The model now and its generation: 1 for the model loaded at start, plus one per reload. */
    synchronized Swap now() {
        ServedModel m = current.get();
        return new Swap(m, m, generation);
    }

    Path path() {
        return path;
    }

    @Override
    public synchronized void close() {
        closed = true;
        ServedModel old = current.getAndSet(null);
        if (old != null) {
            old.retire();
        }
    }
}
