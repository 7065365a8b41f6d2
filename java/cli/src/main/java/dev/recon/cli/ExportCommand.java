package dev.recon.cli;

import dev.recon.export.OnnxExporter;
import dev.recon.io.AtomicFiles;
import dev.recon.io.Bundle;
import dev.recon.io.BundleFormat;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recon export}: a model in a format other runtimes load. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a model as an ONNX graph that scores raw rows as recon score does: input 'features' "
                + "(float, rows x features, the model's feature columns in order); outputs 'reconstruction' (raw "
                + "units), 'score', 'anomaly' (true unless score < the model's threshold) and "
                + "'reconstruction_error'. IR version 8, opset 13."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "BUNDLE", required = true, description = "Model bundle, or a run folder holding model.recon.")
    Path model;

    @Option(names = "--format", paramLabel = "onnx", defaultValue = "onnx", description = "Output format (default and only one: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Output file, e.g. model.onnx.")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        if (!format.equalsIgnoreCase("onnx")) {
            throw new IllegalArgumentException("--format: expected onnx, got '" + format + "'");
        }
        Bundle b = BundleFormat.read(model);
        byte[] bytes = OnnxExporter.export(b);
        AtomicFiles.write(out, bytes);
        if (!common.quiet) {
            System.err.printf(Locale.ROOT, "recon export: %s detector, %d features, %,d bytes (ONNX IR %d, opset %d); wrote %s%n",
                    b.detector().id(), b.spec().inputDim(), bytes.length, OnnxExporter.IR_VERSION, OnnxExporter.OPSET, out);
        }
        return ExitCodes.OK;
    }
}
