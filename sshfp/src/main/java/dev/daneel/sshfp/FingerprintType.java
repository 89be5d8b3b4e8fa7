package dev.daneel.sshfp;

import java.util.Optional;

/**
 * SSHFP fingerprint types (RFC 4255 §3.1.2, RFC 6594).
 *
 * <pre>{@code
 * SshHostKey.parse(line).fingerprint(FingerprintType.SHA256); // 32 octets
 * }</pre>
 */
public enum FingerprintType {
    /**
     * SHA-1 (RFC 4255); kept for old records, ignored when a SHA-256 record exists for the same key
     * type.
     */
    SHA1(1, "SHA-1"),
    /** SHA-256 (RFC 6594), the default. */
    SHA256(2, "SHA-256");

    private final int code;
    private final String jcaName;

    FingerprintType(int code, String jcaName) {
        this.code = code;
        this.jcaName = jcaName;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The JCA {@code MessageDigest} name. */
    public String jcaName() {
        return jcaName;
    }

    /** The fingerprint type with this wire value, or empty when unassigned. */
    public static Optional<FingerprintType> fromCode(int code) {
        for (FingerprintType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
