package dev.recon.cli;

import dev.recon.backend.Backends;
import dev.recon.data.ImageShape;
import dev.recon.io.AtomicFiles;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import dev.recon.report.ImageGrid;
import dev.recon.score.VaeSamples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recon sample}: new records from a variational autoencoder, as an image grid or CSV. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw new records from a variational autoencoder (--kind vae): latent codes from its prior, "
                + "decoded. A model trained on images writes a PNG grid; any model writes CSV (raw units) to a .csv path."})
final class SampleCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "BUNDLE", required = true, description = "The VAE's bundle or run folder.")
    Path model;

    @Option(names = "--n", paramLabel = "N", defaultValue = "64", description = "Records to draw (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "grid.png (image models) or samples.csv.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scale", paramLabel = "PX", defaultValue = "3",
            description = "PNG: screen pixels per image pixel (default: ${DEFAULT-VALUE}).")
    int scale;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        if (n < 1 || n > 100_000) {
            throw new IllegalArgumentException("--n must be 1 to 100,000, got " + n);
        }
        if (scale < 1 || scale > 32) {
            throw new IllegalArgumentException("--scale must be 1 to 32, got " + scale);
        }
        boolean png = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
        Bundle b = BundleFormat.read(model);
        ImageShape shape = b.data().image();
        if (png && shape == null) {
            throw new IllegalArgumentException("--out " + out + ": a PNG grid needs a model trained on images; this one was "
                    + "trained on " + b.data().source() + " (write samples.csv instead)");
        }
        float[] x;
        try (var be = Backends.cpu(Backends.defaultThreads())) {
            x = VaeSamples.draw(b, n, seed, be);
        }
        int d = b.spec().inputDim();
        if (png) {
            long side = (long) Math.ceil(Math.sqrt(n)) * ((long) Math.max(shape.height(), shape.width()) * scale + 1);
            if (side * side > 1L << 28) {
                throw new IllegalArgumentException("--n " + n + " at --scale " + scale + " makes a PNG of about " + side
                        + " x " + side + " pixels; draw fewer, a smaller --scale, or write samples.csv");
            }
            List<float[]> tiles = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tiles.add(java.util.Arrays.copyOfRange(x, i * d, (i + 1) * d));
            }
            int cols = (int) Math.ceil(Math.sqrt(n));
            AtomicFiles.write(out, ImageGrid.png(ImageGrid.grid(tiles, shape, cols, scale, false, 1f)));
        } else {
            StringBuilder sb = new StringBuilder(String.join(",", b.featureNames())).append('\n');
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    sb.append(j == 0 ? "" : ",").append(x[i * d + j]);
                }
                sb.append('\n');
            }
            AtomicFiles.write(out, sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (!common.quiet) {
            System.out.println("wrote " + out + " (" + n + " samples, seed " + seed + ")");
        }
        return ExitCodes.OK;
    }
}
