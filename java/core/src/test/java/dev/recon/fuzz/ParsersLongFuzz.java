package dev.recon.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The targets of {@link ParsersFuzzTest} for long runs (bench/fuzz.sh: JAZZER_FUZZ=1, 10 minutes
 * each). Not a *Test class, so a plain build does not run it; the findings of a long run are
 * copied into ParsersFuzzTest's inputs by bench/fuzz.sh, where every build replays them.
 */
class ParsersLongFuzz {
    private final ParsersFuzzTest targets = new ParsersFuzzTest();

    @FuzzTest(maxDuration = "10m")
    void csvReaderAndLabelInference(FuzzedDataProvider in) throws Exception {
        targets.csvReaderAndLabelInference(in);
    }

    @FuzzTest(maxDuration = "10m")
    void bundleLoader(byte[] bytes) {
        targets.bundleLoader(bytes);
    }

    @FuzzTest(maxDuration = "10m")
    void sealedBundleLoader(byte[] body) throws Exception {
        targets.sealedBundleLoader(body);
    }
}
