/**
 * Records in, records out: the validating CSV reader (its tokenizer in {@code CsvReader}, which
 * column is the label and which value is normal in {@code LabelInference}), the in-memory {@link dev.recon.data.Dataset},
 * the seeded split, the scaler, synthetic anomaly data and the data fingerprint.
 * Must not depend on the model, a backend, training or the command line.
 */
package dev.recon.data;
