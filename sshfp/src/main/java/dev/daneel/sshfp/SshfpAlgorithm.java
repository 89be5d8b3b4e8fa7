package dev.daneel.sshfp;

import java.util.Optional;

/**
 * SSHFP key algorithm numbers (RFC 4255, RFC 6594, RFC 7479, RFC 8709) with their OpenSSH key type
 * names.
 *
 * <pre>{@code
 * SshfpAlgorithm.fromCode(4).orElseThrow().opensshPrefix(); // "ssh-ed25519"
 * }</pre>
 */
public enum SshfpAlgorithm {
    /** RSA (RFC 4255). */
    RSA(1, "ssh-rsa"),
    /** DSA (RFC 4255). */
    DSA(2, "ssh-dss"),
    /** ECDSA on P-256, P-384 or P-521 (RFC 6594); the curve is in the key type name. */
    ECDSA(3, "ecdsa-sha2-"),
    /** Ed25519 (RFC 7479). */
    ED25519(4, "ssh-ed25519"),
    /** Ed448 (RFC 8709). */
    ED448(6, "ssh-ed448");

    private final int code;
    private final String opensshPrefix;

    SshfpAlgorithm(int code, String opensshPrefix) {
        this.code = code;
        this.opensshPrefix = opensshPrefix;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The OpenSSH key type name, or its prefix for ECDSA ({@code ecdsa-sha2-nistp256} …). */
    public String opensshPrefix() {
        return opensshPrefix;
    }

    /** The algorithm with this wire value, or empty when unassigned (5 is unassigned). */
    public static Optional<SshfpAlgorithm> fromCode(int code) {
        for (SshfpAlgorithm a : values()) {
            if (a.code == code) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
