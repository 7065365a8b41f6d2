/**
 * Recon on Apache Spark: {@link dev.recon.spark.ReconModel}, a Spark ML model that scores a
 * DataFrame where it lies, {@link dev.recon.spark.Recon}, the estimator that trains either detector
 * data-parallel, and {@code SparkMain}, the {@code recon spark} command. Executors run Recon's
 * CPU backend: one per task slot, made once and reused by the tasks that run there. Only this
 * package imports Spark; it uses {@code dev.recon} through the same public classes the command
 * line does.
 */
package dev.recon.spark;
