package dev.daneel.dane;

/**
 * SMTP TLS policies for DANE, as Postfix defines them ({@code smtp_tls_security_level}) after RFC
 * 7672.
 *
 * <pre>{@code
 * SmtpDane.builder(resolver).policy(SmtpDanePolicy.DANE_ONLY).build();
 * }</pre>
 *
 * <p>Both: Secure usable TLSA records (usages DANE-TA and DANE-EE only) make authenticated TLS
 * mandatory; a mismatch fails the MX host, never falls back. Secure TLSA records that are all
 * unusable make TLS mandatory without authentication (RFC 7672 §2.2). Bogus or failed lookups fail
 * the MX host.
 */
public enum SmtpDanePolicy {
    /**
     * Postfix "dane": without validated TLSA records, opportunistic TLS (plaintext if STARTTLS is
     * absent).
     */
    DANE,
    /**
     * Postfix "dane-only": without validated, usable TLSA records, do not deliver to that MX host.
     */
    DANE_ONLY
}
