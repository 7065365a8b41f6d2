package dev.recon.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.ReconException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private Set<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /** The id of a process that has ended (ids are reused only after the kernel wraps around). */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertEquals(0, p.waitFor());
        assertTrue(ProcessHandle.of(p.pid()).isEmpty());
        return p.pid();
    }

    @Test
    void writesReplaceTheFileAndLeaveNoTemporary() throws IOException {
        Path f = dir.resolve("model.recon");
        AtomicFiles.write(f, "one".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(f, "two".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(f));
        assertEquals(Set.of("model.recon"), names());
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndRemovesItsTemporary() throws IOException {
        Path f = dir.resolve("model.recon");
        AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
        assertThrows(ReconException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertArrayEquals("old".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(f));
        assertEquals(Set.of("model.recon"), names());
    }

    @Test
    void theNextWriteRemovesTemporariesOfKilledWritersOnly() throws Exception {
        Path f = dir.resolve("model.recon");
        String dead = ".model.recon." + deadPid() + ".123456789.tmp";
        String alive = ".model.recon." + ProcessHandle.current().pid() + ".987654321.tmp";
        String otherFile = ".metrics.json." + deadPid() + ".1.tmp";
        String notOurs = ".model.recon.backup.tmp";
        for (String n : new String[] {dead, alive, otherFile, notOurs}) {
            Files.writeString(dir.resolve(n), "partial");
        }
        AtomicFiles.write(f, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals(Set.of("model.recon", alive, otherFile, notOurs), names(),
                "the dead writer's temporary of this file is gone; a live writer's, another file's and a stranger's stay");
        assertFalse(Files.exists(dir.resolve(dead)));
    }

    @Test
    void writerIdsAreReadOnlyFromOurOwnNames() {
        String prefix = ".model.recon.";
        assertEquals(42, AtomicFiles.writerOf(".model.recon.42.7.tmp", prefix));
        assertEquals(-1, AtomicFiles.writerOf(".model.recon.42.7.tmpx", prefix));
        assertEquals(-1, AtomicFiles.writerOf(".model.recon..7.tmp", prefix));
        assertEquals(-1, AtomicFiles.writerOf(".model.recon.x42.7.tmp", prefix));
        assertEquals(-1, AtomicFiles.writerOf(".model.recon.42.tmp", prefix));
        assertEquals(-1, AtomicFiles.writerOf(".model.recon.99999999999999999999999.7.tmp", prefix));
        assertEquals(-1, AtomicFiles.writerOf("model.recon.42.7.tmp", prefix));
        assertEquals(-1, AtomicFiles.writerOf(".model.recon.7.123.456.tmp", prefix), "a temporary file of model.recon.7");
        assertEquals(123, AtomicFiles.writerOf(".model.recon.7.123.456.tmp", ".model.recon.7."));
    }
}
