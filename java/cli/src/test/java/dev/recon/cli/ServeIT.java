package dev.recon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./recon serve} as users start it: through the launcher, stopped by SIGTERM. */
class ServeIT {
    private static final Pattern URL = Pattern.compile("on (http://127\\.0\\.0\\.1:(\\d+))");

    @TempDir
    static Path dir;

    @BeforeAll
    static void model() throws Exception {
        Cli.trainSmallModel(dir);
    }

    /** A server started by the launcher, and the first line it printed. */
    record Server(Process process, String url, int port, BufferedReader err) {
    }

    static Server start(String... options) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", Cli.repo().resolve("recon").toString(), "serve",
                "--port", "0"));
        cmd.addAll(List.of(options));
        if (!cmd.contains("--model")) {
            cmd.addAll(List.of("--model", "run"));
        }
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line = err.readLine();
        Matcher m = URL.matcher(line == null ? "" : line);
        if (!m.find()) {
            p.destroyForcibly();
            throw new AssertionError("no address in the server's first line: " + line);
        }
        return new Server(p, m.group(1), Integer.parseInt(m.group(2)), err);
    }

    @Test
    void sigtermDrainsTheRequestInFlightAndExitsZero() throws Exception {
        Server s = start();
        String body = "{\"rows\": [[0.1, 0.2, -0.1]]}";
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body.substring(0, 8)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(1000);
            new ProcessBuilder("kill", "-TERM", Long.toString(s.process().pid())).start().waitFor();
            Thread.sleep(500);
            assertTrue(s.process().isAlive(), "the server quit with a request in flight");
            out.write(body.substring(8).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }
        assertTrue(s.process().waitFor(15, TimeUnit.SECONDS), "the server did not stop");
        assertEquals(0, s.process().exitValue());
        String rest = String.join("\n", s.err().lines().toList());
        assertTrue(rest.contains("recon serve: stopped after"), rest);
        assertFalse(rest.contains("Exception"), rest);
        org.junit.jupiter.api.Assertions.assertThrows(java.net.ConnectException.class,
                () -> new Socket("127.0.0.1", s.port()).close());
    }

    @Test
    void sighupReloadsTheBundleAtTheSamePath() throws Exception {
        Path served = dir.resolve("hup.recon");
        Files.copy(dir.resolve("run/model.recon"), served);
        Server s = start("--model", "hup.recon");
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest model = HttpRequest.newBuilder(URI.create(s.url() + "/v1/model")).build();
            String before = client.send(model, HttpResponse.BodyHandlers.ofString()).body();
            // another model at the same path: the same data, one more epoch
            Cli.Run t = Cli.run(dir, dir, "train", "--data", "good.csv", "--out", "run2", "--epochs", "3", "--quiet");
            assertEquals(0, t.code(), t.err());
            Files.copy(dir.resolve("run2/model.recon"), dir.resolve("hup.recon.new"));
            Files.move(dir.resolve("hup.recon.new"), served, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            new ProcessBuilder("kill", "-HUP", Long.toString(s.process().pid())).start().waitFor();
            String line = s.err().readLine();
            assertTrue(line != null && line.startsWith("recon serve: reload done: now serving "), line);
            String after = client.send(model, HttpResponse.BodyHandlers.ofString()).body();
            assertFalse(before.equals(after));
            assertTrue(after.contains(line.substring(line.lastIndexOf(' ') + 1)), after);
        } finally {
            s.process().destroy();
            s.process().waitFor(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSlowClientIsCutOffAndOthersAreServedMeanwhile() throws Exception {
        Server s = start("--read-timeout", "1");
        try (Socket slow = new Socket("127.0.0.1", s.port())) {
            slow.getOutputStream().write("POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"ro"
                    .getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            HttpResponse<String> other = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.url()
                    + "/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, other.statusCode());
            slow.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            InputStream in = slow.getInputStream();
            try {
                byte[] got = in.readAllBytes();
                assertFalse(new String(got, StandardCharsets.UTF_8).startsWith("HTTP/1.1 200"));
            } catch (SocketException e) {
                // reset by the server: cut off too
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 8, "the slow client was held " + seconds + " s");
        } finally {
            s.process().destroy();
            s.process().waitFor(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void badStartsAreOneLineAndExitTwo() throws Exception {
        Cli.Run taken;
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            taken = Cli.run(dir, dir, "serve", "--model", "run", "--port", Integer.toString(busy.getLocalPort()));
        }
        assertEquals(2, taken.code(), taken.err());
        assertEquals(1, taken.errLines().size(), taken.err());
        assertTrue(taken.err().startsWith("recon serve: cannot listen on 127.0.0.1:"), taken.err());

        for (String host : List.of("no-such-host.invalid", "192.0.2.1")) {
            Cli.Run bad = Cli.run(dir, dir, "serve", "--model", "run", "--host", host, "--port", "0");
            assertEquals(2, bad.code(), bad.err());
            assertEquals(1, bad.errLines().size(), bad.err());
            assertTrue(bad.err().startsWith("recon serve: cannot listen on " + host + ":0: "), bad.err());
        }

        Files.writeString(dir.resolve("junk.recon"), "not a model");
        Cli.Run junk = Cli.run(dir, dir, "serve", "--model", "junk.recon", "--port", "0");
        assertEquals(2, junk.code());
        assertEquals(List.of("recon serve: junk.recon: not a Recon model bundle (bad magic bytes)"), junk.errLines());

        Files.writeString(dir.resolve("blank-token"), "\n");
        Cli.Run token = Cli.run(dir, dir, "serve", "--model", "run", "--token-file", "blank-token");
        assertEquals(2, token.code());
        assertEquals(1, token.errLines().size(), token.err());
        assertTrue(token.err().contains("blank-token: the token file's first line is empty"), token.err());

        Cli.Run body = Cli.run(dir, dir, "serve", "--model", "run", "--max-body", "lots");
        assertEquals(2, body.code());
        assertTrue(body.err().startsWith("recon serve: --max-body must be"), body.err());
    }
}
