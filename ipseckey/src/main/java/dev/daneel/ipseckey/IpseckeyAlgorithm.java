package dev.daneel.ipseckey;

import java.util.Optional;

/**
 * IPSECKEY public key algorithms (IANA "IPSECKEY Resource Record Parameters"): RFC 4025 §2.4, RFC
 * 8005 (ECDSA), RFC 9373 (EdDSA).
 *
 * <pre>{@code
 * IpseckeyAlgorithm.fromCode(3).orElseThrow(); // ECDSA
 * }</pre>
 */
public enum IpseckeyAlgorithm {
    /** No key is present (RFC 4025 §2.4). */
    NONE(0),
    /** DSA, RFC 2536 encoding (RFC 4025); read and printed, never created. */
    DSA(1),
    /** RSA, RFC 3110 encoding (RFC 4025). */
    RSA(2),
    /** ECDSA: the raw point X‖Y, P-256 or P-384, as in RFC 6605 (RFC 8005). */
    ECDSA(3),
    /**
     * EdDSA: the raw public key, Ed25519 (32 octets) or Ed448 (57 octets), as in RFC 8080 (RFC
     * 9373).
     */
    EDDSA(4);

    private final int code;

    IpseckeyAlgorithm(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The algorithm with this wire value, or empty when unassigned. */
    public static Optional<IpseckeyAlgorithm> fromCode(int code) {
        for (IpseckeyAlgorithm a : values()) {
            if (a.code == code) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
