package dev.recon.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on loopback from the jars Maven brings, for the cluster test and the
 * benchmark: the build copies Spark's jars into {@code target/spark-home/jars}, which is what a
 * worker launches its executors from. A master and workers of one core each, every process bound
 * to 127.0.0.1; closing it stops them and their executors.
 */
final class LoopbackCluster implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final Path home;
    private final Path logs;
    final String masterUrl;

    LoopbackCluster(Path sparkHome, Path work, int workers, String javaOptions) throws IOException, InterruptedException {
        this(sparkHome, work, workers, "1g", javaOptions);
    }

    /** Workers offering one core and {@code workerMemory} (Spark's notation: 512m, 2g) each. */
    LoopbackCluster(Path sparkHome, Path work, int workers, String workerMemory, String javaOptions)
            throws IOException, InterruptedException {
        this.home = sparkHome.toAbsolutePath();
        if (!Files.isDirectory(home.resolve("jars"))) {
            throw new IllegalStateException(home.resolve("jars") + " is missing: run mvn package first");
        }
        // a distribution marks itself with RELEASE; the launcher then takes its classpath from jars/
        Files.writeString(home.resolve("RELEASE"), "Spark from Maven artifacts, for Recon's tests\n");
        logs = Files.createDirectories(work.resolve("logs"));
        int port = freePort();
        masterUrl = "spark://127.0.0.1:" + port;
        start("master", javaOptions, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        awaitLog("master", "Starting Spark master at", Duration.ofSeconds(60));
        for (int i = 0; i < workers; i++) {
            Path dir = Files.createDirectories(work.resolve("worker" + i));
            start("worker" + i, javaOptions, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                    "--memory", workerMemory, "--webui-port", String.valueOf(freePort()), "--work-dir", dir.toString(), masterUrl);
        }
        for (int i = 0; i < workers; i++) {
            awaitLog("worker" + i, "Successfully registered with master", Duration.ofSeconds(60));
        }
    }

    private void start(String name, String javaOptions, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(home.resolve("jars") + "/*");
        cmd.add("-Xmx256m");
        cmd.addAll(List.of(javaOptions.trim().split("\\s+")));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        processes.add(pb.start());
    }

    private void awaitLog(String name, String line, Duration limit) throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        Path log = logs.resolve(name + ".log");
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
                return;
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + " exited: " + tail(log));
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " did not log '" + line + "' within " + limit + ": " + tail(log));
    }

    String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        String s = Files.readString(log, StandardCharsets.UTF_8);
        return s.substring(Math.max(0, s.length() - 3000));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }
}
