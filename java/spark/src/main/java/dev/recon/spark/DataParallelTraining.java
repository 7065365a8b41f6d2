package dev.recon.spark;

import dev.recon.ReconException;
import dev.recon.Version;
import dev.recon.data.Dataset.Labels;
import dev.recon.data.StandardScaler;
import dev.recon.eval.EvalReport;
import dev.recon.eval.ThresholdPolicy;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.Rng;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.DetectorKind;
import dev.recon.model.KnnComponent;
import dev.recon.score.NearestNeighbours;
import dev.recon.train.EpochStats;
import dev.recon.train.TrainConfig;
import dev.recon.train.TrainListener;
import dev.recon.train.DivergenceException;
import dev.recon.train.TrainResult;
import dev.recon.train.TrainState;
import dev.recon.train.Trainer;
import java.io.Serializable;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Data-parallel training of either detector on a DataFrame. Each partition's rows are read
 * once and cached; one distributed pass fits the scaler; then every epoch each partition trains
 * one local epoch (Recon's {@link Trainer}, minibatch Adam) from the same broadcast parameters and
 * Adam moments, and a tree sum in partition order ({@link OrderedSum}) averages what comes back,
 * weighted by the partition's fitted rows (model averaging). A second small pass measures the averaged model's validation
 * loss for early stopping. The threshold comes from the validation rows' scores, as on one
 * machine, and labelled data gets its test metrics.
 */
final class DataParallelTraining {
    private DataParallelTraining() {
    }

    /** What one epoch of every partition sends back, summed: parameters and moments weighted by fitted rows. */
    static final class Sums implements Serializable {
        private static final long serialVersionUID = 1L;
        double[] params;
        double[] m;
        double[] v;
        double steps;
        double trainLoss;
        long rows;

        Sums add(Sums o) {
            if (o.rows == 0) {
                return this;
            }
            if (rows == 0) {
                return o;
            }
            for (int i = 0; i < params.length; i++) {
                params[i] += o.params[i];
                m[i] += o.m[i];
                v[i] += o.v[i];
            }
            steps += o.steps;
            trainLoss += o.trainLoss;
            rows += o.rows;
            return this;
        }

        static float[] mean(double[] sum, long rows) {
            float[] out = new float[sum.length];
            for (int i = 0; i < sum.length; i++) {
                out[i] = (float) (sum[i] / rows);
            }
            return out;
        }
    }

    /** One partition's training rows, scaled: what each epoch reads. */
    record Scaled(int partition, float[] fit, int fitRows, float[] val, int valRows) implements Serializable {
    }

    /**
     * The trained bundle, and the history of the averaged model: train loss (mean of the
     * partitions') and validation loss per epoch.
     */
    record Result(Bundle bundle, List<EpochStats> history, int partitions, double seconds) {
    }

    static Result run(org.apache.spark.sql.Dataset<Row> df, List<String> features, PartitionRows.LabelRule label,
                      String labelName, String normalValue, TrainSettings asked, ThresholdPolicy policy, String source,
                      Consumer<String> progress) {
        long t0 = System.nanoTime();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext());
        int[] columns = new int[features.size()];
        for (int j = 0; j < columns.length; j++) {
            columns[j] = df.schema().fieldIndex(features.get(j));
        }
        long seed = asked.seed();
        JavaRDD<PartitionRows> parts = df.javaRDD()
                .mapPartitionsWithIndex((i, it) -> List.of(PartitionRows.read(i, it, columns, features, label, seed))
                        .iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            int partitions = parts.getNumPartitions();
            Moments moments = OrderedSum.of(parts.map(PartitionRows::moments), Moments::merge);
            long[] counts = parts.map(p -> new long[] {p.rows(), p.count(PartitionRows.FIT), p.count(PartitionRows.VAL),
                p.count(PartitionRows.TEST), p.anomalies()}).reduce((a, b) -> {
                    long[] c = new long[a.length];
                    for (int i = 0; i < c.length; i++) {
                        c[i] = a[i] + b[i];
                    }
                    return c;
                });
            long fitRows = counts[1];
            long valRows = counts[2];
            if (fitRows < dev.recon.pipeline.TrainJob.MIN_NORMAL_ROWS || valRows < 1) {
                throw ReconException.input(source + ": too few normal rows to train on: " + fitRows + " to fit and "
                        + valRows + " to validate");
            }
            if (policy.needsLabels() && (label == null || counts[4] == 0)) {
                throw ReconException.input("--threshold best-f1 needs labelled data with anomalies; "
                        + "use val-quantile:Q, fpr:F or mean-std:K");
            }
            StandardScaler scaler = moments.scaler();
            int d = columns.length;
            // every partition takes about as many optimizer steps as one machine would over the whole set
            int epochs = asked.epochs() > 0 ? asked.epochs()
                    : TrainConfig.defaultEpochs((int) Math.min(Integer.MAX_VALUE, (fitRows + partitions - 1) / partitions),
                    asked.batch());
            int patience = asked.patience() >= 0 ? asked.patience() : TrainConfig.defaultPatience(epochs);
            TrainSettings s = new TrainSettings(asked.detector(), asked.hidden(), asked.latent(), asked.loss(), epochs,
                    asked.batch(), asked.lr(), patience, seed, asked.threads());
            AutoencoderSpec spec = s.spec(d);
            TrainConfig cfg = s.config();
            double[] mean = scaler.mean();
            double[] scale = scaler.scale();
            JavaRDD<Scaled> scaled = parts.map(p -> {
                StandardScaler z = new StandardScaler(mean, scale);
                int nf = p.count(PartitionRows.FIT);
                int nv = p.count(PartitionRows.VAL);
                return new Scaled(p.partition(), z.transform(p.gather(PartitionRows.FIT), nf), nf,
                        z.transform(p.gather(PartitionRows.VAL), nv), nv);
            }).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                TrainResult result = epochs(sc, scaled, s, d, new Trainer(null, spec, cfg).initialState(), fitRows,
                        valRows, progress);
                TrainState trained = result.state();
                Labels labels = label == null ? null : new Labels(labelName, normalValue, "any other value");
                Bundle.DataInfo info = new Bundle.DataInfo(source, counts[0], counts[4], "spark:" + counts[0] + ":"
                        + ReconModel.key(String.join(",", features).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        false, (int) Math.min(Integer.MAX_VALUE, fitRows), (int) Math.min(Integer.MAX_VALUE, valRows),
                        (int) Math.min(Integer.MAX_VALUE, counts[3]));
                Bundle bundle = new Bundle(Version.get(), spec, features, labels, scaler, Double.NaN, policy, cfg, info,
                        trained, result.stopReason(), Map.of());
                if (s.detector() == DetectorKind.AE_KNN) {
                    bundle = withNeighbours(sc, parts, scaled, bundle, fitRows, seed);
                }
                bundle = withThreshold(sc, parts, bundle, policy);
                return new Result(bundle, trained.history(), partitions, (System.nanoTime() - t0) / 1e9);
            } finally {
                scaled.unpersist(false);
            }
        } finally {
            parts.unpersist(false);
        }
    }

    /** The epochs of model averaging, with early stopping on the averaged model's validation loss. */
    private static TrainResult epochs(JavaSparkContext sc, JavaRDD<Scaled> scaled, TrainSettings s, int d,
                                      TrainState start, long fitRows, long valRows, Consumer<String> progress) {
        long t0 = System.nanoTime();
        TrainState state = start;
        String stop = "completed " + s.epochs() + " epochs";
        List<EpochStats> history = new ArrayList<>();
        float[] best = state.params();
        int bestEpoch = 0;
        double bestVal = Double.POSITIVE_INFINITY;
        int stale = 0;
        for (int epoch = 1; epoch <= s.epochs(); epoch++) {
            long e0 = System.nanoTime();
            Broadcast<float[][]> from = sc.broadcast(new float[][] {state.params(), state.adamM(), state.adamV()});
            long steps = state.steps();
            int e = epoch;
            Sums sums = OrderedSum.of(scaled.map(p -> localEpoch(p, s, d, e, steps, from)), Sums::add);
            from.destroy();
            float[] params = Sums.mean(sums.params, sums.rows);
            Broadcast<float[]> averaged = sc.broadcast(params);
            double val = OrderedSum.of(scaled.map(p -> validationSum(p, s, d, averaged)), Double::sum);
            averaged.destroy();
            double valLoss = val / valRows;
            double trainLoss = sums.trainLoss / sums.rows;
            double sec = (System.nanoTime() - e0) / 1e9;
            EpochStats stats = new EpochStats(epoch, trainLoss, valLoss, sec, fitRows / sec);
            if (!Double.isFinite(trainLoss) || !Double.isFinite(valLoss)) {
                String why = String.format("training diverged in epoch %d (train loss %s, validation loss %s); "
                        + "lower the learning rate", epoch, trainLoss, valLoss);
                if (bestEpoch == 0) {
                    throw ReconException.input(why);
                }
                stop = "diverged after epoch " + (epoch - 1);
                progress.accept(why + "; keeping epoch " + bestEpoch);
                break;
            }
            history.add(stats);
            if (valLoss < bestVal) {
                bestVal = valLoss;
                bestEpoch = epoch;
                best = params;
                stale = 0;
            } else {
                stale++;
            }
            state = new TrainState(epoch, Math.round(sums.steps / sums.rows), params, Sums.mean(sums.m, sums.rows),
                    Sums.mean(sums.v, sums.rows), best, bestEpoch, bestVal, stale, history);
            progress.accept(String.format(java.util.Locale.ROOT, "epoch %d/%d: train loss %.6f, validation loss %.6f, "
                    + "%.1f s", epoch, s.epochs(), trainLoss, valLoss, sec));
            if (s.patience() > 0 && stale >= s.patience() && epoch < s.epochs()) {
                stop = "early stop after epoch " + epoch + ": no validation gain for " + stale + " epochs";
                break;
            }
        }
        return new TrainResult(state, stop, (System.nanoTime() - t0) / 1e9);
    }

    /** One local epoch on a partition's fitted rows, from the broadcast state; the result weighted by its rows. */
    private static Sums localEpoch(Scaled p, TrainSettings s, int d, int epoch, long steps, Broadcast<float[][]> from) {
        Sums out = new Sums();
        if (p.fitRows() == 0) {
            return out;
        }
        return ExecutorResources.withBackend(threads(s), be -> {
            float[][] st = from.value();
            AutoencoderSpec spec = s.spec(d);
            Trainer trainer = new Trainer(be, spec, s.config().withEpochs(epoch));
            TrainState start = new TrainState(epoch - 1, steps, st[0], st[1], st[2], st[0], 0,
                    Double.POSITIVE_INFINITY, 0, List.of());
            // the trainer reports a validation loss of its own; the driver measures the averaged model's
            // instead, so a partition without validation rows lends the trainer one of its fitted rows
            boolean ownVal = p.valRows() > 0;
            long n = p.fitRows();
            TrainState t;
            try {
                t = trainer.train(p.fit(), p.fitRows(), ownVal ? p.val() : p.fit(), ownVal ? p.valRows() : 1, start,
                        TrainListener.NONE).state();
            } catch (DivergenceException e) {
                // a partition that diverges makes the epoch's train loss NaN; the driver then keeps the best epoch
                out.params = weighted(st[0], n);
                out.m = weighted(st[1], n);
                out.v = weighted(st[2], n);
                out.trainLoss = Double.NaN;
                out.rows = n;
                return out;
            }
            out.params = weighted(t.params(), n);
            out.m = weighted(t.adamM(), n);
            out.v = weighted(t.adamV(), n);
            out.steps = (double) t.steps() * n;
            out.trainLoss = t.history().get(t.history().size() - 1).trainLoss() * n;
            out.rows = n;
            return out;
        });
    }

    private static Double validationSum(Scaled p, TrainSettings s, int d, Broadcast<float[]> params) {
        if (p.valRows() == 0) {
            return 0.0;
        }
        return ExecutorResources.withBackend(threads(s), be -> new Trainer(be, s.spec(d), s.config())
                .meanLoss(params.value(), p.val(), p.valRows()) * p.valRows());
    }

    /** Recon's threads per task: as asked, else the task's CPUs ({@code spark.task.cpus}). */
    private static int threads(TrainSettings s) {
        return ExecutorResources.taskThreads(s.threads());
    }

    private static double[] weighted(float[] x, long n) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (double) x[i] * n;
        }
        return out;
    }

    /**
     * The default detector's nearest-neighbour part, as on one machine: reference rows sampled
     * from the fitted rows (each kept with the same probability, drawn from the seed, the
     * partition and the row; at most {@link KnnComponent#maxRows} of them, those with the lowest
     * draws), and the two parts' scales from the validation rows' reconstruction errors and k-th
     * neighbour distances, computed where those rows lie.
     */
    private static Bundle withNeighbours(JavaSparkContext sc, JavaRDD<PartitionRows> parts, JavaRDD<Scaled> scaled,
                                         Bundle bundle, long fitRows, long seed) {
        int d = bundle.spec().inputDim();
        int max = KnnComponent.maxRows(d, NearestNeighbours.MAX_REFERENCE_ROWS);
        double keep = Math.min(1.0, 1.25 * max / fitRows);
        List<Object[]> drawn = scaled.map(p -> {
            Rng rng = Rng.derive(seed, 0x4B4E_0000L + p.partition());
            List<Double> keys = new ArrayList<>();
            List<float[]> rows = new ArrayList<>();
            for (int i = 0; i < p.fitRows(); i++) {
                double u = rng.nextDouble();
                if (u < keep) {
                    keys.add(u);
                    rows.add(java.util.Arrays.copyOfRange(p.fit(), i * d, (i + 1) * d));
                }
            }
            return new Object[] {keys.stream().mapToDouble(Double::doubleValue).toArray(), rows.toArray(new float[0][])};
        }).collect();
        List<double[]> keyed = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (Object[] o : drawn) {
            double[] keys = (double[]) o[0];
            float[][] r = (float[][]) o[1];
            for (int i = 0; i < keys.length; i++) {
                keyed.add(new double[] {keys[i], rows.size()});
                rows.add(r[i]);
            }
        }
        if (keyed.size() > max) {
            keyed.sort((a, b) -> Double.compare(a[0], b[0]));
            keyed = new ArrayList<>(keyed.subList(0, max));
            keyed.sort((a, b) -> Double.compare(a[1], b[1]));
        }
        int n = keyed.size();
        float[] reference = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows.get((int) keyed.get(i)[1]), 0, reference, i * d, d);
        }
        int k = Math.min(NearestNeighbours.DEFAULT_K, n);
        Shipped ae = Shipped.of(sc, bundle);
        String key = ae.key();
        Broadcast<byte[]> aeBytes = ae.bytes();
        Broadcast<float[]> ref = sc.broadcast(reference);
        List<double[][]> val = parts.map(p -> {
            int nv = p.count(PartitionRows.VAL);
            float[] raw = p.gather(PartitionRows.VAL);
            return ExecutorResources.withScorer(key, aeBytes, det -> {
                float[] z = det.bundle().scaler().transform(raw, nv);
                return new double[][] {det.errors(raw, nv),
                    new NearestNeighbours(ref.value(), ref.value().length / d, d, k).kthDistance(z, nv)};
            });
        }).collect();
        aeBytes.destroy();
        ref.destroy();
        KnnComponent knn = new KnnComponent(k, n, d, reference,
                KnnComponent.scaleOf(concat(val, 0, double[]::new), false),
                KnnComponent.scaleOf(concat(val, 1, double[]::new), true));
        return bundle.withKnn(knn);
    }

    /**
     * The threshold from the validation rows' scores under the policy, and the test metrics where
     * the data has labels: the trained bundle scored where its rows lie.
     */
    private static Bundle withThreshold(JavaSparkContext sc, JavaRDD<PartitionRows> parts, Bundle bundle,
                                        ThresholdPolicy policy) {
        Shipped shipped = Shipped.of(sc, bundle);
        String key = shipped.key();
        Broadcast<byte[]> bc = shipped.bytes();
        List<Object[]> scored = parts.map(p -> ExecutorResources.withScorer(key, bc, det -> new Object[] {
            det.errors(p.gather(PartitionRows.VAL), p.count(PartitionRows.VAL)),
            det.errors(p.gather(PartitionRows.TEST), p.count(PartitionRows.TEST)), p.testLabels()})).collect();
        bc.destroy();
        double[] val = concat(scored, 0, double[]::new);
        double[] test = concat(scored, 1, double[]::new);
        boolean[] labels = concat(scored, 2, boolean[]::new);
        double threshold = policy.choose(val, test, labels);
        Bundle b = bundle.withThreshold(threshold, policy);
        if (bundle.labels() != null && test.length > 0) {
            b = b.withMetrics(EvalReport.of(test, labels, threshold).toMap());
        }
        return b;
    }

    /** Field {@code field} of every part, arrays of one element type, joined in the parts' order. */
    private static <A> A concat(List<? extends Object[]> parts, int field, IntFunction<A> newArray) {
        int n = 0;
        for (Object[] o : parts) {
            n += Array.getLength(o[field]);
        }
        A out = newArray.apply(n);
        int k = 0;
        for (Object[] o : parts) {
            int len = Array.getLength(o[field]);
            System.arraycopy(o[field], 0, out, k, len);
            k += len;
        }
        return out;
    }

    /**
     * A trained bundle broadcast for scoring where its rows lie, under its SHA-256. Scores do not
     * depend on the threshold, which is not chosen yet; a bundle needs a finite one to be read.
     */
    private record Shipped(String key, Broadcast<byte[]> bytes) {
        static Shipped of(JavaSparkContext sc, Bundle bundle) {
            byte[] b = BundleFormat.encode(bundle.withThreshold(Double.MAX_VALUE, bundle.policy()));
            return new Shipped(ReconModel.key(b), sc.broadcast(b));
        }
    }
}
