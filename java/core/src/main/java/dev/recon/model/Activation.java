package dev.recon.model;

/** Activations applied after a layer's affine map. */
public enum Activation implements Identified {
    /** max(0, z); its derivative is read off the output (y &gt; 0 exactly when z &gt; 0). */
    RELU,
    /** z: the latent code and the reconstruction. */
    IDENTITY,
    /**
     * 1 / (1 + e^-z), only as the reconstruction's output (pixels in [0, 1]): the network's last
     * layer stays linear and {@link Objective} applies the sigmoid together with the loss.
     */
    SIGMOID;

    public static Activation parse(String s) {
        return Ids.parse(values(), Activation::id, s, "unknown activation '%s' (known: relu, identity, sigmoid)");
    }
}
