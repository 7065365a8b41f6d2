package dev.recon.cli;

/**
 * SIGTERM, SIGINT and SIGHUP for long-running commands. The JVM's own handling of SIGTERM runs
 * the shutdown hooks and exits with 143; a server that drains its requests and exits 0 needs
 * the signal itself, which only {@code sun.misc.Signal} (module jdk.unsupported, present in
 * every JDK the launcher supports) gives.
 */
final class Signals {
    private Signals() {
    }

    /** Runs {@code action} on SIGTERM and SIGINT. */
    static void onStop(Runnable action) {
        handle("TERM", action);
        handle("INT", action);
    }

    /** Runs {@code action} on SIGHUP, on a thread of its own so the signal's thread is not held. */
    static void onReload(Runnable action) {
        handle("HUP", () -> new Thread(action, "recon-sighup").start());
    }

    @SuppressWarnings("removal")
    private static void handle(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // a platform without this signal (or one the JVM keeps for itself): the default stays
        }
    }
}
