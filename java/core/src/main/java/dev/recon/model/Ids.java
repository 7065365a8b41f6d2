package dev.recon.model;

import java.util.function.Function;

/** The enum constant whose id a user typed (any case, surrounding blanks ignored). */
final class Ids {
    private Ids() {
    }

    /** The constant whose id is {@code s}, else an error: {@code message} with %s for what was typed. */
    static <E> E parse(E[] values, Function<E, String> id, String s, String message) {
        E v = find(values, id, s);
        if (v == null) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, message, s));
        }
        return v;
    }

    /** The constant of {@code values} whose {@code id} is {@code s}, or null where none is. */
    static <E> E find(E[] values, Function<E, String> id, String s) {
        for (E v : values) {
            if (id.apply(v).equalsIgnoreCase(s.trim())) {
                return v;
            }
        }
        return null;
    }
}
