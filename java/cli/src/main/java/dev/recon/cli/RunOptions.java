package dev.recon.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of a command that trains and writes a run folder ({@code demo}, {@code train}), after the model's. */
final class RunOptions {
    @Mixin
    DeviceOptions device;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of the tables.")
    boolean json;

    @Mixin
    ReportOptions report;

    @Mixin
    CommonOptions common;
}
