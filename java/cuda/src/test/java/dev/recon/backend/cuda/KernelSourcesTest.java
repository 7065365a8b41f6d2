package dev.recon.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.backend.cpu.CpuBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The bundled kernel list matches kernels/*.cu, and every kernel has its CPU twin. */
class KernelSourcesTest {
    @Test
    void listsEveryKernelFileAndKernel() throws IOException {
        Path dir = Path.of(System.getProperty("basedir", "."), "../../kernels").normalize();
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu")).forEach(files::add);
        }
        assertEquals(new TreeSet<>(files), new TreeSet<>(KernelSources.FILES));
        List<String> kernels = new ArrayList<>();
        Matcher m = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(").matcher(KernelSources.all());
        while (m.find()) {
            kernels.add(m.group(1));
        }
        assertEquals(new TreeSet<>(kernels), new TreeSet<>(KernelSources.KERNELS));
        List<String> cpuMethods = Arrays.stream(CpuBackend.class.getMethods()).map(java.lang.reflect.Method::getName).toList();
        for (String k : kernels) {
            assertTrue(cpuMethods.contains(k), "kernel " + k + " has no CpuBackend method of the same name");
        }
    }

    /** The kernels opted in to large dynamic shared memory are exactly those that declare it. */
    @Test
    void dynamicSharedMemoryKernelsAreListed() {
        String src = KernelSources.all();
        List<String> uses = new ArrayList<>();
        Matcher m = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(").matcher(src);
        while (m.find()) {
            // the kernel's body ends at the first closing brace in column 0
            String body = src.substring(m.start(), src.indexOf("\n}", m.start()));
            if (body.contains("RECON_DYNAMIC_SHARED(")) {
                uses.add(m.group(1));
            }
        }
        assertEquals(new TreeSet<>(uses), new TreeSet<>(KernelSources.DYNAMIC_SHARED));
    }
}
