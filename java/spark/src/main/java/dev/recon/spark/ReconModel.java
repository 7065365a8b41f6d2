package dev.recon.spark;

import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A trained Recon model as a Spark ML {@link Model}: scores a DataFrame's rows where they lie and
 * appends {@code recon_error} (the anomaly score, as {@code recon score} computes it) and
 * {@code recon_anomaly} (true at or above the threshold, and for any row that cannot be scored:
 * a null or non-finite value, a vector of the wrong size), optionally the top-K features. The
 * bundle is broadcast once; each executor JVM decodes it once, and each task scores blocks of
 * rows on a CPU backend of {@code spark.task.cpus} threads that the executor made once for that
 * task slot and reuses. Saved with Spark ML's persistence: the parameters as Spark writes them,
 * and the bundle itself, checksummed and checked by value when read.
 */
public final class ReconModel extends Model<ReconModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    static final String BUNDLE_FILE = "model.recon";

    private final String uid;
    private final byte[] bundleBytes;
    private final transient Bundle bundle;
    private final StringArrayParam inputCols;
    private final Param<String> featuresCol;
    private final Param<String> errorCol;
    private final Param<String> anomalyCol;
    private final IntParam topK;
    private final Param<String> topFeaturesCol;

    public ReconModel(String uid, Bundle bundle) {
        this(uid, BundleFormat.encode(bundle), bundle);
    }

    /** A model of a bundle, as {@code recon train} writes it. */
    public ReconModel(Bundle bundle) {
        this(Identifiable$.MODULE$.randomUID("recon"), bundle);
    }

    private ReconModel(String uid, byte[] bytes, Bundle bundle) {
        this.uid = uid;
        this.bundleBytes = bytes;
        this.bundle = bundle;
        this.inputCols = new StringArrayParam(this, "inputCols",
                "numeric feature columns, in the model's order (default: the columns named as the model's features)");
        this.featuresCol = new Param<>(this, "featuresCol", "a vector column to score instead of inputCols (default: none)");
        this.errorCol = new Param<>(this, "errorCol", "output column of the anomaly scores");
        this.anomalyCol = new Param<>(this, "anomalyCol", "output column of the flags (score >= threshold, or unscorable)");
        this.topK = new IntParam(this, "topK", "features with the largest reconstruction error to list per row (0: none)");
        this.topFeaturesCol = new Param<>(this, "topFeaturesCol", "output column of the top-K features, largest first");
        setDefault(errorCol, "recon_error");
        setDefault(anomalyCol, "recon_anomaly");
        setDefault(topK, 0);
        setDefault(topFeaturesCol, "recon_top_features");
    }

    /** Reads a bundle file (or a run folder holding {@code model.recon}), as {@code recon score --model}. */
    public static ReconModel fromBundle(String modelOrDir) {
        return new ReconModel(BundleFormat.read(java.nio.file.Path.of(modelOrDir)));
    }

    public Bundle bundle() {
        return bundle != null ? bundle : BundleFormat.decode("model", bundleBytes);
    }

    @Override
    public String uid() {
        return uid;
    }

    public StringArrayParam inputCols() {
        return inputCols;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public Param<String> anomalyCol() {
        return anomalyCol;
    }

    public IntParam topK() {
        return topK;
    }

    public Param<String> topFeaturesCol() {
        return topFeaturesCol;
    }

    public ReconModel setInputCols(String... cols) {
        set(inputCols, cols);
        return this;
    }

    public ReconModel setFeaturesCol(String col) {
        set(featuresCol, col);
        return this;
    }

    public ReconModel setErrorCol(String col) {
        set(errorCol, col);
        return this;
    }

    public ReconModel setAnomalyCol(String col) {
        set(anomalyCol, col);
        return this;
    }

    public ReconModel setTopK(int k) {
        set(topK, k);
        return this;
    }

    public ReconModel setTopFeaturesCol(String col) {
        set(topFeaturesCol, col);
        return this;
    }

    /** The columns scored, in the model's order: inputCols, or the model's feature names. */
    List<String> scoredColumns() {
        return isSet(inputCols) ? List.of($(inputCols)) : bundle().featureNames();
    }

    int k() {
        return (Integer) $(topK);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        List<String> names = List.of(schema.fieldNames());
        int d = bundle().spec().inputDim();
        if (isDefined(featuresCol) && isSet(featuresCol)) {
            String col = $(featuresCol);
            if (!names.contains(col)) {
                throw new IllegalArgumentException("no column '" + col + "' (featuresCol) among " + names);
            }
            DataType t = schema.apply(col).dataType();
            if (!t.equals(SQLDataTypes.VectorType())) {
                throw new IllegalArgumentException("featuresCol '" + col + "' is " + t.simpleString() + ", not a vector");
            }
        } else {
            List<String> cols = scoredColumns();
            if (cols.size() != d) {
                throw new IllegalArgumentException("inputCols names " + cols.size() + " columns; the model expects " + d
                        + " (" + String.join(", ", bundle().featureNames()) + ")");
            }
            Schemas.requireNumeric(schema, cols, ", which the model was trained on; the DataFrame has ",
                    "the model scores numeric columns");
        }
        for (String out : outputColumns()) {
            if (names.contains(out)) {
                throw new IllegalArgumentException("output column '" + out + "' already exists");
            }
        }
        List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
        fields.add(DataTypes.createStructField($(errorCol), DataTypes.DoubleType, false));
        fields.add(DataTypes.createStructField($(anomalyCol), DataTypes.BooleanType, false));
        if (k() > 0) {
            fields.add(DataTypes.createStructField($(topFeaturesCol),
                    DataTypes.createArrayType(DataTypes.StringType, false), false));
        }
        return DataTypes.createStructType(fields);
    }

    private List<String> outputColumns() {
        return k() > 0 ? List.of($(errorCol), $(anomalyCol), $(topFeaturesCol)) : List.of($(errorCol), $(anomalyCol));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Dataset<Row> df = dataset.toDF();
        SparkSession spark = df.sparkSession();
        Broadcast<byte[]> bc = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bundleBytes);
        int[] columns;
        int vectorColumn = -1;
        if (isSet(featuresCol)) {
            vectorColumn = df.schema().fieldIndex($(featuresCol));
            columns = new int[0];
        } else {
            List<String> cols = scoredColumns();
            columns = new int[cols.size()];
            for (int j = 0; j < columns.length; j++) {
                columns[j] = df.schema().fieldIndex(cols.get(j));
            }
        }
        return df.mapPartitions(new ScorePartition(key(bundleBytes), bc, columns, vectorColumn, k()),
                Encoders.row(out));
    }

    /** The bundle's SHA-256: which decoded detector an executor may reuse. */
    static String key(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ReconModel copy(ParamMap extra) {
        ReconModel m = new ReconModel(uid, bundleBytes, bundle);
        return copyValues(m, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<ReconModel> read() {
        return new Reader();
    }

    public static ReconModel load(String path) {
        return read().load(path);
    }

    /** Spark's metadata (class, uid, parameters) beside the bundle file. */
    private static final class Writer extends MLWriter {
        private final ReconModel model;

        Writer(ReconModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
            Path file = new Path(path, BUNDLE_FILE);
            try {
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (OutputStream o = fs.create(file, true)) {
                    o.write(model.bundleBytes);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static final class Reader extends MLReader<ReconModel> {
        @Override
        public ReconModel load(String path) {
            DefaultParamsReader.Metadata md = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    ReconModel.class.getName());
            Path file = new Path(path, BUNDLE_FILE);
            byte[] bytes;
            try {
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (InputStream in = fs.open(file)) {
                    bytes = in.readAllBytes();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            ReconModel m = new ReconModel(md.uid(), bytes, BundleFormat.decode(file.toString(), bytes));
            md.getAndSetParams(m, Option.empty());
            return m;
        }
    }
}
