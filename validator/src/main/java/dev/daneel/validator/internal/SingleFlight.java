package dev.daneel.validator.internal;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A {@link Fetcher} in front of another that sends each question once while it is in flight and
 * keeps the unvalidated response briefly, so lookups racing just behind a finished fetch reuse it.
 * Safe because every use validates the response anew. Every future it hands out completes: a
 * fetcher that throws, or returns null, becomes a failed future, and the question leaves the
 * in-flight map whatever happens.
 *
 * <p>Thread-safe; no lock is held while the inner fetcher works.
 */
final class SingleFlight implements Fetcher {

    /**
     * The longest an unvalidated upstream response is reused: the bad-data memory (RFC 4035 §4.7),
     * so that nothing unvalidated outlives what a failed validation is remembered for.
     */
    static final long MAX_RESPONSE_TTL = KeyEntry.BOGUS_TTL_SECONDS;

    private final Fetcher inner;
    private final long maxWaitMillis;
    private final TtlCache<LookupState.Question, Message> responses;
    private final ConcurrentHashMap<LookupState.Question, CompletableFuture<Message>> inflight =
            new ConcurrentHashMap<>();

    /**
     * @param maxWait how long a question may stay in flight: a fetcher that never completes its
     *     future is given up on after this, so the question leaves the in-flight map
     */
    SingleFlight(
            Fetcher inner,
            Clock clock,
            int cacheSize,
            long cacheBytes,
            java.time.Duration maxWait) {
        this.inner = inner;
        this.maxWaitMillis = Math.max(1, maxWait.toMillis());
        this.responses =
                new TtlCache<>(
                        clock, cacheSize, cacheBytes, m -> 3L * Math.max(0, m.numBytes()) + 256);
    }

    @Override
    public CompletableFuture<Message> query(Name name, int type) {
        LookupState.Question q = new LookupState.Question(name, type);
        TtlCache.Hit<Message> cached = responses.get(q);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached.value());
        }
        CompletableFuture<Message> mine = new CompletableFuture<>();
        CompletableFuture<Message> existing = inflight.putIfAbsent(q, mine);
        if (existing != null) {
            return existing;
        }
        // A fetch may have finished between the cache check and putIfAbsent: it caches before it
        // leaves
        // the in-flight map, so looking again closes the gap.
        TtlCache.Hit<Message> late = responses.get(q);
        if (late != null) {
            inflight.remove(q, mine);
            mine.complete(late.value());
            return mine;
        }
        CompletableFuture<Message> sent;
        try {
            sent = inner.query(name, type);
            if (sent == null) {
                sent =
                        CompletableFuture.failedFuture(
                                new IllegalStateException(
                                        "the fetcher returned no future for " + q));
            }
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.copy()
                .orTimeout(maxWaitMillis, java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete(
                        (m, e) -> {
                            if (e == null) {
                                responses.put(
                                        q,
                                        m,
                                        responseTtl(
                                                m)); // before leaving the in-flight map: no gap to
                                // race into
                            }
                            inflight.remove(q, mine);
                            if (e == null && m == null) {
                                mine.completeExceptionally(
                                        new IllegalStateException(
                                                "the fetcher completed "
                                                        + q
                                                        + " with no response"));
                            } else if (e instanceof java.util.concurrent.TimeoutException) {
                                mine.completeExceptionally(
                                        new java.util.concurrent.TimeoutException(
                                                "no response to "
                                                        + q
                                                        + " within the lookup deadline of "
                                                        + maxWaitMillis
                                                        + " ms"));
                            } else if (e != null) {
                                mine.completeExceptionally(e);
                            } else {
                                mine.complete(m);
                            }
                        });
        return mine;
    }

    /**
     * Forgets the raw response to {@code q}: a validated answer (which keeps it as evidence)
     * replaces it.
     */
    void forget(LookupState.Question q) {
        responses.remove(q);
    }

    /** Questions in flight right now (for tests of the single-flight guarantee). */
    int inFlight() {
        return inflight.size();
    }

    /**
     * The smallest TTL in the answer and authority sections, capped; 0 (not kept) for empty or
     * failed responses.
     */
    private static long responseTtl(Message m) {
        if (m == null || m.getRcode() != Rcode.NOERROR && m.getRcode() != Rcode.NXDOMAIN) {
            return 0;
        }
        long ttl = MAX_RESPONSE_TTL;
        boolean any = false;
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (Record r : m.getSection(section)) {
                ttl = Math.min(ttl, r.getTTL());
                any = true;
            }
        }
        return any ? ttl : 0;
    }
}
