package dev.daneel.dane;

import java.util.Optional;

/**
 * TLSA certificate usage field (RFC 6698 §2.1.1), with the RFC 7218 mnemonics.
 *
 * <pre>{@code
 * CertUsage.fromCode(3).orElseThrow(); // DANE_EE
 * }</pre>
 */
public enum CertUsage {
    /** PKIX-TA(0): CA constraint, plus normal PKIX validation. */
    PKIX_TA(0),
    /** PKIX-EE(1): service certificate constraint, plus normal PKIX validation. */
    PKIX_EE(1),
    /** DANE-TA(2): trust anchor assertion; the chain below it must verify by signature. */
    DANE_TA(2),
    /** DANE-EE(3): domain-issued certificate; the leaf alone is matched (RFC 7671 §5.1). */
    DANE_EE(3);

    private final int code;

    CertUsage(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /**
     * The usage with this wire value, or empty when it is unassigned (such a record is unusable).
     */
    public static Optional<CertUsage> fromCode(int code) {
        for (CertUsage u : values()) {
            if (u.code == code) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
