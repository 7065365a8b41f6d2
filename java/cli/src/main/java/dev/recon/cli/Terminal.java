package dev.recon.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stderr is an interactive terminal (progress bars only go there). */
final class Terminal {
    private Terminal() {
    }

    static boolean stderrIsTerminal() {
        if (System.getenv("CI") != null) {
            return false;
        }
        // the launcher knows, when it filters the JVM's stderr through a pipe
        String told = System.getProperty("recon.stderr.tty");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        // Linux names the file behind each descriptor; a terminal is a tty or pty device
        Path fd2 = Path.of("/proc/self/fd/2");
        if (Files.exists(fd2)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (Exception e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
