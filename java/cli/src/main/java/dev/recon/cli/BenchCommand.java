package dev.recon.cli;

import dev.recon.backend.Backend;
import dev.recon.backend.BackendProvider;
import dev.recon.backend.Buf;
import dev.recon.backend.Backends;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.CsvOptions;
import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.data.StandardScaler;
import dev.recon.data.SyntheticData;
import dev.recon.eval.ThresholdPolicy;
import dev.recon.io.Bundle;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Loss;
import dev.recon.model.ParameterLayout;
import dev.recon.net.Network;
import dev.recon.pipeline.TrainOptions;
import dev.recon.score.Detector;
import dev.recon.train.EpochStats;
import dev.recon.train.TrainConfig;
import dev.recon.train.TrainListener;
import dev.recon.train.TrainResult;
import dev.recon.train.Trainer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recon bench}: what users feel. Training samples/s (one warm-up epoch, then timed
 * epochs) and scoring samples/s on seeded synthetic data of the credit-card shape, for each
 * batch size and backend; GFLOP/s and the fraction of the CPU's FP32 peak; and CSV parsing
 * MB/s on a generated file.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure training and scoring throughput of the default autoencoder on synthetic "
                + "credit-card-shaped data, and CSV parsing speed. Per batch size: untimed training for --warmup "
                + "seconds, then one more untimed epoch and --epochs timed ones."})
final class BenchCommand implements Callable<Integer> {
    /** GEMM FLOPs per sample of one training step of the default 30-128-64-16-64-128-30 network. */
    static final long TRAIN_FLOPS = 148_992;

