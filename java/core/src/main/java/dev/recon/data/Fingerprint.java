package dev.recon.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a data set's parsed content (feature names, values, labels), independent of how
 * the file spelled its numbers. A bundle records it so that {@code evaluate} knows whether it
 * is looking at the data the model was trained on, and {@code --resume} refuses other data.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    public static String of(Dataset data) {
        MessageDigest md = sha256();
        for (String f : data.featureNames()) {
            md.update(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) 0);
        }
        int d = data.features();
        ByteBuffer bb = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        float[] x = data.values();
        int n = data.rows() * d;
        for (int i = 0; i < n; i++) {
            if (bb.remaining() < 4) {
                md.update(bb.array(), 0, bb.position());
                bb.clear();
            }
            bb.putFloat(x[i]);
        }
        md.update(bb.array(), 0, bb.position());
        if (data.hasLabels()) {
            byte[] lab = new byte[data.rows()];
            for (int i = 0; i < lab.length; i++) {
                lab[i] = (byte) (data.isAnomaly(i) ? 1 : 0);
            }
            md.update(lab);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
