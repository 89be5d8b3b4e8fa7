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
     * Each NSEC or NSEC3 record of a proof is replaced by another record of the chain: correctly
     * signed, but matching or covering neither the queried name, nor any of its ancestors in the
     * zone, nor a wildcard at one of them. In a zone too small to have such a record, the proof is
     * left out.
     */
    WRONG
}
