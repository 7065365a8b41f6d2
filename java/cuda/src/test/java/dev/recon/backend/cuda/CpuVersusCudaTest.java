package dev.recon.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.backend.IntBuf;
import dev.recon.backend.cpu.CpuBackend;
import dev.recon.data.Dataset;
import dev.recon.data.Split;
import dev.recon.data.StandardScaler;
import dev.recon.data.SyntheticData;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Initializer;
import dev.recon.model.Loss;
import dev.recon.net.Network;
import dev.recon.train.EpochStats;
import dev.recon.train.TrainConfig;
import dev.recon.train.TrainListener;
import dev.recon.train.TrainResult;
import dev.recon.train.Trainer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend (emulated) against the CPU backend on whole training runs. The two differ
 * only in float32 summation order (cuBLAS-style column loops and tree reductions against
 * row loops), about 1e-7 relative per operation; over a few hundred Adam steps on a
 * well-conditioned problem that stays below 1e-3 relative in the loss, the tolerance used here.
 */
class CpuVersusCudaTest {
    static final AutoencoderSpec SPEC = new AutoencoderSpec(12, new int[] {24, 12}, 6, Activation.RELU, Loss.MSE);

    @Test
    void twentyStepLossTrajectoryAgrees() {
        float[] x = SyntheticData.generate(12, 64, 0, 3).values();
        double[] cpu = trajectory(new CpuBackend(2), x);
        double[] gpu = trajectory(Emulation.backend(), x);
        for (int t = 0; t < 20; t++) {
            assertEquals(cpu[t], gpu[t], 1e-4 * cpu[t], "loss at step " + (t + 1));
        }
        assertTrue(cpu[19] < cpu[0]);
    }

    /** Per-step mean loss of 20 Adam steps on one fixed batch. */
    static double[] trajectory(Backend be, float[] x) {
        try (be) {
            int rows = x.length / 12;
            Network net = new Network(be, SPEC, rows);
            net.setParams(Initializer.he(SPEC, 8));
            int n = net.layout().size();
            Buf m = be.alloc(n);
            Buf v = be.alloc(n);
            Buf xb = be.alloc(x.length);
            be.upload(xb, 0, x, 0, x.length);
            float[] err = new float[rows];
            double[] losses = new double[20];
            for (int t = 1; t <= 20; t++) {
                net.forward(xb, rows);
                net.backward(xb, rows);
                be.download(err, 0, net.rowErrors(), 0, rows);
                double s = 0;
                for (float e : err) {
                    s += e;
                }
                losses[t - 1] = s / rows;
                be.adamStep(net.params(), m, v, net.grads(), n, (float) (3e-3 / (1 - Math.pow(0.9, t))), 0.9f, 0.999f,
                        1e-8f, (float) Math.sqrt(1 - Math.pow(0.999, t)));
            }
            return losses;
        }
    }

    /** Scaled training and validation rows of a synthetic 12-feature set, split with the reference protocol. */
    private record Rows(float[] fit, int fitRows, float[] val, int valRows) {
        static Rows of(int rows, int anomalies, long seed, long splitSeed) {
            Dataset d = SyntheticData.generate(12, rows, anomalies, seed);
            Split s = Split.of(d, splitSeed);
            StandardScaler sc = StandardScaler.fit(d, s.trainNormals());
            return new Rows(sc.transform(d.gather(s.fit()), s.fit().length), s.fit().length,
                    sc.transform(d.gather(s.val()), s.val().length), s.val().length);
        }

        TrainResult train(Backend be, TrainConfig cfg) {
            return train(be, SPEC, cfg);
        }

        TrainResult train(Backend be, AutoencoderSpec spec, TrainConfig cfg) {
            Trainer t = new Trainer(be, spec, cfg);
            return t.train(fit, fitRows, val, valRows, t.initialState(), TrainListener.NONE);
        }
    }

    /**
     * A VAE trained by the Trainer on both backends: the same counter-based noise, the step
     * captured as a CUDA graph and captured again while the KL weight warms up.
     */
    @Test
    void vaeTrainerRunsAgreeEpochByEpoch() {
        Rows rows = Rows.of(1200, 30, 5, 1);
        AutoencoderSpec vae = SPEC.withVae(new dev.recon.model.Vae(1.0, 2, dev.recon.model.Vae.Score.RECON, 4));
        TrainConfig cfg = new TrainConfig(3, 128, 1e-3f, 0, 4);
        List<EpochStats> cpu;
        List<EpochStats> gpu;
        try (CpuBackend be = new CpuBackend(2)) {
            cpu = rows.train(be, vae, cfg).state().history();
        }
        try (CudaBackend be = Emulation.backend()) {
            gpu = rows.train(be, vae, cfg).state().history();
        }
        for (int e = 0; e < 3; e++) {
            assertEquals(cpu.get(e).trainLoss(), gpu.get(e).trainLoss(), 1e-3 * cpu.get(e).trainLoss(), "VAE train loss, epoch " + (e + 1));
            assertEquals(cpu.get(e).valLoss(), gpu.get(e).valLoss(), 1e-3 * cpu.get(e).valLoss(), "VAE val loss, epoch " + (e + 1));
        }
    }

    @Test
    void trainerRunsAgreeEpochByEpoch() {
        Rows rows = Rows.of(1200, 30, 5, 1);
        TrainConfig cfg = new TrainConfig(3, 128, 1e-3f, 0, 4);
        List<EpochStats> cpu;
        List<EpochStats> gpu;
        try (CpuBackend be = new CpuBackend(2)) {
            cpu = rows.train(be, cfg).state().history();
        }
        try (CudaBackend be = Emulation.backend()) {
            gpu = rows.train(be, cfg).state().history();
        }
        for (int e = 0; e < 3; e++) {
            assertEquals(cpu.get(e).trainLoss(), gpu.get(e).trainLoss(), 1e-3 * cpu.get(e).trainLoss(), "train loss, epoch " + (e + 1));
            assertEquals(cpu.get(e).valLoss(), gpu.get(e).valLoss(), 1e-3 * cpu.get(e).valLoss(), "val loss, epoch " + (e + 1));
        }
    }

