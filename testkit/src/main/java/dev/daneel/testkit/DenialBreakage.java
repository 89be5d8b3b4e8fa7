package dev.daneel.testkit;

/**
 * A deliberate fault in the denial-of-existence proofs a zone's negative answers carry.
 *
 * <pre>{@code
 * World.builder().zone("example.test.", z -> z.denialBreakage(DenialBreakage.MISSING));
 * }</pre>
 */
public enum DenialBreakage {
    /** NXDOMAIN, NODATA and wildcard answers carry no NSEC or NSEC3 records (the SOA stays). */
    MISSING,
    /**
     * Each NSEC or NSEC3 record of a proof is replaced by its successor in the chain: correctly
     * signed, but it neither matches nor covers the name it should (zones need at least two names).
     */
    WRONG
}
