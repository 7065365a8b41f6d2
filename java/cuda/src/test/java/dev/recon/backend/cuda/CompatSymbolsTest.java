package dev.recon.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compatibility layer exports exactly what JCuda's JNI libraries import: the symbol lists in
 * native/compat equal the imports readelf finds in the JCuda natives on the class path (a new
 * JCuda version fails here until native/compat/symbols.sh is run), and the built layer exports
 * each of them under the version node JCuda asks for.
 */
class CompatSymbolsTest {
    @TempDir
    Path tmp;

    private static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("native/compat"))) {
            p = p.getParent();
        }
        assertNotNull(p, "native/compat not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    private static List<String> readelf(Path lib) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("readelf", "--dyn-syms", "-W", lib.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    @ParameterizedTest
    @CsvSource({"JCublas2, libcublas.so.12", "JNvrtc, libnvrtc.so.12"})
    void symbolListsMatchJCudasImportsAndTheLayerExportsThem(String jni, String soname) throws Exception {
        String file = "lib" + jni + "-" + jcuda.JCudaVersion.get() + "-linux-x86_64.so";
        Path lib = tmp.resolve(file);
        try (InputStream in = getClass().getResourceAsStream("/lib/" + file)) {
            assertNotNull(in, file + " is not on the class path");
            Files.copy(in, lib);
        }
        TreeSet<String> imports = new TreeSet<>();
        for (String line : readelf(lib)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[6].equals("UND") && f[7].endsWith("@" + soname)) {
                imports.add(f[7].substring(0, f[7].length() - soname.length() - 1));
            }
        }
        assertTrue(imports.size() > 10, imports.toString());
        TreeSet<String> listed = new TreeSet<>(Files.readAllLines(repo().resolve("native/compat/" + soname + ".symbols")));
        assertEquals(imports, listed, "run native/compat/symbols.sh");

        Path shim = Path.of(getClass().getResource("/native/linux-x86_64/" + soname).toURI());
        TreeSet<String> exported = new TreeSet<>();
        for (String line : readelf(shim)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[3].equals("FUNC") && f[4].equals("GLOBAL") && !f[6].equals("UND")) {
                assertTrue(f[7].endsWith("@@" + soname), line);
                exported.add(f[7].substring(0, f[7].indexOf('@')));
            }
        }
        assertEquals(imports, exported);
    }
}
