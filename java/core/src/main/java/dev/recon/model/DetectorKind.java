package dev.recon.model;


/** What a bundle scores with. */
public enum DetectorKind {
    /** The reference project's detector: the autoencoder's reconstruction error alone. */
    AE("ae"),
    /** The default: the reconstruction error plus the distance to the k-th nearest training normal ({@link KnnComponent}). */
    AE_KNN("ae-knn");

    public static final DetectorKind DEFAULT = AE_KNN;

    private final String id;

    DetectorKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static DetectorKind parse(String s) {
        return Ids.parse(values(), DetectorKind::id, s, "--detector: expected ae or ae-knn, got '%s'");
    }

    @Override
    public String toString() {
        return id;
    }
}
