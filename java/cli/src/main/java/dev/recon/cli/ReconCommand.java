package dev.recon.cli;

import dev.recon.Version;
import picocli.CommandLine.Command;

/** The top-level {@code recon} command. */
@Command(name = "recon", mixinStandardHelpOptions = true, versionProvider = ReconCommand.VersionInfo.class,
        description = "Train autoencoders on normal records and flag the records they cannot reconstruct.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, ScoreCommand.class, ExportCommand.class,
                ReportCommand.class, ServeCommand.class, InfoCommand.class, BenchCommand.class, SampleCommand.class,
                picocli.CommandLine.HelpCommand.class})
final class ReconCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionInfo implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"recon " + Version.get()};
        }
    }
}
