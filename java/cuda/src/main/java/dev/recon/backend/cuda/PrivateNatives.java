package dev.recon.backend.cuda;

import dev.recon.data.Fingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Native libraries that travel in the jar, written to a private, per-user, content-addressed
 * folder before they are loaded: {@code $XDG_CACHE_HOME/recon/native/<sha-256 of the set>} (by
 * default {@code ~/.cache/recon/native/...}; {@code RECON_NATIVE_DIR} overrides the parent). The
 * folders are created owner-only (0700); an existing folder must belong to this user and be
 * writable by nobody else, and every file is checked against the hash of the jar's bytes before
 * use. A shared temporary folder is never used: another user could have put a library there
 * first (JCuda's own loader extracts to {@code java.io.tmpdir} and loads whatever it finds).
 */
final class PrivateNatives {
    private PrivateNatives() {
    }

    /** The parent folder of the content-addressed sets. */
    static Path root(Map<String, String> env, String userHome) {
        String explicit = env.get("RECON_NATIVE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path cache = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : Path.of(userHome, ".cache");
        return cache.resolve("recon").resolve("native");
    }

    /**
     * Writes the resources {@code names} (paths inside the jar, e.g. {@code /lib/libX.so}) into one
     * private folder named after their contents, and returns that folder; each file keeps its
     * resource's file name. Resources that are absent are skipped.
     */
    static Path extract(Path root, List<String> names) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        MessageDigest set = Fingerprint.sha256();
        for (String name : names) {
            byte[] bytes;
            try (InputStream in = PrivateNatives.class.getResourceAsStream(name)) {
                if (in == null) {
                    continue;
                }
                bytes = in.readAllBytes();
            }
            String file = name.substring(name.lastIndexOf('/') + 1);
            files.put(file, bytes);
            set.update(file.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            set.update(Fingerprint.sha256().digest(bytes));
        }
        Path dir = root.resolve(HexFormat.of().formatHex(set.digest()).substring(0, 32));
        privateDirs(dir);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path target = dir.resolve(e.getKey());
            byte[] want = Fingerprint.sha256().digest(e.getValue());
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                    && MessageDigest.isEqual(want, Fingerprint.sha256().digest(Files.readAllBytes(target)))) {
                continue;
            }
            Path tmp = Files.createTempFile(dir, e.getKey(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try {
                Files.write(tmp, e.getValue());
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException ex) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return dir;
    }

    /** Creates {@code dir} and its missing parents owner-only, and checks that each is private. */
    private static void privateDirs(Path dir) throws IOException {
        List<Path> chain = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            chain.add(0, p);
        }
        for (Path p : chain) {
            try {
                Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made meanwhile by another Recon process: checked below
            }
        }
        int me = ownUid();
        checkPrivate(dir, me);
        checkPrivate(dir.getParent(), me);
        // no folder above may let another user swap the private ones for their own: each belongs
        // to root or to us, and one that others may write must be sticky (as /tmp is), so that
        // they cannot rename what is ours inside it
        for (Path p = dir.getParent().toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            PosixFileAttributes a = attributes(p);
            int owner = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (owner != 0 && owner != me) {
                throw new IOException(p + " belongs to another user (uid " + owner + ")");
            }
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            boolean sticky = (mode & 01000) != 0;
            if (!sticky && (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    || a.permissions().contains(PosixFilePermission.OTHERS_WRITE))) {
                throw new IOException(p + " is writable by other users (" + PosixFilePermissions.toString(a.permissions())
                        + ")");
            }
        }
    }

    /** This process's user id: the owner of /proc/self (user.name may be "?" or set by anyone). */
    static int ownUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    private static PosixFileAttributes attributes(Path p) throws IOException {
        return Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
    }

    /** Refuses a folder that is a link, belongs to another user, or that others may write. */
    static void checkPrivate(Path dir, int me) throws IOException {
        PosixFileAttributes a = attributes(dir);
        if (!a.isDirectory()) {
            throw new IOException(dir + " is not a folder (a link or a file stands there)");
        }
        int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != me) {
            throw new IOException(dir + " belongs to another user (uid " + owner + ", not " + me + ")");
        }
        Set<PosixFilePermission> p = a.permissions();
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " is writable by other users (" + PosixFilePermissions.toString(p) + ")");
        }
    }
}
