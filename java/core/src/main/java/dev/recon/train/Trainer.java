package dev.recon.train;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.backend.IntBuf;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.ParameterLayout;
import dev.recon.Rng;
import dev.recon.net.Autoencoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Minibatch Adam on normal rows. The training rows are uploaded once; each epoch shuffles an
 * index permutation seeded by (seed, epoch) alone, so a resumed run draws the same batches as
 * an uninterrupted one. The last partial batch is kept, as PyTorch's DataLoader does.
 */
public final class Trainer {
    /** Rows per forward pass when computing the validation loss. */
    static final int EVAL_CHUNK = 2048;

    private final Backend be;
    private final AutoencoderSpec spec;
    private final TrainConfig cfg;

    public Trainer(Backend be, AutoencoderSpec spec, TrainConfig cfg) {
        this.be = be;
        this.spec = spec;
        this.cfg = cfg;
    }

    /** A fresh state: initial parameters from the seed, zero moments, nothing trained. */
    public TrainState initialState() {
        float[] p = cfg.init().params(spec, cfg.seed());
        int n = p.length;
        return new TrainState(0, 0, p, new float[n], new float[n], p.clone(), 0,
                Double.POSITIVE_INFINITY, 0, List.of());
    }

    /**
     * Trains from {@code start} until {@code cfg.epochs()} epochs are done in total or early
     * stopping ends it. {@code train} is (trainRows, d), {@code val} is (valRows, d), both
     * already scaled.
     */
    public TrainResult train(float[] train, int trainRows, float[] val, int valRows, TrainState start,
                             TrainListener listener) {
        int d = spec.inputDim();
        if (trainRows < 1 || valRows < 1) {
            throw new IllegalArgumentException("training needs at least one training and one validation row");
        }
        long t0 = System.nanoTime();
        int batch = Math.min(cfg.batch(), trainRows);
        int pass = Math.min(batch, Math.max(1, be.preferredPassRows()));
        int maxRows = Math.max(pass, Math.min(EVAL_CHUNK, valRows));
        Autoencoder net = Autoencoder.of(be, spec, maxRows);
        ParameterLayout layout = net.layout();
        int nParams = layout.size();

        Buf trainBuf = be.alloc((long) trainRows * d);
        be.upload(trainBuf, 0, train, 0, trainRows * d);
        Buf valBuf = be.alloc((long) valRows * d);
        be.upload(valBuf, 0, val, 0, valRows * d);
        Buf xb = be.alloc((long) maxRows * d);
        IntBuf permBuf = be.allocInt(trainRows);
        Buf m = be.alloc(nParams);
        Buf v = be.alloc(nParams);
        Buf best = be.alloc(nParams);
        Buf acc = be.alloc(1);
        int[] perm = new int[trainRows];
        float[] one = new float[1];

        net.setParams(start.params());
        be.upload(m, 0, start.adamM(), 0, nParams);
        be.upload(v, 0, start.adamV(), 0, nParams);
        be.upload(best, 0, start.bestParams(), 0, nParams);

        List<EpochStats> history = new ArrayList<>(start.history());
        long steps = start.steps();
        int bestEpoch = start.bestEpoch();
        double bestVal = start.bestValLoss();
        int stale = start.epochsWithoutGain();
        TrainState lastGood = start.epochsDone() > 0 ? start : null;
        int stepsPerEpoch = (trainRows + batch - 1) / batch;
        String stop = "completed " + cfg.epochs() + " epochs";
        int epoch = start.epochsDone();
        listener.onStart(epoch + 1, cfg.epochs(), stepsPerEpoch, trainRows);

        // One step over a minibatch of `rows` rows, its offset and Adam step number read from stepBuf
        // (moved on by the step itself), so that every full minibatch runs the same prepared
        // operations: a GPU replays them as one CUDA graph. The last, partial minibatch, kept as
        // the PyTorch DataLoader keeps it, runs the same operations directly.
        IntBuf stepBuf = be.allocInt(2);
        int[] stepHost = new int[2];
        net.useStepCounter(stepBuf, Rng.derive(cfg.seed(), 77).nextLong());
        IntConsumer step = rows -> {
            for (int p = 0; p < rows; p += pass) {
                int part = Math.min(pass, rows - p);
                be.gatherBatchRows(xb, trainBuf, permBuf, stepBuf, batch, p, part, d);
                net.forwardPart(xb, part, p);
                net.backward(xb, part, rows, p > 0);
                net.addLoss(acc, part);
            }
            be.adamStepFromCounter(net.params(), m, v, net.grads(), nParams, cfg.lr(), cfg.beta1(), cfg.beta2(),
                    cfg.eps(), stepBuf);
            be.advanceStep(stepBuf);
        };
        Runnable captured = spec.variational() ? null : be.capture(() -> step.accept(batch));
        double capturedWeight = Double.NaN;
        int fullSteps = trainRows / batch;

        while (epoch < cfg.epochs()) {
            epoch++;
            long e0 = System.nanoTime();
            if (spec.variational() && spec.vae().klWeight(epoch) != capturedWeight) {
                // the KL weight is an argument of the step's operations: prepared again when it changes
                capturedWeight = spec.vae().klWeight(epoch);
                net.setKlWeight(capturedWeight);
                captured = be.capture(() -> step.accept(batch));
            }
            Runnable fullStep = captured;
            for (int i = 0; i < trainRows; i++) {
                perm[i] = i;
            }
            Rng.derive(cfg.seed(), 1000L + epoch).shuffle(perm);
            be.uploadInt(permBuf, perm, trainRows);
            one[0] = 0f;
            be.upload(acc, 0, one, 0, 1);
            stepHost[0] = Math.toIntExact(steps);
            stepHost[1] = 0;
            be.uploadInt(stepBuf, stepHost, 2);
            for (int s = 0; s < stepsPerEpoch; s++) {
                if (s < fullSteps) {
                    fullStep.run();
                } else {
                    step.accept(trainRows - s * batch);
                }
                steps++;
                listener.onStep(epoch, s + 1);
            }
            be.download(one, 0, acc, 0, 1);
            double trainLoss = one[0] / (double) trainRows;
            double valLoss = meanError(net, valBuf, valRows, xb, acc, one);
            double sec = (System.nanoTime() - e0) / 1e9;
            EpochStats stats = new EpochStats(epoch, trainLoss, valLoss, sec, trainRows / sec);
            if (!Double.isFinite(trainLoss) || !Double.isFinite(valLoss)) {
                throw new DivergenceException(String.format(
                        "training diverged in epoch %d (train loss %s, validation loss %s); lower --lr", epoch,
                        trainLoss, valLoss), lastGood);
            }
            history.add(stats);
            boolean improved = valLoss < bestVal;
            if (improved) {
                bestVal = valLoss;
                bestEpoch = epoch;
                stale = 0;
                be.copy(best, 0, net.params(), 0, nParams);
            } else {
                stale++;
            }
            listener.onEpoch(stats, improved);
            lastGood = snapshot(net, m, v, best, epoch, steps, bestEpoch, bestVal, stale, history);
            if (cfg.patience() > 0 && stale >= cfg.patience() && epoch < cfg.epochs()) {
                stop = "early stop after epoch " + epoch + ": no validation gain for " + stale + " epochs";
                break;
            }
        }
        if (lastGood == null) {
            lastGood = start;
        }
        return new TrainResult(lastGood, stop, (System.nanoTime() - t0) / 1e9);
    }

