package dev.recon.backend.cuda;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the NVIDIA driver and the CUDA libraries on disk, without loading anything: the driver
 * ({@code libcuda.so.1}), cuBLAS and NVRTC of CUDA 12 (what JCuda 12.6.0 links against) or of CUDA
 * 13 (reached through the compatibility layer). Looks, in order, in {@code RECON_CUDA_LIBS},
 * {@code LD_LIBRARY_PATH}, {@code CUDA_HOME}/{@code CUDA_PATH}, {@code /usr/local/cuda*}, the
 * NVIDIA wheels of Python environments ({@code nvidia/cu13/lib}, {@code nvidia/cublas/lib}, ...)
 * and the system library folders. With {@code RECON_CUDA_LIBS_ONLY=1}, only the first two.
 */
public final class CudaLibraries {
    /** What was found; a null path is a library not found. */
    public record Found(Path driver, Path cublas12, Path cublasLt12, Path nvrtc12, Path cublas13, Path cublasLt13,
                        Path nvrtc13, Path nvrtcBuiltins13, List<Path> searched) {
        /** What was found, a line a library, for {@code recon info}. */
        public List<String> describe() {
            return List.of("driver library: " + orNone(driver),
                    "cuBLAS 12: " + orNone(cublas12) + ", cuBLAS 13: " + orNone(cublas13),
                    "NVRTC 12: " + orNone(nvrtc12) + ", NVRTC 13: " + orNone(nvrtc13),
                    searched.size() + " library folders searched");
        }

        private static String orNone(Path p) {
            return p == null ? "not found" : p.toString();
        }
    }

    private CudaLibraries() {
    }

    /** Searches this machine, with its environment. */
    public static Found locate() {
        return locate(System.getenv(), Path.of("/"));
    }

    /** Searches below {@code root} (a test passes a folder that stands for "/"), reading {@code env}. */
    static Found locate(Map<String, String> env, Path root) {
        List<Path> dirs = searchDirs(env, root);
        Path cublas12 = find(dirs, "libcublas.so.12");
        Path cublas13 = find(dirs, "libcublas.so.13");
        Path nvrtc13 = find(dirs, "libnvrtc.so.13");
        // a library's companion (cuBLASLt, NVRTC's builtins) from its own folder first: the same release
        return new Found(find(dirs, "libcuda.so.1"), cublas12, find(beside(cublas12, dirs), "libcublasLt.so.12"),
                find(dirs, "libnvrtc.so.12"), cublas13, find(beside(cublas13, dirs), "libcublasLt.so.13"), nvrtc13,
                findPrefix(beside(nvrtc13, dirs), "libnvrtc-builtins.so.13"), dirs);
    }

    /** The folder of {@code lib} first, then the others. */
    private static List<Path> beside(Path lib, List<Path> dirs) {
        if (lib == null) {
            return dirs;
        }
        List<Path> out = new ArrayList<>();
        out.add(lib.getParent());
        out.addAll(dirs);
        return out;
    }

