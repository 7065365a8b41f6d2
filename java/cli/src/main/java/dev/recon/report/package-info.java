/**
 * The HTML report: {@link dev.recon.report.ReportModel} computes everything it shows (feature
 * statistics, curves, histogram, explanations, the latent projection, with the
 * {@link dev.recon.report.Baseline}), {@link dev.recon.report.ReportHtml} lays that out with
 * XChart's charts, {@link dev.recon.report.ReportWriter} writes the file; {@link
 * dev.recon.report.Numbers} formats numbers for people here and on the command line. Must not
 * depend on the command line ({@code dev.recon.cli}), which depends on it.
 */
package dev.recon.report;
