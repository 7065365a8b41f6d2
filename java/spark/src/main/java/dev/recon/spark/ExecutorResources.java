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
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;

/**
 * What one executor JVM keeps between tasks: one CPU backend that every scoring task shares (a
 * detector scores one block at a time on all of the executor's cores, so concurrent tasks take
 * turns rather than splitting the cores), the detectors of the last few bundles, and idle
 * training backends, one per task running at a time (a backend serves one caller).
 */
final class ExecutorResources {
    private static final int DETECTORS_KEPT = 4;
    private static Backend scoring;
    private static final Map<String, Detector> DETECTORS = new LinkedHashMap<>(8, 0.75f, true);
    private static final Map<Integer, Deque<Backend>> IDLE = new LinkedHashMap<>();

    private ExecutorResources() {
    }

    /** The detector of a broadcast bundle, decoded (and checked by value) once per JVM. */
    static synchronized Detector detector(String key, Broadcast<byte[]> bundle) {
        Detector d = DETECTORS.get(key);
        if (d == null) {
            if (scoring == null) {
                scoring = Backends.cpu(executorCores());
            }
            Bundle b = BundleFormat.decode("the broadcast model " + key, bundle.value());
            d = Detector.of(b, scoring);
            DETECTORS.put(key, d);
            if (DETECTORS.size() > DETECTORS_KEPT) {
                String eldest = DETECTORS.keySet().iterator().next();
                DETECTORS.remove(eldest).close();
            }
        }
        return d;
    }

    /** A backend of {@code threads} threads for one training task; give it back when the task ends. */
    static synchronized Backend borrow(int threads) {
        Deque<Backend> idle = IDLE.get(threads);
        return idle != null && !idle.isEmpty() ? idle.pop() : Backends.cpu(threads);
    }

    static synchronized void giveBack(Backend be, int threads) {
        IDLE.computeIfAbsent(threads, t -> new ArrayDeque<>()).push(be);
    }

    /** The cores Spark gave this executor ({@code spark.executor.cores}), else all of the machine's. */
    static int executorCores() {
        int all = Runtime.getRuntime().availableProcessors();
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            return all;
        }
        String master = env.conf().get("spark.master", "");
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local\\[(\\d+)(,\\d+)?]").matcher(master);
        if (local.matches()) {
            return Math.max(1, Math.min(all, Integer.parseInt(local.group(1))));
        }
        return Math.max(1, env.conf().getInt("spark.executor.cores", all));
    }
}
