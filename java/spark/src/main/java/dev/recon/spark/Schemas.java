package dev.recon.spark;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/** The check the estimator and the model make of the columns they read. */
final class Schemas {
    private Schemas() {
    }

    /**
     * Every column of {@code cols} is in {@code schema} and numeric; else one line naming it:
     * "no column 'c'" + {@code missing} + the schema's columns, or "column 'c' is T; " + {@code numeric}.
     */
    static void requireNumeric(StructType schema, Iterable<String> cols, String missing, String numeric) {
        List<String> names = List.of(schema.fieldNames());
        for (String c : cols) {
            if (!names.contains(c)) {
                throw new IllegalArgumentException("no column '" + c + "'" + missing + names);
            }
            DataType t = schema.apply(c).dataType();
            if (!(t instanceof NumericType)) {
                throw new IllegalArgumentException("column '" + c + "' is " + t.simpleString() + "; " + numeric);
            }
        }
    }
}
