package dev.recon.cli;

import picocli.CommandLine.Option;

/** The report's baseline. */
final class BaselineOption {
    @Option(names = "--baseline", paramLabel = "iforest|none", defaultValue = "iforest",
            description = "Baseline fitted on the same training rows and shown beside the autoencoder in report.html "
                    + "and metrics.json (default: ${DEFAULT-VALUE}).")
    String baseline;

    boolean enabled() {
        if (!baseline.equals("iforest") && !baseline.equals("none")) {
            throw new IllegalArgumentException("--baseline: expected iforest or none, got '" + baseline + "'");
        }
        return baseline.equals("iforest");
    }
}