    static List<Path> searchDirs(Map<String, String> env, Path root) {
        Set<Path> dirs = new LinkedHashSet<>();
        pathList(env.get("RECON_CUDA_LIBS"), root, dirs);
        pathList(env.get("LD_LIBRARY_PATH"), root, dirs);
        if ("1".equals(env.get("RECON_CUDA_LIBS_ONLY"))) {
            return existing(dirs);
        }
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = env.get(var);
            if (home != null && !home.isBlank()) {
                toolkit(under(root, home), dirs);
            }
        }
        // where container runtimes mount the driver (the NVIDIA container toolkit)
        dirs.add(root.resolve("usr/local/nvidia/lib64"));
        dirs.add(root.resolve("usr/local/nvidia/lib"));
        toolkit(root.resolve("usr/local/cuda"), dirs);
        for (Path p : sortedDesc(root.resolve("usr/local"), "cuda-")) {
            toolkit(p, dirs);
        }
        List<Path> envs = new ArrayList<>();
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String p = env.get(var);
            if (p != null && !p.isBlank()) {
                envs.add(under(root, p));
            }
        }
        String home = env.get("HOME");
        if (home != null && !home.isBlank()) {
            envs.add(under(root, home).resolve(".local"));
        }
        for (String p : List.of("usr/local", "usr", "opt/conda", "opt/venv", "venv")) {
            envs.add(root.resolve(p));
        }
        // virtual environments under /opt (/opt/NAME/.venv, /opt/NAME)
        for (Path opt : sortedDesc(root.resolve("opt"), "")) {
            envs.add(opt.resolve(".venv"));
            envs.add(opt);
        }
        for (Path e : envs) {
            for (Path lib : sortedDesc(e.resolve("lib"), "python3")) {
                for (String pkgs : List.of("site-packages", "dist-packages")) {
                    Path nv = lib.resolve(pkgs).resolve("nvidia");
                    for (String sub : List.of("cu13/lib", "cublas/lib", "cuda_nvrtc/lib", "cu12/lib")) {
                        dirs.add(nv.resolve(sub));
                    }
                }
            }
        }
        for (String p : List.of("usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu", "usr/lib64", "lib64", "usr/lib",
                "lib", "usr/lib/wsl/lib")) {
            dirs.add(root.resolve(p));
        }
        ldSoConf(root.resolve("etc/ld.so.conf"), root, dirs, 0);
        return existing(dirs);
    }

    private static List<Path> existing(Set<Path> dirs) {
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                out.add(d);
            }
        }
        return out;
    }

    /** An absolute path below {@code root}; a relative one (in LD_LIBRARY_PATH, say) from the working folder. */
    private static Path under(Path root, String path) {
        return path.startsWith("/") ? root.resolve(path.substring(1)) : Path.of(path).toAbsolutePath();
    }

    private static void pathList(String value, Path root, Set<Path> dirs) {
        if (value == null) {
            return;
        }
        for (String p : value.split(":")) {
            if (!p.isBlank()) {
                dirs.add(under(root, p));
            }
        }
    }

    private static void toolkit(Path home, Set<Path> dirs) {
        dirs.add(home.resolve("lib64"));
        dirs.add(home.resolve("lib"));
        dirs.add(home.resolve("targets/x86_64-linux/lib"));
    }

    /** Entries of {@code dir} whose names start with {@code prefix}, newest version first. */
    private static List<Path> sortedDesc(Path dir, String prefix) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, prefix + "*")) {
            ds.forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparing((Path p) -> versionKey(p.getFileName().toString())).reversed());
        return out;
    }

    /** "cuda-12.10" sorts after "cuda-12.9": numbers compare as numbers. */
    static String versionKey(String name) {
        StringBuilder sb = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+|\\D+").matcher(name);
        while (m.find()) {
            String t = m.group();
            sb.append(Character.isDigit(t.charAt(0)) ? "0".repeat(Math.max(0, 12 - t.length())) + t : t);
        }
        return sb.toString();
    }

    /** The folders /etc/ld.so.conf names, following its include lines (a few levels deep). */
    private static void ldSoConf(Path conf, Path root, Set<Path> dirs, int depth) {
        if (depth > 3 || !Files.isRegularFile(conf)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(conf);
        } catch (IOException | RuntimeException e) {
            return;
        }
        for (String raw : lines) {
            String line = raw.replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("include ")) {
                String pattern = line.substring("include ".length()).trim();
                Path p = under(root, pattern);
                Path dir = p.getParent();
                String glob = p.getFileName().toString();
                if (dir != null && Files.isDirectory(dir)) {
                    List<Path> files = new ArrayList<>();
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
                        ds.forEach(files::add);
                    } catch (IOException | RuntimeException e) {
                        continue;
                    }
                    files.sort(null);
                    for (Path f : files) {
                        ldSoConf(f, root, dirs, depth + 1);
                    }
                }
            } else if (line.startsWith("/")) {
                dirs.add(under(root, line));
            }
        }
    }

    private static Path find(List<Path> dirs, String name) {
        for (Path d : dirs) {
            Path f = d.resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    /** The first file whose name starts with {@code prefix} (NVRTC's builtins carry a minor version). */
    private static Path findPrefix(List<Path> dirs, String prefix) {
        for (Path d : dirs) {
            try (Stream<Path> s = Files.list(d)) {
                Path f = s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isRegularFile(p))
                        .min(Comparator.naturalOrder()).orElse(null);
                if (f != null) {
                    return f;
                }
            } catch (IOException | RuntimeException e) {
                // an unreadable folder is passed over
            }
        }
        return null;
    }
}
