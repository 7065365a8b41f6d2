package dev.recon.serve;

import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Dataset;
import dev.recon.data.SyntheticData;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.model.DetectorKind;
import dev.recon.pipeline.TrainJob;
import dev.recon.pipeline.TrainOptions;
import dev.recon.train.TrainListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Small trained bundles and an HTTP client for the server's tests. */
final class ServeFixtures {
    static final int FEATURES = 5;
    static final Dataset DATA = SyntheticData.generate(FEATURES, 800, 40, 7);
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServeFixtures() {
    }

    /** A bundle trained for two epochs on {@link #DATA}, written to {@code file}. */
    static Bundle train(Path file, DetectorKind kind, long seed) {
        try (CpuBackend be = new CpuBackend(1)) {
            Bundle b = TrainJob.run(DATA, TrainOptions.defaults().withEpochs(2).withSeed(seed).withDetector(kind), be,
                    TrainListener.NONE).bundle();
            BundleFormat.write(b, file);
            return b;
        }
    }

    static ServeConfig config(Path model, BearerToken token, int maxBody, int maxRows, boolean microBatch) {
        return new ServeConfig(model, "127.0.0.1", 0, 4, token, maxBody, maxRows, 10, 5, microBatch);
    }

    /** What a test does with a running server. */
    interface WithServer {
        void run(ScoreServer s) throws Exception;
    }

    /** Starts a server, runs {@code test} against it, and stops it whatever happens. */
    static void serving(ServeConfig config, WithServer test) throws Exception {
        ScoreServer s = ScoreServer.start(config, System.err);
        try {
            test.run(s);
        } finally {
            s.stop();
        }
    }

    static HttpResponse<String> send(HttpRequest r) throws Exception {
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder request(ScoreServer s, String path) {
        return HttpRequest.newBuilder(URI.create(s.url() + path)).timeout(Duration.ofSeconds(30));
    }

    static HttpResponse<String> get(ScoreServer s, String path) throws Exception {
        return send(request(s, path).GET().build());
    }

    static HttpResponse<String> post(ScoreServer s, String path, String type, String body) throws Exception {
        HttpRequest.Builder b = request(s, path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return send(b.build());
    }

    static HttpResponse<String> json(ScoreServer s, String path, String body) throws Exception {
        return post(s, path, "application/json", body);
    }
}