    @Test
    void launchesPerTrainingStep() {
        // the default architecture: 6 layers
        AutoencoderSpec spec = AutoencoderSpec.defaults(30, null, null, Activation.RELU, Loss.MSE);
        try (CudaBackend be = Emulation.backend()) {
            Network net = new Network(be, spec, 8);
            Buf xb = be.alloc(8 * 30);
            Buf acc = be.alloc(1);
            // two steps' worth of indices: the replay below is the second step (offset 8)
            IntBuf idx = be.allocInt(16);
            IntBuf step = be.allocInt(2);
            int n = net.layout().size();
            Buf m = be.alloc(n);
            Buf v = be.alloc(n);
            Runnable body = () -> {
                be.gatherBatchRows(xb, xb, idx, step, 8, 0, 8, 30);
                net.forward(xb, 8);
                net.backward(xb, 8);
                be.accumulateSum(acc, 0, net.rowErrors(), 8);
                be.adamStepFromCounter(net.params(), m, v, net.grads(), n, 1e-3f, 0.9f, 0.999f, 1e-8f, step);
                be.advanceStep(step);
            };
            long before = be.launches();
            body.run();
            // gather 1 + networkForward 1 (all layers) + networkBackward 1 (loss and every dZ) +
            // networkWeightGradients 2 (every dW and db in runs of rows, then their sum) + loss sum 1
            // + Adam 1 + advanceStep 1, outside a graph; it was 37 layer by layer
            assertEquals(8, be.launches() - before);
            Runnable replay = be.capture(body);
            assertEquals(8, be.launches() - before, "capturing launches nothing");
            replay.run();
            assertEquals(9, be.launches() - before, "a captured step is one graph launch");
        }
    }

    /**
     * The Trainer's full minibatches run as one captured step (a CUDA graph), which reads its
     * minibatch offset and Adam step from device memory: replaying it must give exactly the model
     * that the same launches give one by one (same kernels, same order: the same bits).
     */
    @Test
    void aGraphReplayedStepTrainsTheSameModelAsPlainLaunches() {
        Rows rows = Rows.of(700, 20, 9, 2);
        TrainConfig cfg = new TrainConfig(2, 96, 1e-3f, 0, 4);
        float[][] models = new float[2][];
        long[] launches = new long[2];
        for (int graphs = 0; graphs < 2; graphs++) {
            System.setProperty("recon.cuda.graphs", graphs == 1 ? "true" : "false");
            try (CudaBackend be = Emulation.backend()) {
                long before = be.launches();
                TrainResult r = rows.train(be, cfg);
                launches[graphs] = be.launches() - before;
                models[graphs] = r.state().params();
            } finally {
                System.clearProperty("recon.cuda.graphs");
            }
        }
        assertTrue(rows.fitRows() % 96 != 0, "the test wants a partial last minibatch too");
        org.junit.jupiter.api.Assertions.assertArrayEquals(models[0], models[1]);
        int full = rows.fitRows() / 96;
        // each full step: 8 launches one by one, 1 as a graph
        assertEquals(2L * full * 7, launches[0] - launches[1]);
    }

    /**
     * The default detector through the CUDA backend (emulated): training, the neighbour part (on
     * the CPU whatever the backend) and scoring. A CPU-trained bundle scored on the GPU gives the
     * CPU's scores to float32 accuracy, and a GPU-trained one ranks the test rows as well.
     */
    @Test
    void theDefaultDetectorTrainsAndScoresOnTheCudaBackend() {
        // small: the emulation runs every GPU thread on the CPU
        Dataset data = SyntheticData.generate(12, 600, 30, 5);
        dev.recon.pipeline.TrainOptions o = dev.recon.pipeline.TrainOptions.defaults().withEpochs(2);
        dev.recon.pipeline.TrainJob.Outcome cpu;
        try (CpuBackend be = new CpuBackend(2)) {
            cpu = dev.recon.pipeline.TrainJob.run(data, o, be, TrainListener.NONE);
        }
        assertEquals(dev.recon.model.DetectorKind.AE_KNN, cpu.bundle().detector());
        float[] rows = java.util.Arrays.copyOf(data.values(), 200 * 12);
        double[] onCpu;
        try (CpuBackend be = new CpuBackend(2); dev.recon.score.Detector d = dev.recon.score.Detector.of(cpu.bundle(), be)) {
            onCpu = d.errors(rows, 200);
        }
        double[] onGpu;
        try (Backend be = Emulation.backend(); dev.recon.score.Detector d = dev.recon.score.Detector.of(cpu.bundle(), be)) {
            onGpu = d.errors(rows, 200);
        }
        for (int i = 0; i < 200; i++) {
            assertEquals(onCpu[i], onGpu[i], 1e-4 * (1 + onCpu[i]), "score of row " + i);
        }
        dev.recon.pipeline.TrainJob.Outcome gpu;
        try (Backend be = Emulation.backend()) {
            gpu = dev.recon.pipeline.TrainJob.run(data, o, be, TrainListener.NONE);
        }
        assertEquals(dev.recon.model.DetectorKind.AE_KNN, gpu.bundle().detector());
        assertEquals(cpu.test().rocAuc(), gpu.test().rocAuc(), 0.01);
        assertTrue(gpu.test().rocAuc() > 0.8, "ROC-AUC " + gpu.test().rocAuc());
    }
}
