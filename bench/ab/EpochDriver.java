import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Dataset;
import dev.recon.data.StandardScaler;
import dev.recon.data.SyntheticData;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Loss;
import dev.recon.train.TrainConfig;
import dev.recon.train.TrainListener;
import dev.recon.train.Trainer;
import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * One version of Recon under test: compiled against that version's jar and loaded with it in a
 * class loader of its own. Each call trains one epoch of `recon bench`'s data and returns its
 * samples/s.
 */
public class EpochDriver implements DoubleSupplier {
    private static final int ROWS = 227_000;
    private final Trainer trainer;
    private final float[] train;
    private final float[] val;

    public EpochDriver(int batch, int threads) {
        Dataset data = SyntheticData.creditCardShape(ROWS + 2048, ROWS / 500, 7);
        float[] all = StandardScaler.fit(data, data.allRows()).transform(data.values(), data.rows());
        train = Arrays.copyOf(all, ROWS * 30);
        val = Arrays.copyOfRange(all, ROWS * 30, (ROWS + 2048) * 30);
        AutoencoderSpec spec = AutoencoderSpec.defaults(30, null, null, Activation.RELU, Loss.MSE);
        trainer = new Trainer(new CpuBackend(threads), spec, new TrainConfig(1, batch, 1e-3f, 0, 1));
    }

    @Override
    public double getAsDouble() {
        long t0 = System.nanoTime();
        trainer.train(train, ROWS, val, 2048, trainer.initialState(), TrainListener.NONE);
        return ROWS / ((System.nanoTime() - t0) / 1e9);
    }
}
