package dev.recon.model;

/** What a bundle scores with. */
public enum DetectorKind implements Identified {
    /** The reference project's detector: the autoencoder's reconstruction error alone. */
    AE,
    /** The default: the reconstruction error plus the distance to the k-th nearest training normal ({@link KnnComponent}). */
    AE_KNN;

    public static final DetectorKind DEFAULT = AE_KNN;

    public static DetectorKind parse(String s) {
        return Ids.parse(values(), DetectorKind::id, s, "--detector: expected ae or ae-knn, got '%s'");
    }

    @Override
    public String toString() {
        return id();
    }
}
