package dev.recon.cli;

import dev.recon.train.EpochStats;
import dev.recon.train.TrainListener;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr: epoch, train and validation loss, samples/s and the ETA. Only on
 * a terminal; with {@code --quiet}, or when stderr goes to a file or a pipe, it prints nothing.
 */
final class ProgressListener implements TrainListener, AutoCloseable {
    private final PrintStream err;
    private ProgressBar bar;
    private int stepsPerEpoch;
    private int firstEpoch;
    private String last = "";

    private ProgressListener(PrintStream err) {
        this.err = err;
    }

    static TrainListener create(PrintStream err, boolean quiet) {
        return quiet || !Terminal.stderrIsTerminal() ? TrainListener.NONE : new ProgressListener(err);
    }

    @Override
    public void onStart(int firstEpoch, int lastEpoch, int stepsPerEpoch, int trainRows) {
        this.stepsPerEpoch = stepsPerEpoch;
        this.firstEpoch = firstEpoch;
        bar = new ProgressBarBuilder().setTaskName("training").setInitialMax((long) (lastEpoch - firstEpoch + 1) * stepsPerEpoch)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setUnit(" steps", 1)
                .setConsumer(new ConsoleProgressBarConsumer(err)).showSpeed().build();
        bar.setExtraMessage("  epoch " + firstEpoch + " of " + lastEpoch);
    }

    @Override
    public void onStep(int epoch, int step) {
        bar.stepTo((long) (epoch - firstEpoch) * stepsPerEpoch + step);
    }

    @Override
    public void onEpoch(EpochStats s, boolean best) {
        last = String.format("epoch %d: loss %.4f, val %.4f%s, %,.0f samples/s", s.epoch(), s.trainLoss(), s.valLoss(),
                best ? "*" : "", s.samplesPerSecond());
        bar.setExtraMessage("  " + last);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    /** Closes the bar if the listener is one. */
    static void finish(TrainListener l) {
        if (l instanceof ProgressListener p) {
            p.close();
        }
    }
}
