import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Dataset;
import dev.recon.data.StandardScaler;
import dev.recon.data.SyntheticData;
import dev.recon.eval.ThresholdPolicy;
import dev.recon.io.Bundle;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Loss;
import dev.recon.score.Detector;
import dev.recon.train.TrainConfig;
import dev.recon.train.Trainer;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * One version of Recon under test, as {@link EpochDriver}, for scoring: each call scores
 * `recon bench`'s rows through the public Detector API (scaler included), as `recon bench`
 * times it, and returns samples/s. The batch argument is unused.
 */
public class ScoreDriver implements DoubleSupplier {
    private static final int ROWS = 227_000;
    private final Detector detector;
    private final float[] raw;

    public ScoreDriver(int batch, int threads) {
        Dataset data = SyntheticData.creditCardShape(ROWS, ROWS / 500, 7);
        AutoencoderSpec spec = AutoencoderSpec.defaults(30, null, null, Activation.RELU, Loss.MSE);
        TrainConfig cfg = new TrainConfig(1, 256, 1e-3f, 0, 1);
        // one backend: the trainer only draws the initial weights, the detector scores on it
        CpuBackend be = new CpuBackend(threads);
        Trainer trainer = new Trainer(be, spec, cfg);
        Bundle b = new Bundle("ab", spec, data.featureNames(), null, StandardScaler.fit(data, data.allRows()),
                Double.MAX_VALUE, ThresholdPolicy.DEFAULT, cfg, new Bundle.DataInfo("ab", ROWS, 0, "", true, ROWS, 0, 0),
                trainer.initialState(), "", Map.of());
        detector = Detector.of(b, be);
        raw = data.values();
    }

    @Override
    public double getAsDouble() {
        long t0 = System.nanoTime();
        detector.errors(raw, ROWS);
        return ROWS / ((System.nanoTime() - t0) / 1e9);
    }
}
