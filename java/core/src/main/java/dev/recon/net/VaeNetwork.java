package dev.recon.net;

import dev.recon.backend.Backend;
import dev.recon.backend.Buf;
import dev.recon.backend.IntBuf;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.Objective;

/**
 * The variational autoencoder on a {@link Backend}, layer by layer. Layers 0 to e (the latent
 * layer) encode X into ML (rows, 2 latent): means, then log-variances; the reparameterisation
 * draws Z = mu + exp(lv / 2) eps; layers e + 1 onward decode Z. The training loss of a row is
 * its reconstruction loss (the mean over the d features, as the plain autoencoder's) plus
 * weight * KL / d: the negative ELBO divided by d, so that beta = 1 is the ELBO's own balance.
 */
public final class VaeNetwork extends LayerStack {
    private final int e;
    private final int latent;
    private final int d;
    private final Buf z;
    private final Buf dz;
    private final Buf eps;
    private final Buf zeros;
    private final Buf kl;
    private IntBuf step;
    private long seed;
    private float klWeight;

    public VaeNetwork(Backend be, AutoencoderSpec spec, int maxRows) {
        super(be, checked(spec), maxRows);
        this.e = spec.latentLayer();
        this.latent = spec.latent();
        this.d = spec.inputDim();
        z = be.alloc((long) maxRows * latent);
        dz = be.alloc((long) maxRows * latent);
        eps = be.alloc((long) maxRows * latent);
        zeros = be.alloc((long) maxRows * latent);
        kl = be.alloc(maxRows);
        step = be.allocInt(2);
        klWeight = (float) spec.vae().beta();
    }

    private static AutoencoderSpec checked(AutoencoderSpec spec) {
        if (!spec.variational()) {
            throw new IllegalArgumentException("not a variational autoencoder: " + spec);
        }
        return spec;
    }

    @Override
    public void useStepCounter(IntBuf counter, long noiseSeed) {
        this.step = counter;
        this.seed = noiseSeed;
    }

    @Override
    public void setKlWeight(double w) {
        klWeight = (float) w;
    }

    /** The noise of the last training pass, (rows, latent). */
    public Buf noise() {
        return eps;
    }

    /** Per-row KL terms of the last pass, as {@link Backend#reparameterize} wrote them. */
    public Buf klTerms() {
        return kl;
    }

    private void encode(Buf X, int rows) {
        check(rows);
        layers(0, e + 1, X, rows);
    }

    private Buf decode(int rows) {
        return layers(e + 1, layout.layers(), z, rows);
    }

    /** A training pass: encode, draw the noise of this step (and of the part at {@code rowOffset}), decode. */
    private Buf forward(Buf X, int rows, int rowOffset) {
        encode(X, rows);
        be.gaussianNoise(eps, rows * latent, seed ^ (rowOffset * 0x632BE59BD9B4E019L), step);
        be.reparameterize(z, kl, acts[e], eps, rows, latent, klWeight / d);
        return decode(rows);
    }

    @Override
    public Buf forward(Buf X, int rows) {
        return forward(X, rows, 0);
    }

    @Override
    public Buf forwardPart(Buf X, int rows, int rowOffset) {
        return forward(X, rows, rowOffset);
    }

    @Override
    public void backward(Buf X, int rows, int batchRows, boolean accumulate) {
        int last = layout.layers() - 1;
        be.lossGradient(dZ[last], rowErr, acts[last], X, rows, d, batchRows, spec.objective());
        for (int l = last; l > e + 1; l--) {
            be.denseInputGradient(dZ[l - 1], dZ[l], params, layout.weight(l), acts[l - 1], rows, layout.out(l),
                    layout.in(l), act[l - 1]);
        }
        // into the sample Z (no activation), then through the reparameterisation and the KL term
        be.gemm(dz, 0, dZ[e + 1], 0, false, params, layout.weight(e + 1), false, rows, latent, layout.out(e + 1),
                1f, 0f);
        be.reparameterizeBackward(dZ[e], dz, acts[e], eps, rows, latent, klWeight / ((float) d * batchRows));
        for (int l = e; l > 0; l--) {
            be.denseInputGradient(dZ[l - 1], dZ[l], params, layout.weight(l), acts[l - 1], rows, layout.out(l),
                    layout.in(l), act[l - 1]);
        }
        for (int l = last; l >= 0; l--) {
            Buf in = l == 0 ? X : l == e + 1 ? z : acts[l - 1];
            be.biasGradient(grads, layout.bias(l), dZ[l], rows, layout.out(l), accumulate);
            be.gemm(grads, layout.weight(l), dZ[l], 0, true, in, 0, false, layout.out(l), layout.in(l), rows, 1f,
                    accumulate ? 1f : 0f);
        }
    }

    /** Encode, take the means as the code (no noise), decode. */
    private Buf meanReconstruction(Buf X, int rows, float weight) {
        encode(X, rows);
        be.reparameterize(z, kl, acts[e], zeros, rows, latent, weight);
        return decode(rows);
    }

    @Override
    public Buf errors(Buf X, int rows, Buf featErr, Objective objective) {
        Buf out = meanReconstruction(X, rows, 0f);
        be.reconstructionError(rowErr, featErr, out, X, rows, d, objective);
        return rowErr;
    }

    /**
     * One sample of the negative ELBO's two parts for X: afterwards {@link #rowErrors()} holds
     * each row's mean reconstruction loss under the training objective and {@link #klTerms()} its
     * KL divergence in nats. {@code noise} (rows, latent) is the sample's draws, given on the host.
     */
    public void elboSample(Buf X, int rows, float[] noise) {
        encode(X, rows);
        be.upload(eps, 0, noise, 0, rows * latent);
        be.reparameterize(z, kl, acts[e], eps, rows, latent, 1f);
        Buf out = decode(rows);
        be.reconstructionError(rowErr, null, out, X, rows, d, spec.objective());
    }

    @Override
    public Buf reconstruct(Buf X, int rows) {
        return meanReconstruction(X, rows, 0f);
    }

    @Override
    public Buf decode(float[] codes, int rows) {
        check(rows);
        be.upload(z, 0, codes, 0, rows * latent);
        return decode(rows);
    }

    @Override
    public void addLoss(Buf acc, int rows) {
        be.accumulateSum(acc, 0, rowErr, rows);
        be.accumulateSum(acc, 0, kl, rows);
    }

    /** At the full beta whatever the warm-up, so that every epoch's validation loss measures the same thing. */
    @Override
    public void validationLoss(Buf X, int rows) {
        Buf out = meanReconstruction(X, rows, (float) spec.vae().beta() / d);
        be.reconstructionError(rowErr, null, out, X, rows, d, spec.objective());
    }

    @Override
    public Buf latentCodes(Buf X, int rows) {
        encode(X, rows);
        return acts[e];
    }

    @Override
    public int latentStride() {
        return 2 * latent;
    }

}
