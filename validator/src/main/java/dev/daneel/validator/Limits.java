package dev.daneel.validator;

/**
 * Bounds on the work one lookup may cause, so that hostile data cannot turn validation into a
 * denial of service. Reaching a bound makes the answer {@link Reason#WORK_LIMIT_EXCEEDED Bogus} (or
 * {@link Reason#CHAIN_TOO_LONG}); it never hangs or throws.
 *
 * <pre>{@code
 * Limits strict = Limits.DEFAULT.withMaxSignatureChecks(32);
 * }</pre>
 *
 * @param maxKeyTagCollisions keys tried for one RRSIG whose key tag and algorithm they share. KeyTrap
 *     (CVE-2023-50387) publishes many keys with one tag so that each signature costs many verifications;
 *     a legitimate zone has at most two keys with a colliding tag during a roll. Default 4.
 * @param maxSignaturesPerRRset RRSIGs tried for one RRset. KeyTrap's other half: many signatures per RRset.
 *     Default 8 (a zone mid algorithm roll signs with two or three keys).
 * @param maxSignatureChecks cryptographic verifications for one whole lookup, chain included. Default 64:
 *     a CNAME chain of a few links through fresh zones needs about 2 per zone and link.
 * @param maxChainDepth labels walked from a trust anchor down to a signer or an insecure delegation (one DS
 *     query each). DNS names have at most 127 labels; default 48, so that ip6.arpa names (34 labels) pass.
 * @param maxCnameHops CNAME and DNAME links followed in one answer. Default 12, as Unbound's restart limit
 *     (11) plus the final RRset.
 */
public record Limits(int maxKeyTagCollisions, int maxSignaturesPerRRset, int maxSignatureChecks, int maxChainDepth,
                     int maxCnameHops) {

    /** The defaults documented on each component. */
    public static final Limits DEFAULT = new Limits(4, 8, 64, 48, 12);

    public Limits {
        check("maxKeyTagCollisions", maxKeyTagCollisions, 1, 64);
        check("maxSignaturesPerRRset", maxSignaturesPerRRset, 1, 64);
        check("maxSignatureChecks", maxSignatureChecks, 1, 10_000);
        check("maxChainDepth", maxChainDepth, 1, 127);
        check("maxCnameHops", maxCnameHops, 0, 64);
    }

    /** A copy with another {@code maxKeyTagCollisions} (1..64). */
    public Limits withMaxKeyTagCollisions(int v) {
        return new Limits(v, maxSignaturesPerRRset, maxSignatureChecks, maxChainDepth, maxCnameHops);
    }

    /** A copy with another {@code maxSignaturesPerRRset} (1..64). */
    public Limits withMaxSignaturesPerRRset(int v) {
        return new Limits(maxKeyTagCollisions, v, maxSignatureChecks, maxChainDepth, maxCnameHops);
    }

    /** A copy with another {@code maxSignatureChecks} (1..10000). */
    public Limits withMaxSignatureChecks(int v) {
        return new Limits(maxKeyTagCollisions, maxSignaturesPerRRset, v, maxChainDepth, maxCnameHops);
    }

    /** A copy with another {@code maxChainDepth} (1..127). */
    public Limits withMaxChainDepth(int v) {
        return new Limits(maxKeyTagCollisions, maxSignaturesPerRRset, maxSignatureChecks, v, maxCnameHops);
    }

    /** A copy with another {@code maxCnameHops} (0..64). */
    public Limits withMaxCnameHops(int v) {
        return new Limits(maxKeyTagCollisions, maxSignaturesPerRRset, maxSignatureChecks, maxChainDepth, v);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + value);
        }
    }
}
