package dev.daneel.validator;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The DNSSEC verdict on an answer (RFC 4035 §4.3). Switch over it; there are exactly four kinds,
 * and each carries why it was reached as values a program can test, not only as text.
 *
 * <pre>{@code
 * switch (answer.verdict()) {
 *     case Verdict.Secure s -> use(answer.records());
 *     case Verdict.Insecure i -> useWithoutDnssec(answer.records());   // i.cause() says why
 *     case Verdict.Bogus b -> refuse(b.reason(), b.detail());          // b.limitHit() for work limits
 *     case Verdict.Indeterminate n -> retryLater(n.cause(), n.detail());
 * }
 * }</pre>
 *
 * <p>(Pattern switches need Java 21; on Java 17 switch over {@link #status()} or use {@code
 * instanceof}.)
 */
public sealed interface Verdict {

    /** The status, for switches. */
    Status status();

    /**
     * A chain of verified signatures reaches from a trust anchor to every RRset of the answer.
     *
     * @param algorithms the DNSSEC algorithms along the chain; 5 and 7 (SHA-1) are accepted but
     *     visible here
     * @param viaDlv whether the chain passed through a DLV registry (RFC 5074) instead of a
     *     parent's DS
     */
    record Secure(Set<Integer> algorithms, boolean viaDlv) implements Verdict {
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
     * An anchor covers the name, but the chain provably ends: at an unsigned delegation, at an
     * opt-out span, or at a zone signed in a way this validator does not implement (RFC 4035 §5.2,
     * RFC 9276 §3.2).
     *
     * @param cause why the chain ends; never null
     * @param delegation the zone cut or zone where it ends, when the proof names one (an opt-out
     *     span only says that some unsigned delegation may exist in it, so it names the zone that
     *     holds the span)
     * @param detail how that was proven (e.g. "no DS at example.test., proven by test.: ...")
     */
    record Insecure(InsecureCause cause, Optional<Name> delegation, String detail)
            implements Verdict {
        public Insecure {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(delegation, "delegation");
            Objects.requireNonNull(detail, "detail");
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
     * @param limitHit for {@link Reason#WORK_LIMIT_EXCEEDED} and {@link Reason#CHAIN_TOO_LONG}, the
     *     limit that stopped the work; empty otherwise
     */
    record Bogus(Reason reason, String detail, Optional<Limit> limitHit) implements Verdict {
        public Bogus {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(limitHit, "limitHit");
        }

        /** A failure that is not a work limit. */
        public Bogus(Reason reason, String detail) {
            this(reason, detail, Optional.empty());
        }

        @Override
        public Status status() {
            return Status.BOGUS;
        }
    }

    /**
     * No verdict. The records, if any, are unvalidated and must be treated like data without
     * DNSSEC.
     *
     * @param cause why there is no verdict
     * @param detail what happened
     */
    record Indeterminate(Cause cause, String detail) implements Verdict {
        public Indeterminate {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(detail, "detail");
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
        /**
         * No upstream answered, or it answered SERVFAIL or an error for a question the validation
         * needed, or the lookup's deadline passed.
         */
        UNAVAILABLE,
        /**
         * DNSSEC has nothing to say about this answer: a question for RRSIG records (they are not
         * an RRset that is signed), or a DNAME whose substitution is too long (YXDOMAIN, RFC 6672
         * §2.2).
         */
        NOT_VALIDATABLE,
        /**
         * Every upstream that could answer cannot carry DNSSEC (its probe showed RRSIGs stripped,
         * DO cleared, or no EDNS): its answers are never used for a verdict, so a broken path is
         * not mistaken for an attack. The detail names each upstream and what it stripped. RFC 8914
         * EDE 23 (Network Error) is the closest code. Recursion from the root ({@code
         * Mode.STUB_THEN_RECURSIVE}) avoids it.
         */
        UPSTREAM_NO_DNSSEC;

        /**
         * The RFC 8914 INFO-CODE a server answering with this verdict attaches (as Unbound does):
         * 23 (Network Error) when the path failed or cannot carry DNSSEC, none where the data is
         * passed on without a verdict ({@link #NO_ANCHOR}, {@link #NOT_VALIDATABLE}).
         */
        public java.util.OptionalInt edeCode() {
            return switch (this) {
                case UNAVAILABLE, UPSTREAM_NO_DNSSEC -> java.util.OptionalInt.of(23);
                default -> java.util.OptionalInt.empty();
            };
        }
    }
}
