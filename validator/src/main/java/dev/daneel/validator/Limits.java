package dev.daneel.validator;

/**
 * Bounds on the work one lookup may cause, so that hostile data cannot turn validation into a
 * denial of service, and the NSEC3 iteration policy of RFC 9276. Reaching a work bound makes the
 * answer {@link Reason#WORK_LIMIT_EXCEEDED Bogus} (or {@link Reason#CHAIN_TOO_LONG}); it never
 * hangs or throws.
 *
 * <pre>{@code
 * Limits strict = Limits.DEFAULT.withMaxSignatureChecks(32).withNsec3IterationsInsecureAbove(50);
 * }</pre>
 *
 * @param maxKeyTagCollisions keys tried for one RRSIG whose key tag and algorithm they share.
 *     KeyTrap (CVE-2023-50387) publishes many keys with one tag so that each signature costs many
 *     verifications; a legitimate zone has at most two keys with a colliding tag during a roll.
 *     Default 4.
 * @param maxSignaturesPerRRset RRSIGs tried for one RRset. KeyTrap's other half: many signatures
 *     per RRset. Default 8 (a zone mid algorithm roll signs with two or three keys).
 * @param maxSignatureChecks cryptographic verifications for one whole lookup, chain included.
 *     Default 64: a CNAME chain of a few links through fresh zones needs about 2 per zone and link.
 * @param maxChainDepth labels walked from a trust anchor down to a signer or an insecure delegation
 *     (one DS query each). DNS names have at most 127 labels; default 48, so that ip6.arpa names
 *     (34 labels) pass.
 * @param maxCnameHops CNAME and DNAME links followed in one answer. Default 12, as Unbound's
 *     restart limit (11) plus the final RRset.
 * @param maxNsec3Hashes NSEC3 hash computations for one lookup (CVE-2023-50868). A closest-encloser
 *     proof for a name of n labels costs at most about 2n hashes; default 128.
 * @param nsec3IterationsInsecureAbove NSEC3 proofs with more iterations make the answer Insecure
 *     with EDE 27 (RFC 9276 §3.2: validators may treat them as insecure). Default 150, as BIND,
 *     Unbound and Knot (RFC 9276 Appendix A discusses the values); applied only to the records a
 *     proof rests on, after the proof is checked, so records that prove a stripped DS exists still
 *     make the answer Bogus.
 * @param nsec3IterationsBogusAbove NSEC3 records with more iterations are unusable and the answer
 *     is Bogus (RFC 9276 §3.2). Default 500; at least {@code nsec3IterationsInsecureAbove}.
 * @param maxAnyRRsets RRsets of an answer to a question of type ANY that are validated and
 *     returned; the answer is shortened to the first ones (in response order), as Unbound does
 *     ({@code MAX_RRSETS_ANY_VALIDATED}), so that a name with hundreds of signed RRsets cannot make
 *     one question cost hundreds of verifications. Default 24, as Unbound.
 */
