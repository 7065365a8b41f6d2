package dev.recon.serve;

import dev.recon.ReconException;
import dev.recon.data.Fingerprint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * The shared secret of {@code --token-file}. Requests carry it as {@code Authorization: Bearer
 * TOKEN}; both sides are hashed before {@link MessageDigest#isEqual} compares them, so the
 * comparison takes the same time whatever the token's length or the first byte that differs.
 */
public final class BearerToken {
    private static final String SCHEME = "bearer ";

    private final byte[] digest;

    private BearerToken(String token) {
        this.digest = sha256(token);
    }

    /** The token in the file's first line, trimmed; an empty one is refused. */
    public static BearerToken fromFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw ReconException.input(file + ": no such token file");
        } catch (IOException e) {
            throw ReconException.input(file + ": cannot read the token file: " + e.getMessage());
        }
        String token = lines.isEmpty() ? "" : lines.get(0).strip();
        if (token.isEmpty()) {
            throw ReconException.input(file + ": the token file's first line is empty");
        }
        return new BearerToken(token);
    }

    /** Whether an {@code Authorization} header value carries this token. */
    boolean accepts(String authorization) {
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(SCHEME.length()).strip()));
    }

    private static byte[] sha256(String s) {
        return Fingerprint.sha256().digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
