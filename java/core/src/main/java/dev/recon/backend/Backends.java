package dev.recon.backend;

import dev.recon.ReconException;
import dev.recon.backend.cpu.CpuBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Chooses and opens a backend for {@code --device auto|cpu|<accelerator>}. */
public final class Backends {
    private Backends() {
    }

    /** The accelerated backends this build ships (none without the GPU module on the class path). */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            list.add(p);
        }
        return list;
    }

    /** The pure-Java CPU backend, for callers above this package, which never name an implementation. */
    public static Backend cpu(int threads) {
        return new CpuBackend(threads);
    }

    /** Threads to use when the user does not say: every core the JVM may use. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Opens the backend the user asked for. {@code auto} takes the first accelerator that
     * works and falls back to the CPU; {@code note} receives the reason when it falls back.
     */
    public static Backend open(String device, int threads, java.util.function.Consumer<String> note) {
        String d = device == null ? "auto" : device.trim().toLowerCase(Locale.ROOT);
        if (d.equals("cpu")) {
            return new CpuBackend(threads);
        }
        List<BackendProvider> providers = providers();
        if (d.equals("auto")) {
            List<String> why = new ArrayList<>();
            for (BackendProvider p : providers) {
                String reason = p.unavailableReason();
                if (reason == null) {
                    return p.open();
                }
                why.add(p.name() + ": " + reason);
            }
            if (providers.isEmpty()) {
                why.add("cuda: this build has no CUDA backend");
            }
            note.accept(String.join("; ", why));
            return new CpuBackend(threads);
        }
        for (BackendProvider p : providers) {
            if (p.name().equals(d)) {
                String reason = p.unavailableReason();
                if (reason != null) {
                    throw new ReconException("--device " + d + ": " + reason, false);
                }
                return p.open();
            }
        }
        if (d.equals("cuda")) {
            throw new ReconException("--device cuda: this build has no CUDA backend; use --device cpu or auto", false);
        }
        throw ReconException.input("--device: unknown device '" + device + "' (known: auto, cpu, cuda)");
    }
}
