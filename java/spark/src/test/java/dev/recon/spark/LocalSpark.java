package dev.recon.spark;

import dev.recon.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The one local[2] session of the unit tests (UI off, loopback, two shuffle partitions), and test data as DataFrames. */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("recon-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.log.level", "WARN")
                    .getOrCreate();
        }
        return session;
    }

    /** A Recon data set as a DataFrame: its features as double columns, then its label (0 normal, 1 anomaly) when it has one. */
    static org.apache.spark.sql.Dataset<Row> frame(Dataset ds, int partitions) {
        List<StructField> fields = new ArrayList<>();
        for (String f : ds.featureNames()) {
            fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, true));
        }
        boolean labelled = ds.hasLabels();
        if (labelled) {
            fields.add(DataTypes.createStructField("label", DataTypes.IntegerType, false));
        }
        int d = ds.features();
        float[] x = ds.values();
        List<Row> rows = new ArrayList<>(ds.rows());
        for (int i = 0; i < ds.rows(); i++) {
            Object[] v = new Object[d + (labelled ? 1 : 0)];
            for (int j = 0; j < d; j++) {
                v[j] = (double) x[i * d + j];
            }
            if (labelled) {
                v[d] = ds.isAnomaly(i) ? 1 : 0;
            }
            rows.add(RowFactory.create(v));
        }
        return session().createDataFrame(rows, DataTypes.createStructType(fields)).repartition(partitions);
    }

    static Path repo() {
        return Path.of(System.getProperty("recon.repo", "../..")).toAbsolutePath().normalize();
    }

    /** The credit-card subset beside the checkout; in CI (RECON_REQUIRE_DATA=1) its absence fails the test. */
    static Path creditCard() {
        Path cc = repo().resolve("../shared/data/creditcard/creditcard.csv.gz").normalize();
        if ("1".equals(System.getenv("RECON_REQUIRE_DATA"))) {
            assertTrue(Files.isRegularFile(cc), "the credit-card subset is missing: " + cc);
        }
        assumeTrue(Files.isRegularFile(cc), "the credit-card subset is not beside this checkout");
        return cc;
    }
}
