package dev.recon.backend.cuda;

/** A device address: an allocation's handle plus a byte offset into it. */
public record Ptr(long handle, long byteOffset) {
    /** The null pointer (an absent optional output). */
    public static final Ptr NULL = new Ptr(0, 0);
}
