package dev.recon.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader in a child JVM (the dynamic linker's view is per process), against stand-ins built
 * by native/compat/test/build.sh: a driver that sees no device, and "CUDA 13" libraries with a
 * few functions. Checks that JCuda's libraries land in the private folder and nothing in the
 * JVM's temp folder, that JCuda's calls reach the CUDA 13 libraries through the compatibility
 * layer, and that without a driver JCuda is not loaded at all.
 */
class JCudaLoaderTest {
    @TempDir
    Path tmp;

    private static Path stubs() {
        String p = System.getProperty("recon.cuda.stubs");
        boolean present = p != null && Files.isRegularFile(Path.of(p, "driver", "libcuda.so.1"));
        if (!present && Emulation.required()) {
            fail("the CUDA stand-ins are required but missing (" + p + "): native/build.sh builds them");
        }
        assumeTrue(present, "CUDA stand-ins not built (needs gcc): " + p);
        return Path.of(p);
    }

    private record Run(int exit, String out, Path home, Path jvmTmp) {
    }

    private Run probe(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + jvmTmp, "-Duser.home=" + home, "-Xlog:class+load=info",
                "-cp", System.getProperty("java.class.path"), LoaderProbe.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("CUDA") || k.startsWith("RECON_") || k.equals("LD_LIBRARY_PATH")
                || k.equals("XDG_CACHE_HOME"));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("RECON_CUDA_LIBS_ONLY", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, home, jvmTmp);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void cuda13OnlyMachineLoadsThroughTheCompatibilityLayerIntoAPrivateFolder() throws Exception {
        Path stubs = stubs();
        Run r = probe(Map.of("LD_LIBRARY_PATH", stubs.resolve("driver").toString(),
                "RECON_CUDA_LIBS", stubs.resolve("cuda13").toString()), "calls");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("reason=no CUDA device (the driver sees no GPU)"), r.out());
        // JCuda's calls arrive in the "CUDA 13" libraries, through the layer's version node
        assertTrue(r.out().contains("cublasGetProperty=13"), r.out());
        assertTrue(r.out().contains("nvrtcVersion=13.7"), r.out());
        // a function the CUDA 13 library lacks answers with an error status, not a crash
        assertTrue(r.out().contains("missing=CUBLAS_STATUS_NOT_SUPPORTED"), r.out());
        assertEquals(List.of(), list(r.jvmTmp()), "nothing may land in the JVM's temp folder");
        Path natives = r.home().resolve(".cache/recon/native");
        List<Path> files = list(natives);
        List<String> names = files.stream().map(f -> f.getFileName().toString()).sorted().toList();
        assertTrue(names.contains("libcublas.so.12") && names.contains("libnvrtc.so.12"), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("libJCudaDriver-")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("libJCublas2-")), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.endsWith(".tmp")), names.toString());
        Path set = files.get(0).getParent();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(set)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(natives)));
        assertTrue(r.out().contains("through Recon's compatibility layer"), r.out());

        // a second run reuses the checked copies: same folder, same files
        Run again = probe(Map.of("LD_LIBRARY_PATH", stubs.resolve("driver").toString(),
                "RECON_CUDA_LIBS", stubs.resolve("cuda13").toString()));
        assertEquals(0, again.exit(), again.out());
        assertEquals(files, list(natives));
    }

    @Test
    void withoutADriverJCudaIsNotLoadedAndNothingIsWritten() throws Exception {
        stubs();
        Run r = probe(Map.of("RECON_CUDA_LIBS", tmp.toString()));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("reason=no NVIDIA driver (libcuda.so.1 not found"), r.out());
        assertTrue(r.out().contains("detail=driver library: not found"), r.out());
        assertFalse(r.out().contains("jcuda.driver.JCudaDriver "), "JCuda's driver class must not even be loaded");
        assertFalse(r.out().contains("jcuda.LibUtils "), "JCuda's loader must not run");
        assertEquals(List.of(), list(r.jvmTmp()));
        assertFalse(Files.exists(r.home().resolve(".cache/recon/native")));
    }

    @Test
    void aNativeFolderOthersCanWriteIsRefused() throws Exception {
        stubs();
        Path root = Files.createDirectories(tmp.resolve("shared-root"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        Run r = probe(Map.of("LD_LIBRARY_PATH", stubs().resolve("driver").toString(),
                "RECON_CUDA_LIBS", stubs().resolve("cuda13").toString(), "RECON_NATIVE_DIR", root.toString()));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("reason=cannot write the native libraries to a private folder: " + root
                + " is writable by other users"), r.out());
        assertEquals(List.of(), list(root));
    }
}
