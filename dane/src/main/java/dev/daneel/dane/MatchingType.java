package dev.daneel.dane;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * TLSA matching type field (RFC 6698 §2.1.3), with the RFC 7218 mnemonics.
 *
 * <pre>{@code
 * MatchingType.SHA2_256.apply(cert.getPublicKey().getEncoded()); // 32 octets
 * }</pre>
 */
public enum MatchingType {
    /** Full(0): the selected content itself. */
    FULL(0, null, -1),
    /** SHA2-256(1). */
    SHA2_256(1, "SHA-256", 32),
    /** SHA2-512(2). */
    SHA2_512(2, "SHA-512", 64);

    private final int code;
    private final String digest;
    private final int length;

    MatchingType(int code, String digest, int length) {
        this.code = code;
        this.digest = digest;
        this.length = length;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The association data length this type produces, or -1 for {@link #FULL} (any length). */
    public int length() {
        return length;
    }

    /** The association data for already selected content. */
    public byte[] apply(byte[] selected) {
        if (digest == null) {
            return selected.clone();
        }
        try {
            return MessageDigest.getInstance(digest).digest(selected);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 runtime has " + digest, e);
        }
    }

    /**
     * The matching type with this wire value, or empty when it is unassigned (such a record is
     * unusable).
     */
    public static Optional<MatchingType> fromCode(int code) {
        for (MatchingType m : values()) {
            if (m.code == code) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
