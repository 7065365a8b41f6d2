package dev.recon.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BinaryOperator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * A tree sum of one value per partition, always in partition order. Spark's {@code treeAggregate}
 * merges in the order tasks finish, so floating-point sums (averaged parameters, the scaler's
 * moments) would change in their last bits from run to run; Recon's models must not. Up to
 * {@link #FAN_IN} partitions the driver sums what it collects; beyond, executors sum groups of
 * {@link #FAN_IN} consecutive partitions first (one small shuffle), the driver the groups.
 */
final class OrderedSum {
    static final int FAN_IN = 32;

    private OrderedSum() {
    }

    interface Merge<T> extends BinaryOperator<T>, Serializable {
    }

    static <T extends Serializable> T of(JavaRDD<T> perPartition, Merge<T> merge) {
        int p = perPartition.getNumPartitions();
        if (p <= FAN_IN) {
            return fold(perPartition.collect(), merge);
        }
        Function2<Integer, Iterator<T>, Iterator<Tuple2<Integer, Tuple2<Integer, T>>>> keyed = (i, it) -> {
            List<Tuple2<Integer, Tuple2<Integer, T>>> out = new ArrayList<>();
            it.forEachRemaining(v -> out.add(new Tuple2<>(i / FAN_IN, new Tuple2<>(i, v))));
            return out.iterator();
        };
        List<Tuple2<Integer, T>> groups = new ArrayList<>(perPartition.mapPartitionsWithIndex(keyed, true)
                .mapToPair(t -> t)
                .groupByKey((p + FAN_IN - 1) / FAN_IN)
                .mapValues(vs -> {
                    List<Tuple2<Integer, T>> sorted = new ArrayList<>();
                    vs.forEach(sorted::add);
                    sorted.sort((a, b) -> Integer.compare(a._1(), b._1()));
                    List<T> values = new ArrayList<>();
                    sorted.forEach(t -> values.add(t._2()));
                    return fold(values, merge);
                })
                .collect());
        groups.sort((a, b) -> Integer.compare(a._1(), b._1()));
        List<T> values = new ArrayList<>();
        groups.forEach(t -> values.add(t._2()));
        return fold(values, merge);
    }

    private static <T> T fold(List<T> values, BinaryOperator<T> merge) {
        T acc = values.get(0);
        for (int i = 1; i < values.size(); i++) {
            acc = merge.apply(acc, values.get(i));
        }
        return acc;
    }
}
