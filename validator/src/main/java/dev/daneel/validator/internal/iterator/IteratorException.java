package dev.daneel.validator.internal.iterator;

import java.io.IOException;
import java.util.Objects;

/**
 * Why the {@link IterativeResolver} could not produce a response. A lookup never hangs: it ends
 * with a response or with this exception, whose {@link #reason()} says which bound or failure ended
 * it and whose message names the question, what was expected and what was seen, for example {@code
 * "www.example.com./A: the lookup sent 100 queries, the limit (queriesPerLookup); ..."}.
 */
public final class IteratorException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * What ended the lookup. The {@code *_LIMIT} reasons are the {@link IteratorLimits} exceeded.
     */
    public enum Reason {
        /** {@link IteratorLimits#referralDepth()}. */
        REFERRAL_DEPTH_LIMIT(true),
        /** {@link IteratorLimits#nsNamesPerDelegation()} (NXNSAttack, CVE-2020-12662). */
        NS_NAMES_PER_DELEGATION_LIMIT(true),
        /** {@link IteratorLimits#nsNamesPerLookup()} (NXNSAttack, CVE-2020-12662). */
        NS_NAMES_PER_LOOKUP_LIMIT(true),
        /** {@link IteratorLimits#queriesPerLookup()} (NXNSAttack, CVE-2020-12662). */
        QUERIES_PER_LOOKUP_LIMIT(true),
        /** {@link IteratorLimits#cnameHops()}, or a CNAME/DNAME loop. */
        CNAME_HOPS_LIMIT(true),
        /** {@link IteratorLimits#dependencyDepth()}. */
        DEPENDENCY_DEPTH_LIMIT(true),
        /** The lookup's deadline ({@link IteratorConfig#lookupTimeout()}) passed. */
        DEADLINE(false),
        /** Every server of a zone timed out, refused, was lame or failed. */
        NO_SERVER_ANSWERED(false),
        /**
         * A zone's servers have no address and none could be found (no glue, NS names
         * unresolvable).
         */
        NO_SERVER_ADDRESS(false),
        /** The resolver was closed. */
        CLOSED(false);

        private final boolean limit;

        Reason(boolean limit) {
            this.limit = limit;
        }

        /**
         * Whether this is a work limit (the answer may exist, but finding it would cost too much).
         */
        public boolean isLimit() {
            return limit;
        }
    }

    private final Reason reason;

    IteratorException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** What ended the lookup. */
    public Reason reason() {
        return reason;
    }
}
