package dev.recon.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.Fixtures;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Dataset;
import dev.recon.data.Split;
import dev.recon.data.StandardScaler;
import dev.recon.data.SyntheticData;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Loss;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Rung 4: a fixed-seed training run is bit-exact on the CPU, run to run and against a stored trajectory. */
public class TrainerDeterminismTest {
    static final AutoencoderSpec SPEC = new AutoencoderSpec(8, new int[] {16, 8}, 4, Activation.RELU, Loss.MSE);
    static final TrainConfig CFG = new TrainConfig(6, 64, 3e-3f, 0, 9);

    /** Scaled fit and validation rows of a small synthetic set. */
    static float[][] data() {
        Dataset d = SyntheticData.generate(8, 3000, 60, 4);
        Split s = Split.of(d, 9);
        StandardScaler sc = StandardScaler.fit(d, s.trainNormals());
        return new float[][] {sc.transform(d.gather(s.fit()), s.fit().length), sc.transform(d.gather(s.val()), s.val().length)};
    }

    static TrainResult train(int threads, TrainConfig cfg) {
        return train(new CpuBackend(threads), cfg);
    }

    /** Trains the small fixed problem on {@code backend}, which it closes. */
    public static TrainResult train(dev.recon.backend.Backend backend, TrainConfig cfg) {
        float[][] x = data();
        try (dev.recon.backend.Backend be = backend) {
            Trainer t = new Trainer(be, SPEC, cfg);
            return t.train(x[0], x[0].length / 8, x[1], x[1].length / 8, t.initialState(), TrainListener.NONE);
        }
    }

    static String trajectory(TrainResult r) {
        StringBuilder sb = new StringBuilder();
        for (EpochStats e : r.state().history()) {
            sb.append(e.epoch()).append(' ').append(Double.toHexString(e.trainLoss())).append(' ')
                    .append(Double.toHexString(e.valLoss())).append('\n');
        }
        return sb.toString();
    }

    @Test
    void sameSeedSameModelBitForBitForAnyThreadCount() {
        TrainResult a = train(2, CFG);
        TrainResult b = train(2, CFG);
        TrainResult c = train(1, CFG);
        assertArrayEquals(a.state().params(), b.state().params());
        assertArrayEquals(a.state().bestParams(), b.state().bestParams());
        assertArrayEquals(a.state().params(), c.state().params(), "the CPU backend sums in a fixed order per element");
        assertEquals(trajectory(a), trajectory(c));
    }

    @Test
    void matchesTheStoredTrajectory() throws IOException {
        String got = trajectory(train(2, CFG));
        String resource = "/fixtures/trajectory_cpu_v1.txt";
        if (Fixtures.regenerate()) {
            Fixtures.write(resource, got.getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(new String(Fixtures.read(resource), StandardCharsets.US_ASCII), got);
    }

    @Test
    void lossFallsAndEarlyStoppingKeepsTheBestEpoch() {
        TrainResult r = train(2, new TrainConfig(40, 64, 3e-3f, 2, 9));
        var h = r.state().history();
        assertTrue(h.get(h.size() - 1).trainLoss() < h.get(0).trainLoss() / 2, "training must learn");
        int best = r.state().bestEpoch();
        double bestVal = h.stream().mapToDouble(EpochStats::valLoss).min().orElseThrow();
        assertEquals(bestVal, h.get(best - 1).valLoss());
        if (h.size() < 40) {
            assertTrue(r.stopReason().startsWith("early stop"), r.stopReason());
            assertEquals(2, r.state().epochsWithoutGain());
        }
    }

    @Test
    void divergenceIsReportedWithTheLastGoodState() {
        DivergenceException e = assertThrows(DivergenceException.class, () -> train(2, new TrainConfig(5, 64, 1e30f, 0, 9)));
        assertTrue(e.getMessage().startsWith("training diverged in epoch"), e.getMessage());
    }
}
