import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * Two versions of Recon in one JVM, each from its own jar in its own class loader, training
 * epochs (or, with -Dab.driver=ScoreDriver, scoring passes) in alternation (A B, B A, ...), so
 * that both see the same host: on a shared machine whose speed drifts by 2x within minutes,
 * separate runs do not compare. Prints each version's best and median pass and the median of
 * the per-pair ratios B / A.
 * Usage: AbTrain A.jar A-driver-dir B.jar B-driver-dir batch pairs threads
 */
public final class AbTrain {
    public static void main(String[] a) throws Exception {
        int batch = Integer.parseInt(a[4]);
        int pairs = Integer.parseInt(a[5]);
        int threads = Integer.parseInt(a[6]);
        DoubleSupplier[] v = new DoubleSupplier[2];
        for (int i = 0; i < 2; i++) {
            URL[] path = {Path.of(a[2 * i]).toUri().toURL(), Path.of(a[2 * i + 1]).toUri().toURL()};
            ClassLoader cl = new URLClassLoader(path, ClassLoader.getPlatformClassLoader());
            v[i] = (DoubleSupplier) cl.loadClass(System.getProperty("ab.driver", "EpochDriver")).getConstructor(int.class, int.class)
                    .newInstance(batch, threads);
        }
        for (int w = 0; w < 3; w++) { // warm-up: the JIT compiler settles on both
            v[0].getAsDouble();
            v[1].getAsDouble();
        }
        double[][] r = new double[2][pairs];
        for (int k = 0; k < pairs; k++) {
            for (int i = 0; i < 2; i++) {
                int j = k % 2 == 0 ? i : 1 - i;
                r[j][k] = v[j].getAsDouble();
            }
        }
        double[] ratio = new double[pairs];
        for (int k = 0; k < pairs; k++) {
            ratio[k] = r[1][k] / r[0][k];
        }
        for (int i = 0; i < 2; i++) {
            double[] s = r[i].clone();
            Arrays.sort(s);
            System.out.printf("%s: best pass %,.0f samples/s, median %,.0f%n", i == 0 ? "A" : "B", s[pairs - 1],
                    s[pairs / 2]);
        }
        Arrays.sort(ratio);
        System.out.printf("B / A per pair: median %.3f (min %.3f, max %.3f), batch %d, %d threads, %d pairs%n",
                ratio[pairs / 2], ratio[0], ratio[pairs - 1], batch, threads, pairs);
        System.exit(0);
    }
}
