package dev.recon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.ReconException;
import dev.recon.backend.Backend;
import dev.recon.data.CsvOptions;
import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.pipeline.TrainJob;
import dev.recon.pipeline.TrainOptions;
import dev.recon.train.TrainListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code recon bench --suite DIR}: the default {@code recon train} on every labelled CSV in a
 * folder, under the reference's split (the one {@code train} always uses), with ROC-AUC and
 * average precision on the test split beside the peers' scores from the folder's
 * {@code peers.json} (see {@code ../shared/data/adbench/README.md} for its form).
 */
final class TabularSuite {
    /** A peer is matched when Recon is at least this close to the best peer's ROC-AUC. */
    static final double WITHIN = 0.01;
    static final String[] PEERS = {"ae", "knn", "lof", "if"};

    private final Path folder;
    private final List<String> only;
    private final long[] seeds;
    private final TrainOptions options;
    private final Supplier<Backend> backends;
    private final PrintStream out;

    TabularSuite(Path folder, List<String> only, long[] seeds, TrainOptions options, Supplier<Backend> backends,
                 PrintStream out) {
        this.folder = folder;
        this.only = only;
        this.seeds = seeds;
        this.options = options;
        this.backends = backends;
        this.out = out;
    }

    static String setName(Path p) {
        return p.getFileName().toString().replaceFirst("\\.csv(\\.gz)?$", "");
    }

    Map<String, Object> run() throws IOException {
        if (!Files.isDirectory(folder)) {
            throw ReconException.input(folder + ": no such folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().matches(".*\\.csv(\\.gz)?"))
                    .filter(p -> only == null || only.isEmpty() || only.contains(setName(p))).sorted().toList();
        }
        if (files.isEmpty()) {
            throw ReconException.input(folder + ": no .csv or .csv.gz files" + (only == null || only.isEmpty() ? ""
                    : " named " + only));
        }
        Path peersFile = folder.resolve("peers.json");
        JsonNode peers = Files.exists(peersFile) ? new ObjectMapper().readTree(peersFile.toFile()) : null;
        out.printf(Locale.ROOT, "%-14s %8s %4s  %-13s %-13s %-13s %-13s %-13s %s%n", "set", "rows", "d",
                "recon roc/ap", "ae", "knn", "lof", "if", "best peer");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path f : files) {
            long t0 = System.nanoTime();
            Dataset data = CsvReader.read(f, CsvOptions.defaults());
            if (!data.hasLabels() || data.anomalies() == 0) {
                throw ReconException.input(f + ": the suite needs a label column with anomalies");
            }
            double roc = 0;
            double ap = 0;
            for (long seed : seeds) {
                TrainOptions o = options.withSeed(seed);
                try (Backend be = backends.get()) {
                    TrainJob.Outcome r = TrainJob.run(data, o, be, TrainListener.NONE);
                    roc += r.test().rocAuc() / seeds.length;
                    ap += r.test().prAuc() / seeds.length;
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            String name = setName(f);
            row.put("set", name);
            row.put("rows", data.rows());
            row.put("features", data.features());
            row.put("anomalies", data.anomalies());
            row.put("roc", roc);
            row.put("ap", ap);
            row.put("seconds", (System.nanoTime() - t0) / 1e9 / seeds.length);
            JsonNode p = peers == null ? null : peers.get(name);
            StringBuilder cells = new StringBuilder();
            if (p != null) {
                Map<String, Object> peerRow = new LinkedHashMap<>();
                String best = null;
                double bestRoc = -1;
                for (String peer : PEERS) {
                    double pr = mean(p.get(peer + "_roc"));
                    double pa = mean(p.get(peer + "_ap"));
                    peerRow.put(peer, Map.of("roc", pr, "ap", pa));
                    cells.append(String.format(Locale.ROOT, "%.3f/%.3f   ", pr, pa));
                    if (pr > bestRoc) {
                        bestRoc = pr;
                        best = peer;
                    }
                }
                row.put("peers", peerRow);
                row.put("best_peer", best);
                row.put("best", roc >= bestRoc);
                row.put("matched", roc >= bestRoc - WITHIN);
                cells.append(String.format(Locale.ROOT, "%s %.3f%s", best, bestRoc,
                        roc >= bestRoc ? "  recon best" : roc >= bestRoc - WITHIN ? "  within 0.01" : ""));
            }
            out.printf(Locale.ROOT, "%-14s %8d %4d  %.3f/%.3f   %s%n", name, data.rows(), data.features(), roc, ap, cells);
            rows.add(row);
        }
        Map<String, Object> summary = summary(rows);
        out.printf(Locale.ROOT, "%-14s %8s %4s  %.3f/%.3f   ", "mean", "", "", (Double) summary.get("roc"),
                (Double) summary.get("ap"));
        if (summary.containsKey("peers")) {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Double>> pm = (Map<String, Map<String, Double>>) summary.get("peers");
            for (String peer : PEERS) {
                out.printf(Locale.ROOT, "%.3f/%.3f   ", pm.get(peer).get("roc"), pm.get(peer).get("ap"));
            }
            out.printf(Locale.ROOT, "%nrecon best on %d of %d sets, best or within %.2f of the best peer (ROC-AUC) on %d%n",
                    summary.get("best"), rows.size(), WITHIN, summary.get("matched"));
        } else {
            out.println();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("folder", folder.toString());
        result.put("seeds", seeds);
        result.put("summary", summary);
        result.put("sets", rows);
        return result;
    }

    private static Map<String, Object> summary(List<Map<String, Object>> rows) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("sets", rows.size());
        s.put("roc", rows.stream().mapToDouble(r -> (Double) r.get("roc")).average().orElse(Double.NaN));
        s.put("ap", rows.stream().mapToDouble(r -> (Double) r.get("ap")).average().orElse(Double.NaN));
        if (rows.stream().allMatch(r -> r.containsKey("peers"))) {
            Map<String, Object> pm = new LinkedHashMap<>();
            for (String peer : PEERS) {
                pm.put(peer, Map.of("roc", rows.stream().mapToDouble(r -> peer(r, peer, "roc")).average().orElse(Double.NaN),
                        "ap", rows.stream().mapToDouble(r -> peer(r, peer, "ap")).average().orElse(Double.NaN)));
            }
            s.put("peers", pm);
            s.put("best", rows.stream().filter(r -> (Boolean) r.get("best")).count());
            s.put("matched", rows.stream().filter(r -> (Boolean) r.get("matched")).count());
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static double peer(Map<String, Object> row, String peer, String metric) {
        return ((Map<String, Map<String, Double>>) row.get("peers")).get(peer).get(metric);
    }

    private static double mean(JsonNode n) {
        if (n == null) {
            return Double.NaN;
        }
        if (!n.isArray()) {
            return n.asDouble();
        }
        double s = 0;
        for (JsonNode v : n) {
            s += v.asDouble();
        }
        return s / n.size();
    }
}
