package dev.daneel.validator.internal;

import dev.daneel.validator.Answer;
import dev.daneel.validator.Evidence;
import dev.daneel.validator.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Everything one lookup owns, in one object: the clock reading it judges signatures by, its
 * deadline, its work budget and the checkers that spend it, the questions it asked, and the
 * evidence it collected for the answer's {@link Evidence}. Nothing else holds per-lookup state.
 *
 * <p>A lookup runs on one thread, but its fetches complete on others; the evidence and the
 * questions asked are guarded accordingly.
 */
final class LookupState {

    /** A question: the key of every fetch and every cache. */
    record Question(Name name, int type) {
        @Override
        public String toString() {
            return name + "/" + Type.string(type);
        }
    }

    /** Thrown inside a lookup when a response could not be had in time; becomes Indeterminate. */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Why: UNAVAILABLE, or UPSTREAM_NO_DNSSEC when the fetcher said only incapable upstreams
         * were left.
         */
        final transient Verdict.Cause cause;

        Unavailable(String message) {
            this(message, Verdict.Cause.UNAVAILABLE);
        }

        Unavailable(String message, Verdict.Cause cause) {
            super(message, null, false, false);
            this.cause = cause;
        }
    }

    final Instant now;
    final Budget budget;
    final dev.daneel.validator.Limits limits;
    final SignatureVerifier verifier;
    final ProofChecker proofs;
    private final long deadlineNanos;
    private final Fetcher fetcher;
    private final List<Evidence.Exchange> evidence = new ArrayList<>();
    private final Set<Question> recorded = new HashSet<>();

    /** Every question this lookup asked, so a prefetched answer is used, not asked again. */
    private final ConcurrentHashMap<Question, CompletableFuture<Message>> asked =
            new ConcurrentHashMap<>();

    /**
     * @param fetcher the engine's single-flight fetch (never throws; always completes)
     * @param deadlineNanos {@link System#nanoTime()} after which nothing more is waited for
     */
    LookupState(
            EngineConfig config, Crypto crypto, Fetcher fetcher, Instant now, long deadlineNanos) {
        this.now = now;
        this.fetcher = fetcher;
        this.deadlineNanos = deadlineNanos;
        this.limits = config.limits();
        this.budget = new Budget(config.limits());
        this.verifier = new SignatureVerifier(now, config.skew(), budget, crypto);
        this.proofs = new ProofChecker(verifier, new Nsec3Hasher(budget), config.limits(), now);
    }

    /** Sends the question unless this lookup already did; does not wait. */
    CompletableFuture<Message> fetch(Name name, int type) {
        return asked.computeIfAbsent(new Question(name, type), q -> fetcher.query(name, type));
    }

    /**
     * The response to the question, recorded as evidence; waits at most until the lookup's
     * deadline.
     *
     * @throws Unavailable when no response came, or not in time
     */
    Message await(Name name, int type) {
        Message m = waitFor(fetch(name, type), name + "/" + Type.string(type));
        synchronized (evidence) {
            if (recorded.add(new Question(name, type))) {
                evidence.add(new Evidence.Exchange(name, type, m));
            }
        }
        return m;
    }

    /**
     * Waits for {@code future} until the deadline; {@link Unavailable} on failure or when time is
     * up.
     */
    <T> T waitFor(CompletableFuture<T> future, String what) {
        long left = deadlineNanos - System.nanoTime();
        try {
            return left <= 0 && !future.isDone()
                    ? timeout(what)
                    : future.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while waiting for " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            // A fetcher that refused to use upstreams which strip DNSSEC says so; the verdict keeps
            // that apart
            // from a network that failed.
            throw new Unavailable(
                    String.valueOf(cause.getMessage()),
                    cause instanceof Fetcher.NoDnssecPath
                            ? Verdict.Cause.UPSTREAM_NO_DNSSEC
                            : Verdict.Cause.UNAVAILABLE);
        } catch (TimeoutException e) {
            return timeout(what);
        }
    }

    private <T> T timeout(String what) {
        throw new Unavailable("the lookup's deadline passed while waiting for " + what);
    }

    /**
     * Adds exchanges another lookup recorded (a cached key entry's proof) to this lookup's
     * evidence.
     */
    void include(List<Evidence.Exchange> exchanges) {
        synchronized (evidence) {
            for (Evidence.Exchange e : exchanges) {
                if (recorded.add(new Question(e.name(), e.type()))) {
                    evidence.add(e);
                }
            }
        }
    }

    /** The exchanges recorded so far, in the order they were made. */
    List<Evidence.Exchange> exchanges() {
        synchronized (evidence) {
            return List.copyOf(evidence);
        }
    }

    /** Appends this lookup's exchange for the question, if it made one. */
    void addIfRecorded(List<Evidence.Exchange> trail, Name name, int type) {
        synchronized (evidence) {
            for (Evidence.Exchange e : evidence) {
                if (e.name().equals(name) && e.type() == type) {
                    trail.add(e);
                    return;
                }
            }
        }
    }

    /** The answer with the evidence collected so far. */
    Answer answer(
            Name qname,
            int qtype,
            Judgement judgement,
            int rcode,
            List<Record> records,
            List<Record> chain) {
        List<Evidence.Exchange> copy;
        synchronized (evidence) {
            copy = List.copyOf(evidence);
        }
        return new Answer(
                qname,
                qtype,
                judgement.verdict,
                rcode,
                records,
                chain,
                judgement.ttl,
                new Evidence(copy));
    }

    /** An Indeterminate answer because nothing could be fetched. */
    Answer unavailable(Name qname, int qtype, String why) {
        return unavailable(qname, qtype, Verdict.Cause.UNAVAILABLE, why);
    }

    /**
     * An Indeterminate answer because nothing (or nothing from a DNSSEC-capable path) could be
     * fetched.
     */
    Answer unavailable(Name qname, int qtype, Verdict.Cause cause, String why) {
        return answer(
                qname,
                qtype,
                Judgement.indeterminate(cause, why),
                org.xbill.DNS.Rcode.SERVFAIL,
                List.of(),
                List.of());
    }
}
