package dev.recon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stored expectations under src/test/resources. Run the tests with
 * {@code -Drecon.regenerate=true} to rewrite them after an intended change of the numerics
 * (and say so in the commit).
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static boolean regenerate() {
        return Boolean.getBoolean("recon.regenerate");
    }

    public static byte[] read(String resource) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test fixture " + resource + "; run with -Drecon.regenerate=true");
            }
            return in.readAllBytes();
        }
    }

    /** Writes a fixture into the source tree (only when regenerating). */
    public static void write(String resource, byte[] content) throws IOException {
        Path p = Path.of(System.getProperty("basedir", "."), "src/test/resources", resource.substring(1));
        Files.createDirectories(p.getParent());
        Files.write(p, content);
    }
}