public record Limits(
        int maxKeyTagCollisions,
        int maxSignaturesPerRRset,
        int maxSignatureChecks,
        int maxChainDepth,
        int maxCnameHops,
        int maxNsec3Hashes,
        int nsec3IterationsInsecureAbove,
        int nsec3IterationsBogusAbove,
        int maxAnyRRsets) {

    /** The defaults documented on each component. */
    public static final Limits DEFAULT = new Limits(4, 8, 64, 48, 12, 128, 150, 500, 24);

    public Limits {
        check("maxKeyTagCollisions", maxKeyTagCollisions, 1, 64);
        check("maxSignaturesPerRRset", maxSignaturesPerRRset, 1, 64);
        check("maxSignatureChecks", maxSignatureChecks, 1, 10_000);
        check("maxChainDepth", maxChainDepth, 1, 127);
        check("maxCnameHops", maxCnameHops, 0, 64);
        check("maxNsec3Hashes", maxNsec3Hashes, 1, 10_000);
        check("nsec3IterationsInsecureAbove", nsec3IterationsInsecureAbove, 0, 65535);
        check(
                "nsec3IterationsBogusAbove",
                nsec3IterationsBogusAbove,
                nsec3IterationsInsecureAbove,
                65535);
    }

    /** A copy with another {@code maxKeyTagCollisions} (1..64). */
    public Limits withMaxKeyTagCollisions(int v) {
        return new Limits(
                v,
                maxSignaturesPerRRset,
                maxSignatureChecks,
                maxChainDepth,
                maxCnameHops,
                maxNsec3Hashes,
                nsec3IterationsInsecureAbove,
                nsec3IterationsBogusAbove,
                maxAnyRRsets);
    }

    /** A copy with another {@code maxSignaturesPerRRset} (1..64). */
    public Limits withMaxSignaturesPerRRset(int v) {
        return new Limits(
                maxKeyTagCollisions,
                v,
                maxSignatureChecks,
                maxChainDepth,
                maxCnameHops,
                maxNsec3Hashes,
                nsec3IterationsInsecureAbove,
                nsec3IterationsBogusAbove,
                maxAnyRRsets);
    }

    /** A copy with another {@code maxSignatureChecks} (1..10000). */
    public Limits withMaxSignatureChecks(int v) {
        return new Limits(
                maxKeyTagCollisions,
                maxSignaturesPerRRset,
                v,
                maxChainDepth,
                maxCnameHops,
                maxNsec3Hashes,
                nsec3IterationsInsecureAbove,
                nsec3IterationsBogusAbove,
                maxAnyRRsets);
    }

    /** A copy with another {@code maxChainDepth} (1..127). */
    public Limits withMaxChainDepth(int v) {
        return new Limits(
                maxKeyTagCollisions,
                maxSignaturesPerRRset,
                maxSignatureChecks,
                v,
                maxCnameHops,
                maxNsec3Hashes,
                nsec3IterationsInsecureAbove,
                nsec3IterationsBogusAbove,
                maxAnyRRsets);
    }

    /** A copy with another {@code maxCnameHops} (0..64). */
    public Limits withMaxCnameHops(int v) {
        return new Limits(
                maxKeyTagCollisions,
                maxSignaturesPerRRset,
                maxSignatureChecks,
                maxChainDepth,
                v,
                maxNsec3Hashes,
                nsec3IterationsInsecureAbove,
                nsec3IterationsBogusAbove,
                maxAnyRRsets);
    }

    /** A copy with another {@code maxNsec3Hashes} (1..10000). */
    public Limits withMaxNsec3Hashes(int v) {
        return new Limits(
                maxKeyTagCollisions,
                maxSignaturesPerRRset,
                maxSignatureChecks,
                maxChainDepth,
                maxCnameHops,
                v,
                nsec3IterationsInsecureAbove,
                nsec3IterationsBogusAbove,
                maxAnyRRsets);
    }

    /**
     * A copy with another {@code nsec3IterationsInsecureAbove} (0..65535, at most the bogus limit).
     */
    public Limits withNsec3IterationsInsecureAbove(int v) {
        return new Limits(
                maxKeyTagCollisions,
                maxSignaturesPerRRset,
                maxSignatureChecks,
                maxChainDepth,
                maxCnameHops,
                maxNsec3Hashes,
                v,
                nsec3IterationsBogusAbove,
                maxAnyRRsets);
    }

    /**
     * A copy with another {@code nsec3IterationsBogusAbove} (at least the insecure limit, at most
     * 65535).
     */
    public Limits withNsec3IterationsBogusAbove(int v) {
        return new Limits(
                maxKeyTagCollisions,
                maxSignaturesPerRRset,
                maxSignatureChecks,
                maxChainDepth,
                maxCnameHops,
                maxNsec3Hashes,
                nsec3IterationsInsecureAbove,
                v,
                maxAnyRRsets);
    }

    /** A copy with another {@code maxAnyRRsets} (1..256). */
    public Limits withMaxAnyRRsets(int v) {
        return new Limits(
                maxKeyTagCollisions,
                maxSignaturesPerRRset,
                maxSignatureChecks,
                maxChainDepth,
                maxCnameHops,
                maxNsec3Hashes,
                nsec3IterationsInsecureAbove,
                nsec3IterationsBogusAbove,
                v);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    name + " must be " + min + ".." + max + ", got " + value);
        }
    }
}
