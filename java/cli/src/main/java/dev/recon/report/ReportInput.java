package dev.recon.report;

import dev.recon.data.Dataset;
import dev.recon.eval.EvalReport;
import dev.recon.io.Bundle;

/**
 * What a report shows: the data, the model, and the scored, labelled rows.
 *
 * @param evalRows      the evaluated rows of {@code data} (the test split, or every row)
 * @param errors        their anomaly scores (the reconstruction errors for the ae detector)
 * @param labels        their labels (true = anomaly); null for unlabelled data
 * @param ae            the autoencoder's metrics on them; null for unlabelled data
 * @param split         "test" or "all"
 * @param trainRows     rows the model was fitted on, for the baseline; null when not known
 * @param valRows       the validation rows, for the baseline's threshold; null when not known
 * @param device        the backend that trained, or null when the report is made later
 * @param samplesPerSecond training throughput, or null
 */
public record ReportInput(String command, Dataset data, Bundle bundle, int[] evalRows, double[] errors,
                          boolean[] labels, EvalReport ae, String split, int[] trainRows, int[] valRows, String device,
                          Double samplesPerSecond) {
}
