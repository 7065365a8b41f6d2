package dev.recon.cli;

import dev.recon.ReconException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Entry point. Errors are one line on stderr: exit 2 for bad usage or bad input, 1 for other
 * failures; {@code --debug} anywhere on the line adds the stack trace.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Terminal.useLauncherTerminal();
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cl = new CommandLine(new ReconCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            err.println(c.getCommandName().equals("recon") ? "recon: " + oneLine(ex.getMessage())
                    : "recon " + c.getCommandName() + ": " + oneLine(ex.getMessage())
                    + " (see recon " + c.getCommandName() + " --help)");
            if (debug) {
                ex.printStackTrace(err);
            }
            return ExitCodes.BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, pr) -> {
            if (debug) {
                ex.printStackTrace(err);
            }
            if (ex instanceof ReconException re) {
                err.println("recon " + c.getCommandName() + ": " + oneLine(re.getMessage()));
                return re.badInput() ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
            }
            if (ex instanceof IllegalArgumentException) {
                err.println("recon " + c.getCommandName() + ": " + oneLine(ex.getMessage()));
                return ExitCodes.BAD_INPUT;
            }
            err.println("recon " + c.getCommandName() + ": internal error: " + ex
                    + (debug ? "" : " (run with --debug for the stack trace)"));
            return ExitCodes.FAILURE;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("recon: out of memory; give Java more, e.g. JAVA_OPTS=-Xmx8g ./recon ...");
            return ExitCodes.FAILURE;
        }
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
