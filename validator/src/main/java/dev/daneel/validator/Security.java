package dev.daneel.validator;

import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The DNSSEC verdict on an answer (RFC 4035 §4.3). Switch over it; there are exactly four kinds.
 *
 * <pre>{@code
 * switch (answer.security().status()) {
 *     case SECURE -> use(answer.records());
 *     case INSECURE -> useWithoutDnssec(answer.records());
 *     case BOGUS, INDETERMINATE -> fail(answer.security());
 * }
 * }</pre>
 */
public sealed interface Security {

    /** The status, for switches. */
    Status status();

    /**
     * A chain of verified signatures reaches from a trust anchor to every RRset of the answer.
     *
     * @param algorithms the DNSSEC algorithms along the chain; 5 and 7 (SHA-1) are accepted but visible here
     * @param viaDlv whether the chain passed through a DLV registry (RFC 5074) instead of a parent's DS
     */
    record Secure(Set<Integer> algorithms, boolean viaDlv) implements Security {
        public Secure {
            algorithms = Set.copyOf(algorithms);
        }

        /** A chain of ordinary DS records. */
        public Secure(Set<Integer> algorithms) {
            this(algorithms, false);
        }

        @Override
        public Status status() {
            return Status.SECURE;
        }
    }

    /**
     * An anchor covers the name, but the chain provably ends at an unsigned delegation (or at a zone whose
     * algorithms or digests this validator does not support, RFC 4035 §5.2).
     *
     * @param delegation where the chain ends
     * @param reason null for an unsigned delegation; one of the {@code UNSUPPORTED_*} reasons (with its
     *     RFC 8914 code) when the zone is signed in a way this validator does not implement
     * @param why how that was proven (e.g. "DS NODATA proven by NSEC at example.test.")
     */
    record Insecure(Name delegation, Reason reason, String why) implements Security {
        public Insecure {
            Objects.requireNonNull(delegation, "delegation");
        }

        @Override
        public Status status() {
            return Status.INSECURE;
        }
    }

    /**
     * The answer should be signed but does not verify. Its records must not be used.
     *
     * @param reason the kind of failure, with its RFC 8914 code
     * @param detail the zone, record and key tag that failed, for a human
     */
    record Bogus(Reason reason, String detail) implements Security {
        public Bogus {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Status status() {
            return Status.BOGUS;
        }
    }

    /**
     * No verdict. The records, if any, are unvalidated and must be treated like data without DNSSEC.
     *
     * @param cause why there is no verdict
     * @param detail what happened
     */
    record Indeterminate(Cause cause, String detail) implements Security {
        public Indeterminate {
            java.util.Objects.requireNonNull(cause, "cause");
        }

        @Override
        public Status status() {
            return Status.INDETERMINATE;
        }
    }

    /** Why an answer is {@link Indeterminate}. */
    enum Cause {
        /** No trust anchor covers a name of the answer. */
        NO_ANCHOR,
        /** No upstream answered, or it answered SERVFAIL or an error for a question the validation needed. */
        UNAVAILABLE,
        /**
         * DNSSEC has nothing to say about this answer: a question for RRSIG records (they are not an RRset
         * that is signed), or a DNAME whose substitution is too long (YXDOMAIN, RFC 6672 §2.2).
         */
        NOT_VALIDATABLE
    }
}
