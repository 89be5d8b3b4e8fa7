package dev.daneel.validator;

/**
 * Why an answer is {@link Verdict.Bogus}, each with its RFC 8914 Extended DNS Error code so that a
 * server built on Daneel can pass it on. (Why an answer is Insecure is an {@link InsecureCause}.)
 *
 * <pre>{@code
 * if (answer.verdict() instanceof Verdict.Bogus b) {
 *     log.warn("EDE {}: {}", b.reason().edeCode(), b.detail());
 * }
 * }</pre>
 */
public enum Reason {
    /**
     * A signed zone's RRset carries only signatures of algorithms this validator does not
     * implement.
     */
    UNSUPPORTED_DNSKEY_ALGORITHM(1, "Unsupported DNSKEY Algorithm"),
    /** A DS RRset that must be used has only digest types this validator does not implement. */
    UNSUPPORTED_DS_DIGEST(2, "Unsupported DS Digest Type"),
    /**
     * The NSEC3 records use more iterations than the hard limit, so they prove nothing (RFC 9276
     * §3.2).
     */
    UNSUPPORTED_NSEC3_ITERATIONS(27, "Unsupported NSEC3 Iterations Value"),
    /**
     * A signature does not verify, NSEC or NSEC3 records do not prove the denial they came for, or
     * the chain is broken in a way no more specific reason names.
     */
    DNSSEC_BOGUS(6, "DNSSEC Bogus"),
    /** Every usable signature has expired (beyond the allowed clock skew). */
    SIGNATURE_EXPIRED(7, "Signature Expired"),
    /** Every usable signature starts in the future (beyond the allowed clock skew). */
    SIGNATURE_NOT_YET_VALID(8, "Signature Not Yet Valid"),
    /** No DNSKEY matches the DS or anchor, or no key matches a signature's key tag. */
    DNSKEY_MISSING(9, "DNSKEY Missing"),
    /** An RRset that must be signed carries no (usable) RRSIG. */
    RRSIGS_MISSING(10, "RRSIGs Missing"),
    /** The only matching keys lack the Zone Key bit (RFC 4034 §2.1.1). */
    NO_ZONE_KEY_BIT_SET(11, "No Zone Key Bit Set"),
    /**
     * A negative answer (NXDOMAIN, NODATA, no DS) needs a denial proof, and no NSEC or NSEC3 record
     * came with it (RFC 8914 §4.13). Records that came but do not prove it, and a wildcard
     * expansion without its proof (the data is there), are {@link #DNSSEC_BOGUS}.
     */
    NSEC_MISSING(12, "NSEC Missing"),
    /**
     * A limit on the work one answer may cause was reached (KeyTrap, CVE-2023-50387, and kin);
     * {@link Verdict.Bogus#limitHit()} names it.
     */
    WORK_LIMIT_EXCEEDED(6, "DNSSEC Bogus"),
    /**
     * An answer's CNAME/DNAME chain is longer than {@link Limits#maxCnameHops()} (named in
     * limitHit) or loops.
     */
    CHAIN_TOO_LONG(6, "DNSSEC Bogus");

    private final int edeCode;
    private final String edeText;

    Reason(int edeCode, String edeText) {
        this.edeCode = edeCode;
        this.edeText = edeText;
    }

    /** The RFC 8914 INFO-CODE. */
    public int edeCode() {
        return edeCode;
    }

    /** The RFC 8914 registry's purpose text for the code. */
    public String edeText() {
        return edeText;
    }
}
