package dev.daneel.validator;

/**
 * The security status of a validated answer (RFC 4035 §4.3), ordered from strongest to weakest.
 *
 * <pre>{@code
 * if (status == Status.SECURE) { use(records); }
 * }</pre>
 */
public enum Status {
    /** A chain of signed DNSKEY and DS records reaches from a trust anchor to the data. */
    SECURE,
    /** A trust anchor covers the name, but the chain provably ends at an unsigned delegation. */
    INSECURE,
    /** A chain should exist but does not verify: the data must not be used. */
    BOGUS,
    /** No trust anchor covers the name, or the answer could not be obtained. */
    INDETERMINATE
}
