package dev.daneel.validator;

/**
 * The work limits of {@link Limits}, named, so that a {@link Verdict.Bogus} can say which one
 * stopped a lookup ({@link Verdict.Bogus#limitHit()}).
 *
 * <pre>{@code
 * if (answer.verdict() instanceof Verdict.Bogus b && b.limitHit().isPresent()) {
 *     metrics.count("dnssec.limit." + b.limitHit().get());
 * }
 * }</pre>
 */
public enum Limit {
    /**
     * {@link Limits#maxKeyTagCollisions()}: keys sharing one RRSIG's key tag (KeyTrap,
     * CVE-2023-50387).
     */
    KEY_TAG_COLLISIONS,
    /**
     * {@link Limits#maxSignaturesPerRRset()}: RRSIGs tried for one RRset (KeyTrap, CVE-2023-50387).
     */
    SIGNATURES_PER_RRSET,
    /** {@link Limits#maxSignatureChecks()}: signature verifications for one lookup. */
    SIGNATURE_CHECKS,
    /** {@link Limits#maxChainDepth()}: labels walked below a trust anchor. */
    CHAIN_DEPTH,
    /** {@link Limits#maxCnameHops()}: CNAME and DNAME links followed in one answer. */
    CNAME_HOPS,
    /** {@link Limits#maxNsec3Hashes()}: NSEC3 hash computations for one lookup (CVE-2023-50868). */
    NSEC3_HASHES
}
