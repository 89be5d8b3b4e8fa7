package dev.daneel.dane;

import java.util.Optional;

/**
 * TLSA selector field (RFC 6698 §2.1.2), with the RFC 7218 mnemonics.
 *
 * <pre>{@code
 * Selector.fromCode(1).orElseThrow(); // SPKI
 * }</pre>
 */
public enum Selector {
    /** Cert(0): the full DER certificate. */
    CERT(0),
    /** SPKI(1): the DER SubjectPublicKeyInfo. */
    SPKI(1);

    private final int code;

    Selector(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /**
     * The selector with this wire value, or empty when it is unassigned (such a record is
     * unusable).
     */
    public static Optional<Selector> fromCode(int code) {
        for (Selector s : values()) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
