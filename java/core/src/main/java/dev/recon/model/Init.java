package dev.recon.model;


/** How the weights start (see {@link Initializer}). */
public enum Init {
    /** He (Kaiming) normal weights, zero biases. */
    HE("he"),
    /** PyTorch's default for {@code nn.Linear}: weights and biases uniform in +-1/sqrt(fan_in). */
    TORCH("torch");

    private final String id;

    Init(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Init parse(String s) {
        return Ids.parse(values(), Init::id, s, "--init: expected he or torch, got '%s'");
    }

    public float[] params(AutoencoderSpec spec, long seed) {
        return this == HE ? Initializer.he(spec, seed) : Initializer.torchDefault(spec, seed);
    }

    @Override
    public String toString() {
        return id;
    }
}
