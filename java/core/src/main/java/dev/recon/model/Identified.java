package dev.recon.model;

import java.util.Locale;

/**
 * A constant named on the command line and in the bundle by its id: its name in lower case, with
 * '-' for '_' ({@code AE_KNN} is {@code ae-knn}).
 */
public interface Identified {
    String name();

    default String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
