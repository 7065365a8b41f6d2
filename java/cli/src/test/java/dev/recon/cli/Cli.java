package dev.recon.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the shaded jar the way the {@code recon} launcher does, in a separate JVM. */
final class Cli {
    /** One finished run. */
    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    static Path jar() {
        return Path.of(System.getProperty("recon.jar", "target/recon.jar"));
    }

    static Path repo() {
        return Path.of(System.getProperty("recon.repo", "../..")).toAbsolutePath().normalize();
    }

    /** The credit-card subset in ../shared, or null where this checkout has none beside it. */
    static Path creditCard() {
        Path p = repo().resolve("../shared/data/creditcard/creditcard.csv.gz").normalize();
        return Files.isRegularFile(p) ? p : null;
    }

    static Run run(Path workDir, Path home, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drecon.home=" + home, "-jar", jar().toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        Path out = Files.createTempFile("recon-out", ".txt");
        Path err = Files.createTempFile("recon-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("recon " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
