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
        // fitted to the terminal's width (the launcher passes it: stderr reaches the terminal through a pipe)
        int columns = Integer.getInteger("recon.term.columns", 0);
        // steps in thousands and no separate speed (samples/s is in the message): an 80-column
        // terminal then shows the bar, the ETA, the epoch, both losses and samples/s
        long steps = (long) (lastEpoch - firstEpoch + 1) * stepsPerEpoch;
        bar = new ProgressBarBuilder().setTaskName("").setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                .setUnit(steps >= 10_000 ? "k" : "", steps >= 10_000 ? 1000 : 1)
                .setConsumer(columns > 0 ? new ConsoleProgressBarConsumer(err, columns - 1)
                        : new ConsoleProgressBarConsumer(err)).build();
        bar.setExtraMessage(" ep " + firstEpoch + " of " + lastEpoch);
    }

    @Override
    public void onStep(int epoch, int step) {
        bar.stepTo((long) (epoch - firstEpoch) * stepsPerEpoch + step);
    }

    @Override
    public void onEpoch(EpochStats s, boolean best) {
        last = String.format("ep %d loss %.3g val %.3g%s %.0fk/s", s.epoch(), s.trainLoss(), s.valLoss(),
                best ? "*" : "", s.samplesPerSecond() / 1000);
        bar.setExtraMessage(" " + last);
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
