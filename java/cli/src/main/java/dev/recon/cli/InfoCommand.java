package dev.recon.cli;

import dev.recon.Version;
import dev.recon.backend.BackendProvider;
import dev.recon.backend.Backends;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recon info}: version, Java, and which backends can run here, or why not. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the version, the Java runtime, and each backend: available, or why not.")
final class InfoCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Option(names = "--debug", description = "Print stack traces with errors.")
    boolean debug;

    @Override
    public Integer call() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recon_version", Version.get());
        m.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        List<Map<String, Object>> backends = new ArrayList<>();
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("name", "cpu");
        cpu.put("available", true);
        String kernels;
        try (dev.recon.backend.cpu.CpuBackend probe = new dev.recon.backend.cpu.CpuBackend(1)) {
            kernels = probe.kernels();
        }
        cpu.put("details", List.of("Java, " + kernels + " kernels, " + Backends.defaultThreads() + " threads by default"));
        backends.add(cpu);
        List<BackendProvider> providers = Backends.providers();
        for (BackendProvider p : providers) {
            Map<String, Object> b = new LinkedHashMap<>();
            String why = p.unavailableReason();
            b.put("name", p.name());
            b.put("available", why == null);
            if (why != null) {
                b.put("reason", why);
            }
            b.put("details", p.details());
            backends.add(b);
        }
        if (providers.stream().noneMatch(p -> p.name().equals("cuda"))) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", "cuda");
            b.put("available", false);
            b.put("reason", "this build has no CUDA backend");
            backends.add(b);
        }
        m.put("backends", backends);
        if (json) {
            System.out.println(Json.compact(m));
            return ExitCodes.OK;
        }
        System.out.println("recon " + m.get("recon_version"));
        System.out.println("java     " + m.get("java"));
        System.out.println("os       " + m.get("os") + ", " + m.get("cores") + " cores, max heap " + m.get("max_heap_mib") + " MiB");
        for (Map<String, Object> b : backends) {
            boolean ok = (Boolean) b.get("available");
            Object details = b.get("details");
            String text = details instanceof List<?> l ? String.join("; ", l.stream().map(String::valueOf).toList())
                    : String.valueOf(details);
            System.out.printf("backend  %-5s %s%n", b.get("name"), ok ? "available: " + text
                    : "unavailable: " + b.get("reason") + (details == null ? "" : " (" + text + ")"));
        }
        return ExitCodes.OK;
    }
}
