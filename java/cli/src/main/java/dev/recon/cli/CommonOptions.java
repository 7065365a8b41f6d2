package dev.recon.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
    @Option(names = "--debug", description = "Print stack traces with errors.")
    boolean debug;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar or notes on stderr.")
    boolean quiet;
}
