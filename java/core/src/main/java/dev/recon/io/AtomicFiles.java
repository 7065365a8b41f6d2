package dev.recon.io;

import dev.recon.ReconException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see the old content or the new, never half of either: write a
 * temporary file beside the target, force it to disk, then rename it over the target. The
 * temporary file is hidden and named after the writing process ({@code .NAME.PID.RANDOM.tmp});
 * one left behind by a process that was killed (SIGKILL, power loss) is removed by the next
 * write of the same file, once no process with that id is alive on this machine.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Produces a file's content into a stream. */
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Temporary files are private (0600); the result should read like any new file, or keep the old one's mode. */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    public static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            String prefix = "." + abs.getFileName() + ".";
            removeStaleTemporaries(dir, prefix);
            tmp = Files.createTempFile(dir, prefix + ProcessHandle.current().pid() + ".", ".tmp");
            keepPermissions(abs, tmp);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new ReconException(target + ": cannot write: " + e.getMessage(), false, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; its error is the one to report
                }
            }
        }
    }

    /**
     * Deletes this file's temporary files whose writer is no longer running on this machine. Best
     * effort: a file it cannot list or delete (another user's) is left, and the write goes on.
     */
    private static void removeStaleTemporaries(Path dir, String prefix) {
        try (var files = Files.newDirectoryStream(dir, p -> writerOf(p.getFileName().toString(), prefix) > 0)) {
            for (Path p : files) {
                if (ProcessHandle.of(writerOf(p.getFileName().toString(), prefix)).isEmpty()) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        // not ours to remove after all; the new write does not depend on it
                    }
                }
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            // an unreadable folder fails the write itself, with its own error, just below
        }
    }

    /** The process id in a temporary file's name, or -1 if the name is not one of ours. */
    static long writerOf(String name, String prefix) {
        if (!name.startsWith(prefix) || !name.endsWith(".tmp")) {
            return -1;
        }
        // exactly PID.RANDOM, both digits: ".x.7.123.456.tmp" is a temporary file of x.7, not of x
        String rest = name.substring(prefix.length(), name.length() - ".tmp".length());
        if (!rest.matches("[0-9]{1,18}\\.-?[0-9]{1,20}")) {
            return -1;
        }
        return Long.parseLong(rest.substring(0, rest.indexOf('.')));
    }
}
