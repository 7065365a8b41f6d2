package dev.recon.backend.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jcuda.LibUtils;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.nvrtc.JNvrtc;

/**
 * Loads JCuda's native libraries, and the CUDA libraries they link against, the safe way, once
 * per JVM. Nothing of JCuda is touched before a driver is found, so a machine without one never
 * loads a JCuda library. Then:
 * <ol>
 * <li>cuBLAS and NVRTC are chosen: CUDA 12's where present (what JCuda 12.6.0 links against),
 * else CUDA 13's through the compatibility layer (native/compat: forwarding libraries named
 * {@code libcublas.so.12} and {@code libnvrtc.so.12} that the jar carries). {@code
 * -Drecon.cuda.libs=12|13} forces one.</li>
 * <li>JCuda's libraries and the layer are written to a private folder ({@link PrivateNatives}).</li>
 * <li>The driver and the chosen libraries are loaded by absolute path, dependencies first, so
 * that JCuda's libraries find them already loaded by their sonames, wherever they live.</li>
 * <li>JCuda's classes are initialised with {@code java.io.tmpdir} pointing at the private folder
 * for that moment: JCuda's loader takes its library from {@code java.io.tmpdir} when the file is
 * already there, and so finds the checked copy instead of writing one into the shared temp.</li>
 * </ol>
 * Every failure becomes a {@link CudaUnavailableException} with the reason in words.
 */
final class JCudaLoader {
    /** How the CUDA libraries were reached, for {@code recon info} and the device check. */
    record Loaded(Path driver, String cublas, String nvrtc, Path nativeDir) {
        List<String> describe() {
            return List.of("driver library: " + driver, "cuBLAS: " + cublas, "NVRTC: " + nvrtc,
                    "native libraries: " + nativeDir);
        }
    }

    private static final String PLATFORM_DIR = "/native/linux-x86_64/";
    private static Loaded loaded;
    private static CudaUnavailableException failure;

    private JCudaLoader() {
    }

