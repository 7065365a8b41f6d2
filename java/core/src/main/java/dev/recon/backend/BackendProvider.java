package dev.recon.backend;

/**
 * A way to open an accelerated backend, found with {@link java.util.ServiceLoader} so that
 * only the module that ships it needs its native bindings.
 */
public interface BackendProvider {
    /** The device name users pass to {@code --device}, e.g. {@code cuda}. */
    String name();

    /** Why this backend cannot run here, or null when it can. Must not throw. */
    String unavailableReason();

    /** Lines describing the device for {@code recon info}. */
    java.util.List<String> details();

    Backend open();
}
