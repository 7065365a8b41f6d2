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

    /**
     * Writes {@code dir/good.csv} (400 rows: features a, b, c and a Class label, one anomaly in
     * twenty) and trains a small model on it into {@code dir/run}: the earlier output the bad-input
     * tests check is left alone.
     */
    static void trainSmallModel(Path dir) throws IOException, InterruptedException {
        StringBuilder sb = new StringBuilder("a,b,c,Class\n");
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 400; i++) {
            double z = r.nextGaussian();
            sb.append(z).append(',').append(2 * z + 0.1 * r.nextGaussian()).append(',').append(-z).append(',')
                    .append(i % 20 == 0 ? 1 : 0).append('\n');
        }
        Files.writeString(dir.resolve("good.csv"), sb);
        Run t = run(dir, dir, "train", "--data", "good.csv", "--out", "run", "--epochs", "2", "--quiet");
        if (t.code() != 0) {
            throw new IllegalStateException("training the small model failed: " + t.err());
        }
    }
}