    /** Loads once; later calls return the same result or throw the same reason. */
    static synchronized Loaded load() {
        if (loaded == null && failure == null) {
            try {
                loaded = loadOnce(CudaLibraries.locate());
            } catch (CudaUnavailableException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return loaded;
    }

    private static Loaded loadOnce(CudaLibraries.Found libs) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                || !System.getProperty("os.arch", "").matches("amd64|x86_64")) {
            throw new CudaUnavailableException("the CUDA backend is built for Linux on x86-64; this is "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        if (libs.driver() == null) {
            throw new CudaUnavailableException("no NVIDIA driver (libcuda.so.1 not found in " + libs.searched().size()
                    + " library folders)");
        }
        String want = System.getProperty("recon.cuda.libs", "auto");
        if (!want.matches("auto|12|13")) {
            throw new CudaUnavailableException("-Drecon.cuda.libs must be auto, 12 or 13, not " + want);
        }
        // CUDA 12's pair where both are there (what JCuda links against), else each library on its own
        boolean all12 = libs.cublas12() != null && libs.nvrtc12() != null;
        Choice cublasChoice = choose("cuBLAS", "libcublas.so.12", libs.cublas12(), libs.cublasLt12(), libs.cublas13(),
                libs.cublasLt13(), all12, want);
        Choice nvrtcChoice = choose("NVRTC", "libnvrtc.so.12", libs.nvrtc12(), null, libs.nvrtc13(),
                libs.nvrtcBuiltins13(), all12, want);
        List<Choice> choices = List.of(cublasChoice, nvrtcChoice);
        List<String> shims = new ArrayList<>();
        for (Choice c : choices) {
            if (c.shim() != null) {
                shims.add(c.shim());
            }
        }
        for (String s : shims) {
            if (JCudaLoader.class.getResource(PLATFORM_DIR + s) == null) {
                throw new CudaUnavailableException("only CUDA 13 libraries were found, and this build of Recon has no "
                        + "compatibility layer (" + s + " is missing from the jar: it was built without gcc)");
            }
        }

        // JCuda's loader tries java.library.path before the private copy: a relative entry there
        // (an empty one in LD_LIBRARY_PATH is the working folder) or a stray JCuda library on it
        // would be loaded instead
        String v = jcuda.JCudaVersion.get();
        for (String entry : System.getProperty("java.library.path", "").split(":", -1)) {
            if (entry.isEmpty() || !entry.startsWith("/")) {
                throw new CudaUnavailableException("java.library.path (from LD_LIBRARY_PATH) has the relative entry '"
                        + entry + "', from which JCuda would load a library of that name before Recon's checked copy; "
                        + "remove it");
            }
            for (String base : List.of("JCudaDriver-", "JCublas2-", "JNvrtc-")) {
                Path stray = Path.of(entry, jni(base + v));
                if (Files.exists(stray)) {
                    throw new CudaUnavailableException(stray + " is on java.library.path; JCuda would load it instead "
                            + "of Recon's checked copy");
                }
            }
        }
        List<String> resources = new ArrayList<>();
        for (String base : List.of("JCudaDriver-", "JCublas2-", "JNvrtc-")) {
            resources.add("/lib/" + jni(base + v));
        }
        for (String s : shims) {
            resources.add(PLATFORM_DIR + s);
        }
        Path dir;
        try {
            dir = PrivateNatives.extract(PrivateNatives.root(System.getenv(), System.getProperty("user.home")), resources);
        } catch (IOException | RuntimeException e) {
            throw new CudaUnavailableException("cannot write the native libraries to a private folder: " + e.getMessage());
        }
        // the driver, then each library after its dependency and before the shim that forwards to it
        List<Path> order = new ArrayList<>(List.of(libs.driver()));
        for (Choice c : choices) {
            order.addAll(c.preload());
            if (c.shim() != null) {
                order.add(dir.resolve(c.shim()));
            }
        }
        for (Path p : order) {
            try {
                System.load(p.toAbsolutePath().toString());
            } catch (UnsatisfiedLinkError e) {
                throw new CudaUnavailableException(explainLink(p, e.getMessage()));
            }
        }
        String tmp = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", dir.toString());
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCublas2.setExceptionsEnabled(true);
            JNvrtc.setExceptionsEnabled(true);
        } catch (LinkageError e) {
            throw new CudaUnavailableException("the JCuda native libraries cannot be loaded: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        } finally {
            System.setProperty("java.io.tmpdir", tmp);
        }
        return new Loaded(libs.driver(), cublasChoice.description(), nvrtcChoice.description(), dir);
    }

    /** One library's choice: what to load (dependencies first), the shim it needs or null, and in words. */
    record Choice(List<Path> preload, String shim, String description) {
    }

    /**
     * CUDA 12's library where {@code use12} (the whole CUDA 12 set is there) or where it is the only
     * one, else CUDA 13's through the shim named {@code shim12}; {@code want} 12 or 13 forces one.
     * Each comes with its dependency (cuBLASLt, NVRTC's builtins) first.
     */
    static Choice choose(String what, String shim12, Path v12, Path v12dep, Path v13, Path v13dep,
                                 boolean use12, String want) {
        boolean take12 = v12 != null && (want.equals("12") || want.equals("auto") && (use12 || v13 == null));
        if (want.equals("12") && v12 == null) {
            throw new CudaUnavailableException("-Drecon.cuda.libs=12, but " + shim12 + " was not found");
        }
        if (take12) {
            List<Path> p = new ArrayList<>();
            addIfPresent(p, v12dep);
            p.add(v12);
            return new Choice(p, null, "CUDA 12, " + v12);
        }
        if (v13 == null) {
            throw new CudaUnavailableException(want.equals("13")
                    ? "-Drecon.cuda.libs=13, but " + shim12.replace(".so.12", ".so.13") + " was not found"
                    : "no " + what + " (neither " + shim12 + " nor " + shim12.replace(".so.12", ".so.13")
                            + " found; install the CUDA toolkit's libraries or set RECON_CUDA_LIBS to their folder)");
        }
        List<Path> p = new ArrayList<>();
        addIfPresent(p, v13dep);
        p.add(v13);
        return new Choice(p, shim12, "CUDA 13, " + v13 + ", through Recon's compatibility layer");
    }

    private static void addIfPresent(List<Path> list, Path p) {
        if (p != null) {
            list.add(p);
        }
    }

    private static String jni(String base) {
        return LibUtils.createLibraryFileName(LibUtils.createPlatformLibraryName(base));
    }

    /** Loading a library failed: name it, and what it lacks where the message says. */
    static String explainLink(Path lib, String msg) {
        String m = msg == null ? "" : msg.lines().findFirst().orElse("");
        if (lib.getFileName().toString().startsWith("libcuda.so")) {
            return "the NVIDIA driver library cannot be loaded (" + lib + "): " + m;
        }
        return "cannot load " + lib + ": " + m;
    }
}
