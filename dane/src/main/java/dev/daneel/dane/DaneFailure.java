package dev.daneel.dane;

/**
 * Why a chain was not authenticated by usable TLSA records.
 *
 * <pre>{@code
 * if (failed.failure() == DaneFailure.NO_MATCH) { ... }
 * }</pre>
 */
public enum DaneFailure {
    /** No usable record matches the chain (OpenSSL's X509_V_ERR_DANE_NO_MATCH). */
    NO_MATCH,
    /**
     * A record matched, but the leaf does not carry the reference name (RFC 7671 §5.2, RFC 6125).
     */
    NAME_MISMATCH,
    /** A PKIX-TA/PKIX-EE record matched, but no path reaches the PKIX trust store. */
    NO_TRUSTED_ISSUER,
    /** A PKIX path was found and fails PKIX validation (dates, constraints, key usage). */
    PKIX_INVALID,
    /** A certificate below a DANE trust anchor is outside its validity period. */
    CERTIFICATE_EXPIRED,
    /** No certificate was presented. */
    EMPTY_CHAIN
}
