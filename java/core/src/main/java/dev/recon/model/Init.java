package dev.recon.model;

/** How the weights start (see {@link Initializer}). */
public enum Init implements Identified {
    /** He (Kaiming) normal weights, zero biases. */
    HE,
    /** PyTorch's default for {@code nn.Linear}: weights and biases uniform in +-1/sqrt(fan_in). */
    TORCH;

    public static Init parse(String s) {
        return Ids.parse(values(), Init::id, s, "--init: expected he or torch, got '%s'");
    }

    public float[] params(AutoencoderSpec spec, long seed) {
        return this == HE ? Initializer.he(spec, seed) : Initializer.torchDefault(spec, seed);
    }

    @Override
    public String toString() {
        return id();
    }
}
