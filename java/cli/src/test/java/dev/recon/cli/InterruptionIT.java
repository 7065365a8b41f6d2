package dev.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at random moments, many times, some of them while the bundle is being written (the
 * moment its temporary file appears): the run folder must always hold a complete bundle, the
 * previous one or the new one, and metrics that parse; and {@code --resume} continues from it,
 * clearing the temporary files the killed writers left.
 */
class InterruptionIT {
    @TempDir
    Path dir;

    private Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drecon.home=" + dir, "-jar", Cli.jar().toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    private boolean bundleBeingWritten(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(".model.recon."));
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    /** The run folder holds a complete, loadable bundle and metrics that parse; returns the bundle. */
    private Bundle intact(Path run) throws IOException {
        Bundle b = BundleFormat.read(run.resolve("model.recon"));
        if (Files.exists(run.resolve("metrics.json"))) {
            new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        }
        try (Stream<Path> s = Files.list(run)) {
            // an interrupted write leaves at most its hidden temporary file, never a partial final one
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))
                    .forEach(n -> assertTrue(n.startsWith("."), "temporary files are hidden: " + n));
        }
        return b;
    }

    @Test
    void killedRunsLeaveACompleteBundleAndResumeContinues() throws Exception {
        StringBuilder sb = new StringBuilder("a,b,c,d,e,f,Class\n");
        Random r = new Random(11);
        for (int i = 0; i < 6000; i++) {
            double t = r.nextGaussian();
            boolean anomaly = i % 40 == 0;
            for (int j = 0; j < 6; j++) {
                sb.append(anomaly ? r.nextGaussian() * 3 : Math.sin(t * (j + 1)) + 0.05 * r.nextGaussian()).append(',');
            }
            sb.append(anomaly ? 1 : 0).append('\n');
        }
        Files.writeString(dir.resolve("d.csv"), sb);
        Path run = dir.resolve("run");
        Cli.Run first = Cli.run(dir, dir, "train", "--data", "d.csv", "--out", "run", "--epochs", "2", "--baseline", "none",
                "--quiet", "--threads", "1");
        assertEquals(0, first.code(), first.err());
        intact(run);

        Random when = new Random(3);
        int killed = 0;
        int duringWrite = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        for (int i = 0; i < 14 && System.nanoTime() < deadline; i++) {
            Process p = start("train", "--data", "d.csv", "--out", "run", "--epochs", "3", "--baseline", "none", "--quiet",
                    "--threads", "1");
            boolean atWrite = i % 2 == 1;
            long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200 + when.nextInt(2500));
            boolean sawWrite = false;
            while (p.isAlive()) {
                if (atWrite ? bundleBeingWritten(run) : System.nanoTime() >= killAt) {
                    sawWrite = atWrite;
                    p.destroyForcibly(); // SIGKILL
                    break;
                }
                if (!atWrite) {
                    Thread.sleep(5);
                }
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends");
            if (p.exitValue() == 137) {
                killed++;
                duringWrite += sawWrite ? 1 : 0;
            }
            intact(run);
        }
        assertTrue(killed >= 5, "most runs were killed before they finished: " + killed);
        System.out.println("InterruptionIT: " + killed + " runs killed, " + duringWrite + " of them while the bundle was "
                + "being written");

        // --resume continues from whatever complete bundle is there, to the epochs asked for
        int done = intact(run).state().epochsDone();
        Cli.Run resumed = Cli.run(dir, dir, "train", "--data", "d.csv", "--out", "run", "--resume", "run/model.recon",
                "--epochs", String.valueOf(done + 2), "--baseline", "none", "--quiet", "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(done + 2, intact(run).state().epochsDone());
        try (Stream<Path> s = Files.list(run)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList(),
                    "a completed run removes the temporary files its killed predecessors left");
        }
    }
}
