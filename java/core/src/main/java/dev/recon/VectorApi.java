package dev.recon;

/**
 * Whether the JDK's incubating Vector API may be used: the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (the {@code recon} launcher passes it) and
 * {@code -Drecon.simd=false} is not set. Classes that use it are loaded by name through
 * {@link #load}, so that a JVM without the module never links them.
 */
public final class VectorApi {
    private static final boolean USABLE = !"false".equals(System.getProperty("recon.simd"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorApi() {
    }

    public static boolean usable() {
        return USABLE;
    }

    /** A new instance of the named class where the Vector API is usable, else {@code fallback}. */
    public static <T> T load(String className, Class<T> type, T fallback) {
        if (!USABLE) {
            return fallback;
        }
        try {
            var constructor = Class.forName(className).getDeclaredConstructor();
            constructor.setAccessible(true); // the classes are package-private
            return type.cast(constructor.newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            return fallback;
        }
    }
}
