package dev.recon.spark;

import dev.recon.backend.Backend;
import dev.recon.backend.Backends;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.score.Detector;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;

/**
 * What one executor JVM keeps between tasks: the decoded bundles of the last few models, and idle
 * backends (each with its detector, for scoring), one per task running at a time. A task borrows
 * one with {@code spark.task.cpus} threads and gives it back when it ends, so an executor holds as
 * many as it runs tasks at once, made once and reused by every later task: a backend serves one
 * caller, and a detector shared by concurrent tasks made them queue.
 */
final class ExecutorResources {
    private static final int BUNDLES_KEPT = 4;
    private static final Map<String, Bundle> BUNDLES = new LinkedHashMap<>(8, 0.75f, true);
    private static final Map<String, Deque<Scorer>> IDLE_SCORERS = new LinkedHashMap<>();
    private static final Map<Integer, Deque<Backend>> IDLE = new LinkedHashMap<>();

    private ExecutorResources() {
    }

    /** A detector on a backend of its own, for one task. */
    record Scorer(String key, int threads, Backend backend, Detector detector) {
    }

    /** A scorer of a broadcast bundle (decoded and checked by value once per JVM); give it back when the task ends. */
    static synchronized Scorer borrowScorer(String key, Broadcast<byte[]> bundle, int threads) {
        Bundle b = BUNDLES.get(key);
        Deque<Scorer> idle = IDLE_SCORERS.get(key + "/" + threads);
        if (b != null && idle != null && !idle.isEmpty()) {
            return idle.pop();
        }
        if (b == null) {
            b = BundleFormat.decode("the broadcast model " + key, bundle.value());
            BUNDLES.put(key, b);
            if (BUNDLES.size() > BUNDLES_KEPT) {
                String eldest = BUNDLES.keySet().iterator().next();
                BUNDLES.remove(eldest);
                IDLE_SCORERS.entrySet().removeIf(e -> {
                    if (e.getKey().startsWith(eldest + "/")) {
                        e.getValue().forEach(ExecutorResources::close);
                        return true;
                    }
                    return false;
                });
            }
        }
        Backend be = Backends.cpu(threads);
        try {
            return new Scorer(key, threads, be, Detector.of(b, be));
        } catch (RuntimeException | Error e) {
            be.close();
            throw e;
        }
    }

    /** Back to the pool; beyond as many as the executor can run tasks at once, closed. */
    static synchronized void giveBack(Scorer s) {
        Deque<Scorer> idle = IDLE_SCORERS.computeIfAbsent(s.key() + "/" + s.threads(), k -> new ArrayDeque<>());
        if (BUNDLES.containsKey(s.key()) && idle.size() < Runtime.getRuntime().availableProcessors()) {
            idle.push(s);
        } else {
            close(s);
        }
    }

    /** Idle scorers of one model in this JVM. */
    static synchronized int idleScorers(String key) {
        return IDLE_SCORERS.entrySet().stream().filter(e -> e.getKey().startsWith(key + "/"))
                .mapToInt(e -> e.getValue().size()).sum();
    }

    private static void close(Scorer s) {
        s.detector().close();
        s.backend().close();
    }

    /** {@code work} on a borrowed scorer of the bundle, given back after. */
    static <T> T withScorer(String key, Broadcast<byte[]> bundle, java.util.function.Function<Detector, T> work) {
        Scorer s = borrowScorer(key, bundle, taskThreads(0));
        try {
            return work.apply(s.detector());
        } finally {
            giveBack(s);
        }
    }

    /** {@code work} on a borrowed backend of {@code threads} threads, given back after. */
    static <T> T withBackend(int threads, java.util.function.Function<Backend, T> work) {
        Backend be = borrow(threads);
        try {
            return work.apply(be);
        } finally {
            giveBack(be, threads);
        }
    }

    /** A backend of {@code threads} threads for one training task; give it back when the task ends. */
    static synchronized Backend borrow(int threads) {
        Deque<Backend> idle = IDLE.get(threads);
        return idle != null && !idle.isEmpty() ? idle.pop() : Backends.cpu(threads);
    }

    static synchronized void giveBack(Backend be, int threads) {
        IDLE.computeIfAbsent(threads, t -> new ArrayDeque<>()).push(be);
    }

    /** The CPUs of the running task ({@code spark.task.cpus}), or {@code asked} where that is positive. */
    static int taskThreads(int asked) {
        org.apache.spark.TaskContext tc = org.apache.spark.TaskContext.get();
        return asked > 0 ? asked : Math.max(1, tc != null ? tc.cpus() : 1);
    }
}