    private TrainState snapshot(Autoencoder net, Buf m, Buf v, Buf best, int epoch, long steps, int bestEpoch,
                                double bestVal, int stale, List<EpochStats> history) {
        int n = net.layout().size();
        float[] ms = new float[n];
        float[] vs = new float[n];
        float[] bp = new float[n];
        be.download(ms, 0, m, 0, n);
        be.download(vs, 0, v, 0, n);
        be.download(bp, 0, best, 0, n);
        return new TrainState(epoch, steps, net.downloadParams(), ms, vs, bp, bestEpoch, bestVal, stale, history);
    }

    /**
     * The validation loss of {@code params} over {@code rows} scaled rows {@code x}: what training
     * reports after an epoch, for parameters trained elsewhere (data-parallel training averages them).
     */
    public double meanLoss(float[] params, float[] x, int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("the loss needs at least one row");
        }
        int d = spec.inputDim();
        Autoencoder net = Autoencoder.of(be, spec, Math.min(EVAL_CHUNK, rows));
        net.setParams(params);
        Buf data = be.alloc((long) rows * d);
        be.upload(data, 0, x, 0, rows * d);
        return meanError(net, data, rows, be.alloc((long) net.maxRows() * d), be.alloc(1), new float[1]);
    }

    /** Mean per-row error over (rows, d) data resident in {@code data}, in chunks. */
    private double meanError(Autoencoder net, Buf data, int rows, Buf xb, Buf acc, float[] one) {
        int d = spec.inputDim();
        one[0] = 0f;
        be.upload(acc, 0, one, 0, 1);
        for (int off = 0; off < rows; off += net.maxRows()) {
            int n = Math.min(net.maxRows(), rows - off);
            be.copy(xb, 0, data, (long) off * d, (long) n * d);
            net.validationLoss(xb, n);
            net.addLoss(acc, n);
        }
        be.download(one, 0, acc, 0, 1);
        return one[0] / (double) rows;
    }
}
