package dev.recon.spark;

import dev.recon.score.Contribution;
import dev.recon.score.Detector;
import dev.recon.score.Scores;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Scores one partition in blocks: reads a block of rows, scores it with the executor's detector,
 * and hands the rows on with their score, flag and (optionally) top features appended. Streams:
 * a partition never has to fit in memory at once. {@code vectorColumn} is the vector column's
 * index, or -1 where {@code columns} name the features.
 */
record ScorePartition(String key, Broadcast<byte[]> bundle, int[] columns, int vectorColumn, int topK)
        implements MapPartitionsFunction<Row, Row> {
    static final int BLOCK = 4096;

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        ExecutorResources.Scorer scorer = ExecutorResources.borrowScorer(key, bundle, ExecutorResources.taskThreads(0));
        // back when the partition's rows run out (a coalescing task reads many partitions in turn),
        // or when the task ends before that
        AtomicBoolean returned = new AtomicBoolean();
        Runnable giveBack = () -> {
            if (returned.compareAndSet(false, true)) {
                ExecutorResources.giveBack(scorer);
            }
        };
        TaskContext tc = TaskContext.get();
        if (tc != null) {
            tc.addTaskCompletionListener((TaskCompletionListener) c -> giveBack.run());
        }
        Detector detector = scorer.detector();
        int d = detector.bundle().spec().inputDim();
        return new Iterator<>() {
            private final Row[] block = new Row[BLOCK];
            private final float[] values = new float[BLOCK * d];
            private final Object[][] appended = new Object[BLOCK][];
            private int size;
            private int next;

            @Override
            public boolean hasNext() {
                if (next < size) {
                    return true;
                }
                if (!returned.get()) {
                    fill();
                }
                if (size == 0) {
                    giveBack.run();
                }
                return size > 0;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row r = block[next];
                Object[] extra = appended[next];
                next++;
                Object[] all = new Object[r.length() + extra.length];
                for (int i = 0; i < r.length(); i++) {
                    all[i] = r.get(i);
                }
                System.arraycopy(extra, 0, all, r.length(), extra.length);
                return RowFactory.create(all);
            }

            private void fill() {
                size = 0;
                next = 0;
                while (size < BLOCK && rows.hasNext()) {
                    Row r = rows.next();
                    read(r, values, size * d, d);
                    block[size++] = r;
                }
                if (size == 0) {
                    return;
                }
                if (topK > 0) {
                    Scores s = detector.score(values, size);
                    for (int i = 0; i < size; i++) {
                        appended[i] = new Object[] {s.errors()[i], s.anomalies()[i], top(detector, s.featureErrors()[i])};
                    }
                } else {
                    double[] e = detector.errors(values, size);
                    for (int i = 0; i < size; i++) {
                        appended[i] = new Object[] {e[i], detector.isAnomaly(e[i])};
                    }
                }
            }
        };
    }

    /** A row's feature values into {@code out}; what cannot be read becomes NaN, which scores NaN and is flagged. */
    private void read(Row r, float[] out, int off, int d) {
        if (vectorColumn >= 0) {
            Vector v = r.isNullAt(vectorColumn) ? null : (Vector) r.get(vectorColumn);
            for (int j = 0; j < d; j++) {
                out[off + j] = v != null && v.size() == d ? (float) v.apply(j) : Float.NaN;
            }
            return;
        }
        for (int j = 0; j < d; j++) {
            Object o = r.get(columns[j]);
            out[off + j] = o instanceof Number n ? n.floatValue() : Float.NaN;
        }
    }

    private String[] top(Detector detector, float[] featureErrors) {
        List<Contribution> c = detector.topFeatures(featureErrors, topK);
        List<String> names = new ArrayList<>(c.size());
        for (Contribution x : c) {
            names.add(x.feature());
        }
        return names.toArray(new String[0]);
    }
}
