package dev.recon.serve;

import dev.recon.score.Detector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Scores concurrent single-row requests together. One thread takes the first waiting row and
 * whatever others are already queued (up to {@code maxBatch}) and scores them in one call: it
 * never waits for more rows to arrive, so a lone request pays only the hand-over, while under
 * load the per-call cost (the network's passes, the neighbour search's fork and join) is shared.
 */
final class MicroBatcher implements AutoCloseable {
    private record Job(float[] row, CompletableFuture<Double> score) {
    }

    private final Detector detector;
    private final int maxBatch;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    MicroBatcher(Detector detector, int maxBatch, String name) {
        this.detector = detector;
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The score of one raw row; blocks until its batch is scored. */
    double score(float[] row) {
        CompletableFuture<Double> f = new CompletableFuture<>();
        queue.add(new Job(row, f));
        if (closed) {
            fail(List.of(new Job(row, f)), new IllegalStateException("the model was unloaded"));
        }
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void run() {
        int d = detector.features().size();
        List<Job> batch = new ArrayList<>(maxBatch);
        float[] flat = new float[maxBatch * d];
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, maxBatch - 1);
            int n = batch.size();
            for (int i = 0; i < n; i++) {
                System.arraycopy(batch.get(i).row(), 0, flat, i * d, d);
            }
            try {
                double[] s = detector.errors(flat, n);
                for (int i = 0; i < n; i++) {
                    batch.get(i).score().complete(s[i]);
                }
            } catch (RuntimeException | Error e) {
                fail(batch, e);
            }
            batch.clear();
        }
        List<Job> left = new ArrayList<>();
        queue.drainTo(left);
        fail(left, new IllegalStateException("the model was unloaded"));
    }

    private static void fail(List<Job> jobs, Throwable e) {
        for (Job j : jobs) {
            j.score().completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