    @Option(names = "--device", paramLabel = "cpu|cuda|all", defaultValue = "cpu",
            description = "Backends to measure (default: ${DEFAULT-VALUE}); all = the CPU and every GPU backend that works.")
    String device;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "227000", description = "Training rows (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--batch", paramLabel = "N", split = ",", description = "Batch sizes (default: 256,1024,4096).")
    List<Integer> batches = new ArrayList<>(List.of(256, 1024, 4096));

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3", description = "Timed epochs per batch size, after one warm-up epoch (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "4",
            description = "Train untimed for at least this long first, so that the JIT compiler has finished with the "
                    + "hot loops and does not compete with them for the cores (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: all cores).")
    Integer threads;

    @Option(names = "--peak", paramLabel = "GFLOPS",
            description = "The CPU's FP32 peak in GFLOP/s, for the fraction of peak (default: measured with an FMA loop "
                    + "on all threads; bench/compare-pytorch.sh passes OpenBLAS's large-SGEMM figure).")
    Double peak;

    @Option(names = "--csv-mb", paramLabel = "MB", defaultValue = "100", description = "Size of the generated CSV file; 0 skips the parsing benchmark (default: ${DEFAULT-VALUE}).")
    int csvMb;

    @Option(names = "--suite", paramLabel = "DIR",
            description = "Instead of throughput: accuracy of the default detector on every labelled CSV in DIR (ROC-AUC "
                    + "and average precision on the test split), beside the peers in DIR/peers.json when it is there.")
    Path suite;

    @Option(names = "--sets", paramLabel = "NAME", split = ",", description = "With --suite: only these sets.")
    List<String> sets;

    @Option(names = "--seeds", paramLabel = "N", split = ",", description = "With --suite: seeds to average over (default: 42).")
    List<Long> seeds = new ArrayList<>(List.of(TrainOptions.DEFAULT_SEED));

    @Option(names = "--detector", paramLabel = "ae-knn|ae", defaultValue = "ae-knn",
            description = "With --suite: the detector to train (default: ${DEFAULT-VALUE}).")
    String detector;

    @Option(names = "--init", paramLabel = "he|torch", description = "With --suite: the initialisation (default: the detector's).")
    String init;

    @Option(names = "--train-epochs", paramLabel = "N",
            description = "With --suite: training epochs (default: train's, at least 20 and 800 optimizer steps).")
    Integer trainEpochs;

    @Option(names = "--train-patience", paramLabel = "N",
            description = "With --suite: early-stopping patience, 0 = never (default: train's).")
    Integer trainPatience;

    @Option(names = "--out", paramLabel = "FILE", description = "With --suite: also write the results as JSON to FILE.")
    Path outFile;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Option(names = "--debug", description = "Print stack traces with errors.")
    boolean debug;

    @Override
    public Integer call() throws IOException {
        if (suite != null) {
            int st = threads != null ? threads : Backends.defaultThreads();
            TabularSuite ts = new TabularSuite(suite, sets, seeds.stream().mapToLong(Long::longValue).toArray(),
                    suiteOptions(), () -> Backends.open(device.equals("all") ? "cpu" : device, st, n -> { }),
                    json ? System.err : System.out);
            Map<String, Object> r = ts.run();
            if (outFile != null) {
                Json.writeFile(outFile, r);
            }
            if (json) {
                System.out.println(Json.compact(r));
            }
            return ExitCodes.OK;
        }
        if (rows < 1000 || epochs < 1 || batches.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("--rows must be at least 1000, --epochs and --batch at least 1");
        }
        int t = threads != null ? threads : Backends.defaultThreads();
        List<String> devices = switch (device) {
            case "cpu" -> List.of("cpu");
            case "cuda" -> List.of("cuda");
            case "all" -> {
                List<String> all = new ArrayList<>(List.of("cpu"));
                for (BackendProvider p : Backends.providers()) {
                    if (p.unavailableReason() == null) {
                        all.add(p.name());
                    }
                }
                yield all;
            }
            default -> throw new IllegalArgumentException("--device: expected cpu, cuda or all, got '" + device + "'");
        };
        Dataset data = SyntheticData.creditCardShape(rows + 2048, rows / 500, 7);
        StandardScaler scaler = StandardScaler.fit(data, data.allRows());
        float[] all = scaler.transform(data.values(), data.rows());
        float[] train = Arrays.copyOf(all, rows * 30);
        float[] val = Arrays.copyOfRange(all, rows * 30, (rows + 2048) * 30);
        AutoencoderSpec spec = AutoencoderSpec.defaults(30, null, null, Activation.RELU, Loss.MSE);

        String peakSource = "--peak";
        if (peak == null) {
            peak = PeakFlops.measure(t);
            peakSource = "FMA loop, " + t + " threads";
            if (!json) {
                System.out.printf(Locale.ROOT, "cpu FP32 peak: %.0f GFLOP/s (%s)%n", peak, peakSource);
            }
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (String dev : devices) {
            for (int batch : batches) {
                try (Backend be = Backends.open(dev, t, n -> { })) {
                    results.add(measure(be, spec, train, val, data, batch, t));
                }
                if (!json) {
                    print(results.get(results.size() - 1));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>(results.get(0));
        out.put("peak_gflops", Double.isFinite(peak) ? peak : null);
        out.put("peak_source", peakSource);
        if (csvMb > 0) {
            out.put("csv_mb_per_s", csvThroughput(csvMb));
            if (!json) {
                System.out.printf(Locale.ROOT, "csv parsing: %.0f MB/s (%d MB generated file)%n", out.get("csv_mb_per_s"), csvMb);
            }
        }
        out.put("results", results);
        if (json) {
            System.out.println(Json.compact(out));
        }
        return ExitCodes.OK;
    }

    /** The default train options, with what --suite was told to change. */
    private TrainOptions suiteOptions() {
        if (trainEpochs != null && trainEpochs < 1 || trainPatience != null && trainPatience < 0) {
            throw new IllegalArgumentException("--train-epochs must be at least 1 and --train-patience 0 or more");
        }
        TrainOptions d = TrainOptions.defaults();
        return new TrainOptions(d.hidden(), d.latent(), d.activation(), d.loss(), trainEpochs, d.batch(), d.lr(),
                trainPatience, d.seed(), d.threshold(), dev.recon.model.DetectorKind.parse(detector),
                init == null ? null : dev.recon.model.Init.parse(init));
    }

    private Map<String, Object> measure(Backend be, AutoencoderSpec spec, float[] train, float[] val, Dataset data,
                                        int batch, int threads) {
        // warm-up: untimed epochs until the JIT compiler has settled (one at the least)
        long w0 = System.nanoTime();
        do {
            Trainer w = new Trainer(be, spec, new TrainConfig(1, batch, 1e-3f, 0, 1));
            w.train(train, rows, val, 2048, w.initialState(), TrainListener.NONE);
        } while ((System.nanoTime() - w0) / 1e9 < warmup);
        Trainer trainer = new Trainer(be, spec, new TrainConfig(1 + epochs, batch, 1e-3f, 0, 1));
        long launches0 = be.launches();
        TrainResult r = trainer.train(train, rows, val, 2048, trainer.initialState(), TrainListener.NONE);
        long launches = be.launches() - launches0;
        long steps = (1L + epochs) * ((rows + batch - 1) / batch);
        List<EpochStats> timed = r.state().history().subList(1, 1 + epochs);
        double[] sps = timed.stream().mapToDouble(EpochStats::samplesPerSecond).toArray();
        double best = Arrays.stream(sps).max().orElse(0);
        double median = median(sps);

        // scoring: the public API on raw rows, scaler included, in the Detector's chunks
        Bundle b = new Bundle("bench", spec, data.featureNames(), null, StandardScaler.fit(data, data.allRows()),
                Double.MAX_VALUE, ThresholdPolicy.DEFAULT, new TrainConfig(1, batch, 1e-3f, 0, 1),
                new Bundle.DataInfo("bench", rows, 0, "", true, rows, 2048, 0), r.state(), "", Map.of());
        Detector det = Detector.of(b, be);
        double bestScore = 0;
        float[] raw = Arrays.copyOf(data.values(), rows * 30);
        for (int rep = 0; rep < 4; rep++) {
            long t0 = System.nanoTime();
            det.errors(raw, rows);
            double s = rows / ((System.nanoTime() - t0) / 1e9);
            bestScore = rep == 0 ? 0 : Math.max(bestScore, s); // the first pass warms up
        }
        double resident = residentScoring(be, spec, train, r.state().bestParams());
        long scoreFlops = 2L * new ParameterLayout(spec).size();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", be.name());
        m.put("backend", be.description());
        m.put("rows", rows);
        m.put("batch", batch);
        m.put("epochs", epochs);
        m.put("threads", be.name().equals("cpu") ? threads : 1);
        m.put("train_samples_per_s", median);
        m.put("train_samples_per_s_best", best);
        m.put("train_samples_per_s_epochs", sps);
        m.put("train_gflops", median * TRAIN_FLOPS / 1e9);
        m.put("score_samples_per_s", bestScore);
        m.put("score_gflops", bestScore * scoreFlops / 1e9);
        m.put("score_resident_samples_per_s", resident);
        if (launches >= 0) {
            // the whole run's launches over its steps: per-epoch validation and bookkeeping included
            m.put("launches_per_step", launches / (double) steps);
        }
        if (be instanceof CpuBackend && Double.isFinite(peak)) {
            m.put("train_fraction_of_peak", median * TRAIN_FLOPS / 1e9 / peak);
            m.put("score_fraction_of_peak", bestScore * scoreFlops / 1e9 / peak);
        }
        return m;
    }

    /**
     * Scoring with the scaled rows already in the backend's memory (a GPU's: no host transfer),
     * errors only, in chunks of 65,536 rows; best of 3 after a warm-up pass.
     */
    private double residentScoring(Backend be, AutoencoderSpec spec, float[] scaled, float[] params) {
        int chunk = Math.min(rows, 65_536);
        int d = spec.inputDim();
        Network net = new Network(be, spec, chunk);
        net.setParams(params);
        List<Buf> parts = new ArrayList<>();
        for (int off = 0; off < rows; off += chunk) {
            int n = Math.min(chunk, rows - off);
            Buf x = be.alloc((long) n * d);
            be.upload(x, 0, scaled, off * d, n * d);
            parts.add(x);
        }
        double best = 0;
        for (int rep = 0; rep < 4; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < parts.size(); i++) {
                net.errors(parts.get(i), Math.min(chunk, rows - i * chunk), null);
            }
            be.synchronize();
            double s = rows / ((System.nanoTime() - t0) / 1e9);
            best = rep == 0 ? 0 : Math.max(best, s);
        }
        return best;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private void print(Map<String, Object> m) {
        System.out.printf(Locale.ROOT,
                "%-4s batch %5d: train %,9.0f samples/s (best %,9.0f; %5.1f GFLOP/s%s)   score %,10.0f samples/s (%5.1f GFLOP/s%s; resident rows %,.0f/s)   [%s]%n",
                m.get("device"), (Integer) m.get("batch"), (Double) m.get("train_samples_per_s"),
                (Double) m.get("train_samples_per_s_best"), (Double) m.get("train_gflops"),
                m.containsKey("train_fraction_of_peak")
                        ? String.format(Locale.ROOT, ", %.0f%% of peak", 100 * (Double) m.get("train_fraction_of_peak")) : "",
                (Double) m.get("score_samples_per_s"), (Double) m.get("score_gflops"),
                m.containsKey("score_fraction_of_peak")
                        ? String.format(Locale.ROOT, ", %.0f%% of peak", 100 * (Double) m.get("score_fraction_of_peak")) : "",
                (Double) m.get("score_resident_samples_per_s"), m.get("backend"));
    }

    /** Writes a numeric CSV of the credit-card shape of about {@code mb} MB, then times reading it (best of 3). */
    static double csvThroughput(int mb) throws IOException {
        Path f = Files.createTempFile("recon-bench", ".csv");
        try {
            Dataset d = SyntheticData.creditCardShape(20_000, 40, 3);
            try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.US_ASCII)) {
                w.write(String.join(",", d.featureNames()) + ",Class\n");
                long target = (long) mb << 20;
                long written = 0;
                StringBuilder sb = new StringBuilder();
                for (int r = 0; written < target; r = (r + 1) % d.rows()) {
                    sb.setLength(0);
                    for (int j = 0; j < 30; j++) {
                        sb.append(d.get(r, j)).append(',');
                    }
                    sb.append(d.isAnomaly(r) ? '1' : '0').append('\n');
                    w.write(sb.toString());
                    written += sb.length();
                }
            }
            double bytes = Files.size(f);
            double best = 0;
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                CsvReader.read(f, CsvOptions.defaults());
                best = Math.max(best, bytes / 1e6 / ((System.nanoTime() - t0) / 1e9));
            }
            return best;
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
