package dev.recon.spark;

import dev.recon.eval.ThresholdPolicy;
import dev.recon.model.DetectorKind;
import dev.recon.model.Loss;
import dev.recon.pipeline.TrainOptions;
import dev.recon.train.TrainConfig;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark ML estimator of {@link ReconModel}: trains either detector of {@code recon train}
 * (default: ae-knn) data-parallel on a DataFrame's numeric columns, on its normal rows only, and
 * returns a model holding an ordinary Recon bundle. With a label column, anomalies and a fifth of
 * the normal rows are held out for the test metrics stored in the bundle, as on one machine.
 */
public final class Recon extends Estimator<ReconModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final StringArrayParam inputCols;
    private final Param<String> detector;
    private final Param<String> labelCol;
    private final Param<String> normalValue;
    private final IntArrayParam hidden;
    private final IntParam latent;
    private final Param<String> loss;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final DoubleParam learningRate;
    private final IntParam patience;
    private final LongParam seed;
    private final Param<String> threshold;
    private final IntParam threads;

    public Recon() {
        this(Identifiable$.MODULE$.randomUID("recon"));
    }

    public Recon(String uid) {
        this.uid = uid;
        inputCols = new StringArrayParam(this, "inputCols", "numeric feature columns to train on");
        detector = new Param<>(this, "detector", "ae-knn (the reconstruction error plus the distance to the nearest "
                + "training normals, Recon's default) or ae (the reconstruction error alone, the reference's)");
        labelCol = new Param<>(this, "labelCol", "label column (optional): rows whose label is not normalValue are "
                + "anomalies, held out with a fifth of the normal rows for the test metrics");
        normalValue = new Param<>(this, "normalValue", "the label of a normal row");
        hidden = new IntArrayParam(this, "hidden", "hidden layer widths of the encoder (default: 128, 64)");
        latent = new IntParam(this, "latent", "latent width (0: the reference's 16, or inputs - 1 if fewer)");
        loss = new Param<>(this, "loss", "training loss: mse or mae");
        epochs = new IntParam(this, "epochs", "epochs (0: about 800 optimizer steps per partition, 20 to 500 epochs)");
        batchSize = new IntParam(this, "batchSize", "minibatch rows");
        learningRate = new DoubleParam(this, "learningRate", "Adam's learning rate");
        patience = new IntParam(this, "patience", "epochs without validation gain before stopping (-1: default, 0: never)");
        seed = new LongParam(this, "seed", "seed of the initialisation, the split and the shuffles");
        threshold = new Param<>(this, "threshold", "threshold policy: val-quantile:Q, fpr:F, mean-std:K or best-f1");
        threads = new IntParam(this, "threads", "Recon's CPU threads per training task (0: spark.task.cpus)");
        setDefault(detector, DetectorKind.DEFAULT.id());
        setDefault(normalValue, "0");
        setDefault(latent, 0);
        setDefault(loss, "mse");
        setDefault(epochs, 0);
        setDefault(batchSize, TrainConfig.DEFAULT_BATCH);
        setDefault(learningRate, (double) TrainConfig.DEFAULT_LR);
        setDefault(patience, -1);
        setDefault(seed, TrainOptions.DEFAULT_SEED);
        setDefault(threshold, ThresholdPolicy.DEFAULT.toString());
        setDefault(threads, 0);
    }

    @Override
    public String uid() {
        return uid;
    }

    public StringArrayParam inputCols() {
        return inputCols;
    }

    public Param<String> detector() {
        return detector;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> normalValue() {
        return normalValue;
    }

    public IntArrayParam hidden() {
        return hidden;
    }

    public IntParam latent() {
        return latent;
    }

    public Param<String> loss() {
        return loss;
    }

    public IntParam epochs() {
        return epochs;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public IntParam patience() {
        return patience;
    }

    public LongParam seed() {
        return seed;
    }

    public Param<String> threshold() {
        return threshold;
    }

    public IntParam threads() {
        return threads;
    }

    public Recon setInputCols(String... cols) {
        set(inputCols, cols);
        return this;
    }

    public Recon setDetector(String kind) {
        set(detector, kind);
        return this;
    }

    public Recon setLabelCol(String col) {
        set(labelCol, col);
        return this;
    }

    public Recon setNormalValue(String v) {
        set(normalValue, v);
        return this;
    }

    public Recon setHidden(int... widths) {
        set(hidden, widths);
        return this;
    }

    public Recon setLatent(int w) {
        set(latent, w);
        return this;
    }

    public Recon setLoss(String l) {
        set(loss, l);
        return this;
    }

    public Recon setEpochs(int e) {
        set(epochs, e);
        return this;
    }

    public Recon setBatchSize(int b) {
        set(batchSize, b);
        return this;
    }

    public Recon setLearningRate(double lr) {
        set(learningRate, lr);
        return this;
    }

    public Recon setPatience(int p) {
        set(patience, p);
        return this;
    }

    public Recon setSeed(long s) {
        set(seed, s);
        return this;
    }

    public Recon setThreshold(String policy) {
        set(threshold, policy);
        return this;
    }

    public Recon setThreads(int t) {
        set(threads, t);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isSet(inputCols) || $(inputCols).length == 0) {
            throw new IllegalArgumentException("set inputCols: the numeric columns to train on");
        }
        Schemas.requireNumeric(schema, List.of($(inputCols)), " (inputCols) among ", "Recon trains on numeric columns");
        List<String> names = List.of(schema.fieldNames());
        if (isSet(labelCol) && !names.contains($(labelCol))) {
            throw new IllegalArgumentException("no column '" + $(labelCol) + "' (labelCol) among " + names);
        }
        return schema;
    }

    @Override
    public ReconModel fit(Dataset<?> dataset) {
        return fit(dataset, "a Spark DataFrame", s -> { });
    }

    /** Trains, naming the data {@code source} in the bundle and reporting each epoch to {@code progress}. */
    public ReconModel fit(Dataset<?> dataset, String source, Consumer<String> progress) {
        return train(dataset, source, progress).model();
    }

    /** The model, and how training went: the averaged model's losses per epoch, the partitions, the seconds. */
    public record Trained(ReconModel model, List<dev.recon.train.EpochStats> history, int partitions, double seconds) {
    }

    public Trained train(Dataset<?> dataset, String source, Consumer<String> progress) {
        transformSchema(dataset.schema());
        Dataset<Row> df = dataset.toDF();
        List<String> features = List.of($(inputCols));
        PartitionRows.LabelRule label = isSet(labelCol)
                ? new PartitionRows.LabelRule(df.schema().fieldIndex($(labelCol)), $(labelCol), $(normalValue)) : null;
        int[] widths = isSet(hidden) ? $(hidden) : null;
        int lat = (Integer) $(latent);
        TrainSettings s = new TrainSettings(DetectorKind.parse($(detector)), widths, lat > 0 ? lat : null,
                Loss.parse($(loss)), (Integer) $(epochs), (Integer) $(batchSize), (float) (double) (Double) $(learningRate), (Integer) $(patience),
                (Long) $(seed), (Integer) $(threads));
        if (s.loss() == Loss.BCE) {
            throw new IllegalArgumentException("loss: mse or mae (binary cross-entropy needs a sigmoid output)");
        }
        DataParallelTraining.Result r = DataParallelTraining.run(df, features, label, isSet(labelCol) ? $(labelCol) : null,
                $(normalValue), s, ThresholdPolicy.parse($(threshold)), source, progress);
        ReconModel model = new ReconModel(uid, r.bundle()).setParent(this);
        return new Trained(model, r.history(), r.partitions(), r.seconds());
    }

    @Override
    public Recon copy(ParamMap extra) {
        return copyValues(new Recon(uid), extra);
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    public static MLReader<Recon> read() {
        return new DefaultParamsReader<>();
    }

    public static Recon load(String path) {
        return read().load(path);
    }
}
