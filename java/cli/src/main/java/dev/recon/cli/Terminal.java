package dev.recon.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stderr is an interactive terminal (progress bars only go there). */
final class Terminal {
    /** Set by {@link #useLauncherTerminal()} when System.err writes to the terminal itself. */
    private static volatile boolean reopened;

    private Terminal() {
    }

    /**
     * The launcher filters the JVM's own stderr through a pipe (it drops the JDK's incubator
     * notice) and names the terminal that pipe leads to: Recon's stderr then writes to that
     * terminal directly, so what it prints (the progress bar, redrawn in place) reaches a
     * terminal, not a pipe. Anything else the JVM writes to its descriptor 2 still passes the
     * filter. Without the property, or if the device cannot be opened, stderr stays as it is.
     */
    static void useLauncherTerminal() {
        String device = System.getProperty("recon.stderr.device");
        if (device == null || !isTerminalDevice(device)) {
            return;
        }
        try {
            System.setErr(new PrintStream(new FileOutputStream(device, true), true, Charset.defaultCharset()));
            reopened = true;
        } catch (IOException | SecurityException e) {
            // keep the pipe: output still arrives, only without the in-place progress bar
        }
    }

    static boolean stderrIsTerminal() {
        if (System.getenv("CI") != null) {
            return false;
        }
        if (reopened || Boolean.getBoolean("recon.stderr.tty")) {
            // the launcher's word, where it could not name the terminal behind its filter
            return true;
        }
        // Linux names the file behind each descriptor; a terminal is a tty or pty device
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.exists(fd2)) {
            try {
                return isTerminalDevice(Files.readSymbolicLink(fd2).toString());
            } catch (Exception e) {
                return false;
            }
        }
        return System.console() != null;
    }

    private static boolean isTerminalDevice(String path) {
        return path.startsWith("/dev/pts/") || path.startsWith("/dev/tty");
    }
}
