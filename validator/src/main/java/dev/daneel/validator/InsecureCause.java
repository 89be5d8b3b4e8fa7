package dev.daneel.validator;

import java.util.OptionalInt;

/**
 * Why an answer is {@link Verdict.Insecure}: the ways a chain of trust provably ends (RFC 4035
 * §4.3, §5.2). The three {@code UNSUPPORTED_*} causes carry the RFC 8914 Extended DNS Error code a
 * server passes on.
 *
 * <pre>{@code
 * if (answer.verdict() instanceof Verdict.Insecure i && i.cause() == InsecureCause.UNSIGNED_DELEGATION) {
 *     log.info("{} is unsigned below {}", name, i.delegation().orElseThrow());
 * }
 * }</pre>
 */
public enum InsecureCause {
    /** The parent proves a delegation without DS records (RFC 4035 §5.2). */
    UNSIGNED_DELEGATION(-1, "unsigned delegation"),
    /**
     * The proof rests on an opt-out NSEC3 span, which may hide an unsigned delegation (RFC 5155
     * §9.2).
     */
    OPT_OUT(-1, "opt-out span"),
    /**
     * The DS RRset or trust anchor names only algorithms this validator does not implement (RFC
     * 4035 §5.2).
     */
    UNSUPPORTED_ALGORITHM(1, "unsupported dnskey algorithm"),
    /**
     * The DS RRset uses only digest types this validator does not implement (RFC 4035 §5.2, RFC
     * 6840 §5.2).
     */
    UNSUPPORTED_DIGEST(2, "unsupported ds digest type"),
    /** The NSEC3 proof uses more iterations than the soft limit (RFC 9276 §3.2). */
    NSEC3_ITERATIONS(27, "unsupported nsec3 iterations value"),
    /**
     * The name is at or below a negative trust anchor (RFC 7646): validation is off there on
     * purpose, until the anchor expires.
     */
    NEGATIVE_TRUST_ANCHOR(-1, "negative trust anchor");

    private final int edeCode;
    private final String text;

    InsecureCause(int edeCode, String text) {
        this.edeCode = edeCode;
        this.text = text;
    }

    /** A short lower-case description for people, e.g. "unsigned delegation". */
    public String text() {
        return text;
    }

    /** The RFC 8914 INFO-CODE for this cause, if the registry has one. */
    public OptionalInt edeCode() {
        return edeCode < 0 ? OptionalInt.empty() : OptionalInt.of(edeCode);
    }
}
