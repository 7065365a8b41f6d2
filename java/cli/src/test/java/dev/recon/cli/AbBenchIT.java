package dev.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** bench/ab-jars.sh's runner, on the built jar against itself: both passes load and measure. */
class AbBenchIT {
    @Test
    void theJarAgainstItselfMeasuresBothKindsOfPass() throws Exception {
        Path jar = Cli.jar().toAbsolutePath();
        for (String pass : List.of("score", "epoch")) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "-cp", jar.toString(), "dev.recon.cli.AbBench",
                    jar.toString(), jar.toString(), pass, "256", "2", "1", "3000").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
            Matcher m = Pattern.compile("B / A per pair: median (\\d+\\.\\d+)").matcher(out);
            assertTrue(m.find(), out);
            double ratio = Double.parseDouble(m.group(1));
            assertTrue(ratio > 0.1 && ratio < 10, "the same jar twice: " + out);
            assertTrue(out.contains("A: best pass ") && out.contains(pass + " passes"), out);
        }
    }
}
