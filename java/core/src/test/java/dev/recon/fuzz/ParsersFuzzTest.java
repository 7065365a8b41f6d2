package dev.recon.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.recon.ReconException;
import dev.recon.data.CsvOptions;
import dev.recon.data.CsvReader;
import dev.recon.data.Dataset;
import dev.recon.io.BundleFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of what reads untrusted bytes: the CSV reader with its label
 * inference, and the bundle loader. The only allowed outcomes for any input are a result or
 * Recon's one-line bad-input error; any other exception, a hang or running out of memory is a
 * finding. In a plain build the stored inputs run as regression tests (src/test/resources/
 * dev/recon/fuzz/ParsersFuzzTestInputs/...); JAZZER_FUZZ=1 fuzzes (bench/fuzz.sh).
 */
class ParsersFuzzTest {
    private static Path scratch;

    private static synchronized Path file(String suffix) throws IOException {
        if (scratch == null) {
            scratch = Files.createTempDirectory("recon-fuzz");
            scratch.toFile().deleteOnExit();
        }
        return scratch.resolve("input" + suffix);
    }

    /** A bad-input error must be one line naming where; anything else is a finding. */
    private static void expectOneLine(ReconException e) {
        if (!e.badInput() || e.getMessage() == null || e.getMessage().contains("\n")) {
            throw new AssertionError("not a one-line bad-input error: " + e.getMessage(), e);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void csvReaderAndLabelInference(FuzzedDataProvider in) throws IOException {
        // options first (a label column, a normal value, no label at all), then the file's bytes
        int mode = in.consumeInt(0, 3);
        String label = mode == 1 ? in.consumeString(8) : null;
        String normal = mode == 2 ? in.consumeString(4) : null;
        CsvOptions opt = mode == 3 ? CsvOptions.featuresOnly(List.of())
                : new CsvOptions(label, normal, null, List.of(), false);
        Path f = file(".csv");
        Files.write(f, in.consumeRemainingAsBytes());
        try {
            Dataset d = CsvReader.read(f, opt);
            if (d.rows() < 1 || d.features() < 1) {
                throw new AssertionError("a dataset with no rows or no features: " + d.rows() + " x " + d.features());
            }
            for (float v : d.values()) {
                if (!Float.isFinite(v)) {
                    throw new AssertionError("a non-finite value was read");
                }
            }
        } catch (ReconException e) {
            expectOneLine(e);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void bundleLoader(byte[] bytes) {
        try {
            BundleFormat.decode("fuzz.recon", bytes);
        } catch (ReconException e) {
            expectOneLine(e);
        }
    }

    /**
     * The bundle loader past its checksum: the input is a bundle's body (header length, header,
     * arrays), sealed here with the magic bytes, the version and a matching SHA-256, so that the
     * fuzzer reaches the field and value checks (random bytes never match a checksum).
     */
    @FuzzTest(maxDuration = "15s")
    void sealedBundleLoader(byte[] body) throws Exception {
        byte[] head = "RECONMDL\u0001\u0000\u0000\u0000".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length + 32];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        md.update(all, 0, head.length + body.length);
        System.arraycopy(md.digest(), 0, all, head.length + body.length, 32);
        try {
            BundleFormat.decode("fuzz.recon", all);
        } catch (ReconException e) {
            expectOneLine(e);
        }
    }
}
