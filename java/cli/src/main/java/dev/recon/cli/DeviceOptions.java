package dev.recon.cli;

import dev.recon.backend.Backend;
import dev.recon.backend.Backends;
import picocli.CommandLine.Option;

/** Where to compute. */
final class DeviceOptions {
    @Option(names = "--device", paramLabel = "auto|cpu|cuda", defaultValue = "auto",
            description = "Backend: auto picks a working GPU, else the CPU (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", paramLabel = "N",
            description = "CPU threads (default: all cores). The same seed and thread count give the same model, bit for bit.")
    Integer threads;

    /** Why --device auto did not pick an accelerator, after {@link #open}; null when it did or was not asked. */
    String note;

    Backend open() {
        int t = threads != null ? threads : Backends.defaultThreads();
        if (t < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + t);
        }
        return Backends.open(device, t, n -> note = n);
    }
}
