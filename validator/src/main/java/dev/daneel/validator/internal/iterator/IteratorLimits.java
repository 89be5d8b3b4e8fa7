package dev.daneel.validator.internal.iterator;

/**
 * How much work one lookup of the {@link IterativeResolver} may do. Every lookup is bounded by all
 * of these at once; the first one reached ends the lookup with an {@link IteratorException} whose
 * {@link IteratorException#reason() reason} names it. The defaults follow Unbound's, or are lower
 * where an end-host resolver needs less.
 *
 * <pre>{@code
 * IteratorLimits tight = IteratorLimits.DEFAULT.withQueriesPerLookup(40);
 * }</pre>
 *
 * @param referralDepth referrals followed for one name (Unbound's {@code MAX_REFERRAL_COUNT} is
 *     130; a real tree is rarely deeper than 10): a server that refers in circles cannot keep a
 *     lookup going
 * @param nsNamesPerDelegation NS names without glue resolved for one delegation (NXNSAttack,
 *     CVE-2020-12662: a referral with many glueless NS names must not turn one query into hundreds)
 * @param nsNamesPerLookup NS names without glue resolved in a whole lookup, every delegation and
 *     CNAME link together (NXNSAttack, CVE-2020-12662)
 * @param queriesPerLookup queries sent to authoritative servers for one lookup, the ones for NS
 *     names, CNAME targets and TCP retries included (NXNSAttack amplification, CVE-2020-12662;
 *     Unbound's {@code max-sent-count} is 32 per query step)
 * @param cnameHops CNAME and DNAME links followed (a loop or a long chain is work an attacker
 *     chooses; Unbound's {@code MAX_RESTART_COUNT} is 11)
 * @param dependencyDepth how deep lookups may nest: an NS name whose own servers have glueless NS
 *     names, and so on (Unbound allows a few levels; 4 leaves room for a CNAME among them)
 * @param minimisedQueries QNAME-minimised queries per name before the rest of the name is sent at
 *     once (RFC 9156 §2.3, Unbound's {@code MAX_MINIMISE_COUNT} is 10): a name with many labels
 *     cannot cost one query per label
 */
public record IteratorLimits(
        int referralDepth,
        int nsNamesPerDelegation,
        int nsNamesPerLookup,
        int queriesPerLookup,
        int cnameHops,
        int dependencyDepth,
        int minimisedQueries) {

    /**
     * The defaults: 30 referrals, 5 NS names per delegation, 20 per lookup, 100 queries, 11 CNAME
     * hops, depth 4, 10 minimised queries.
     */
    public static final IteratorLimits DEFAULT = new IteratorLimits(30, 5, 20, 100, 11, 4, 10);

    /**
     * @throws IllegalArgumentException when a limit is out of its range, naming it and the range
     */
    public IteratorLimits {
        check("referralDepth", referralDepth, 1, 200);
        check("nsNamesPerDelegation", nsNamesPerDelegation, 0, 100);
        check("nsNamesPerLookup", nsNamesPerLookup, 0, 1000);
        check("queriesPerLookup", queriesPerLookup, 1, 10_000);
        check("cnameHops", cnameHops, 0, 100);
        check("dependencyDepth", dependencyDepth, 0, 20);
        check("minimisedQueries", minimisedQueries, 0, 100);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    name + " must be " + min + ".." + max + ", got " + value);
        }
    }

    /** A copy with another {@link #queriesPerLookup()}. */
    public IteratorLimits withQueriesPerLookup(int n) {
        return new IteratorLimits(
                referralDepth,
                nsNamesPerDelegation,
                nsNamesPerLookup,
                n,
                cnameHops,
                dependencyDepth,
                minimisedQueries);
    }

    /** A copy with another {@link #nsNamesPerDelegation()}. */
    public IteratorLimits withNsNamesPerDelegation(int n) {
        return new IteratorLimits(
                referralDepth,
                n,
                nsNamesPerLookup,
                queriesPerLookup,
                cnameHops,
                dependencyDepth,
                minimisedQueries);
    }

    /** A copy with another {@link #cnameHops()}. */
    public IteratorLimits withCnameHops(int n) {
        return new IteratorLimits(
                referralDepth,
                nsNamesPerDelegation,
                nsNamesPerLookup,
                queriesPerLookup,
                n,
                dependencyDepth,
                minimisedQueries);
    }

    /** A copy with another {@link #referralDepth()}. */
    public IteratorLimits withReferralDepth(int n) {
        return new IteratorLimits(
                n,
                nsNamesPerDelegation,
                nsNamesPerLookup,
                queriesPerLookup,
                cnameHops,
                dependencyDepth,
                minimisedQueries);
    }
}
