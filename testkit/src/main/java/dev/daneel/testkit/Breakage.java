package dev.daneel.testkit;

/**
 * A deliberate fault in the signatures or data of one RRset, or of every RRset in a zone.
 *
 * <p>Each breakage breaks exactly what its name says and nothing else: the testkit's own tests
 * check that the broken RRset fails {@code DNSSEC.verify} for the stated reason while the rest of
 * the zone still verifies.
 *
 * <pre>{@code
 * World.builder()
 *     .zone("example.test.", z -> z
 *         .record("www A 192.0.2.1")
 *         .breakRRset("www", Type.A, Breakage.EXPIRED_SIGNATURES))
 *     .start();
 * }</pre>
 */
public enum Breakage {
    /**
     * Signed with a validity window that ended a week before the world's clock (well past any
     * skew).
     */
    EXPIRED_SIGNATURES,
    /** Signed with a validity window that starts a week after the world's clock. */
    NOT_YET_VALID_SIGNATURES,
    /** Signed correctly, then one record's RDATA changed, so the signature no longer matches. */
    TAMPERED_DATA,
    /** Served without any RRSIG. */
    MISSING_RRSIGS,
    /** Signed by a key of the zone's algorithm that the zone's DNSKEY RRset does not contain. */
    UNKNOWN_SIGNING_KEY
}
