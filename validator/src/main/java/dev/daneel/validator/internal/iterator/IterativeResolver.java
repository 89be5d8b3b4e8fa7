package dev.daneel.validator.internal.iterator;

import dev.daneel.validator.internal.Fetcher;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * A recursive resolver inside the library: it answers a question by asking the authoritative
 * servers itself, from the root down, and returns the response a recursive resolver asked with DO=1
 * and CD=1 would give: the answer with its RRSIGs, the CNAME/DNAME chain assembled across zones,
 * the SOA and NSEC/NSEC3 proofs of a negative answer, a DS from the parent's side of the cut and a
 * DNSKEY from the zone's own servers. It validates nothing and sets no AD bit; the validator that
 * uses it as its {@link Source} trusts nothing it returns.
 *
 * <pre>{@code
 * try (IterativeResolver iterator = IterativeResolver.create(IteratorConfig.builder().build())) {
 *     Message m = iterator.query(Name.fromString("www.example.com."), Type.A).join();
 * }
 * // a lookup that cannot finish fails with IteratorException, e.g.
 * //   reason NS_NAMES_PER_DELEGATION_LIMIT: "victim.example./A: the servers of example. have 5 NS names
 * //   without glue resolved and none answered; the limit is 5 (nsNamesPerDelegation, NXNSAttack CVE-2020-12662)"
 * }</pre>
 *
 * <p>How it works (after Unbound's iterator): the root's NS RRset is primed from the hints;
 * referrals are followed from the closest cached delegation, with everything a server says outside
 * its zone dropped ({@link Scrubber}, RFC 2181 §5.4.1) before it is cached; NS names without glue
 * are resolved, within limits; servers are chosen by smoothed RTT with random exploration ({@link
 * InfraCache}); lame and unresponsive servers are skipped; queries go with RD=0, EDNS0 (DO=1,
 * payload 1232), a fresh random ID and a fresh source port, over UDP, and over TCP when the answer
 * is truncated or UDP timed out; QNAME minimisation follows RFC 9156 in relaxed mode; negative
 * answers are cached as RFC 2308 says.
 *
 * <p>Servers whose data fail validation: {@link #resolve} says which servers gave each part of a
 * response; {@link #markBogus} sets one aside for its zone (and forgets what it gave), so that
 * asking again reaches the zone's other servers. When every server of a zone is set aside they are
 * asked anyway and the answer fails validation again: then it is Bogus.
 *
 * <p>Thread-safe. No global state: caches and counters belong to the instance. The same question
 * asked while it is being resolved shares the lookup. {@link #close()} ends lookups in flight.
 */
public final class IterativeResolver implements Fetcher, AutoCloseable {

    /**
     * The EDNS UDP payload size advertised: the DNS Flag Day 2020 value, no IP fragments on a 1280
     * MTU.
     */
    static final int EDNS_PAYLOAD = 1232;

    private record Question(Name name, int type) {}

    final IteratorConfig config;
    final RRsetCache rrsets;
    final MessageCache messages;
    final InfraCache infra;

    /** IDs must not be guessable (RFC 5452 §4.3); SecureRandom is thread-safe. */
    final SecureRandom random = new SecureRandom();

    final AtomicLong queries = new AtomicLong();
    final AtomicLong tcpQueries = new AtomicLong();
    final Transport transport;
    private final Transport ownedTransport;
    private final Executor executor;
    private final ExecutorService owned;
    private final ConcurrentHashMap<Question, CompletableFuture<Resolution>> inFlight =
            new ConcurrentHashMap<>();
    volatile boolean closed;

    private IterativeResolver(IteratorConfig config) {
        this.config = config;
        this.rrsets = new RRsetCache(config.clock(), config.cacheSize());
        this.messages = new MessageCache(config.clock(), config.cacheSize());
        this.infra = new InfraCache(config.clock(), config.unknownServerTimeout());
        this.ownedTransport = config.transport() == null ? new NetworkTransport() : null;
        this.transport = config.transport() == null ? ownedTransport : config.transport();
        if (config.executor() != null) {
            this.executor = config.executor();
            this.owned = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            this.owned =
                    Executors.newCachedThreadPool(
                            r -> {
                                Thread t = new Thread(r, "daneel-iterator-" + n.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
            this.executor = owned;
        }
    }

    /** A resolver with its own caches. */
    public static IterativeResolver create(IteratorConfig config) {
        return new IterativeResolver(Objects.requireNonNull(config, "config"));
    }

    /**
     * The response to {@code name}/{@code type}/IN, as a recursive resolver asked with DO=1 and
     * CD=1 gives it, or a future failed with an {@link IteratorException}.
     */
    @Override
    public CompletableFuture<Message> query(Name name, int type) {
        return resolve(name, type).thenApply(Resolution::response);
    }

    /**
     * Like {@link #query}, and says which servers gave the data.
     *
     * @param name an absolute name
     * @param type a {@link Type} constant
     */
    public CompletableFuture<Resolution> resolve(Name name, int type) {
        Objects.requireNonNull(name, "name");
        if (!name.isAbsolute()) {
            throw new IllegalArgumentException(
                    "name must be absolute (end with a dot), got " + name);
        }
        Type.check(type);
        if (closed) {
            return CompletableFuture.failedFuture(
                    new IteratorException(
                            IteratorException.Reason.CLOSED,
                            name + "/" + Type.string(type) + ": the iterative resolver is closed"));
        }
        Question q = new Question(name, type);
        CompletableFuture<Resolution> mine = new CompletableFuture<>();
        CompletableFuture<Resolution> running = inFlight.putIfAbsent(q, mine);
        if (running != null) {
            return running.thenApply(r -> new Resolution(r.response().clone(), r.hops()));
        }
        mine.whenComplete((r, e) -> inFlight.remove(q, mine));
        try {
            executor.execute(
                    () -> {
                        try {
                            mine.complete(new Walk(this).lookup(name, type));
                        } catch (IteratorException e) {
                            mine.completeExceptionally(e);
                        } catch (RuntimeException | Error e) {
                            mine.completeExceptionally(e); // the future must end whatever happens
                            if (e instanceof Error) {
                                throw e;
                            }
                        }
                    });
        } catch (RejectedExecutionException e) {
            IteratorException failure =
                    new IteratorException(
                            IteratorException.Reason.CLOSED,
                            name + "/" + Type.string(type) + ": the executor refused the lookup");
            failure.initCause(e);
            mine.completeExceptionally(failure);
        }
        return mine.thenApply(r -> new Resolution(r.response().clone(), r.hops()));
    }

    /**
     * Sets {@code server} aside as a server of {@code zone} for 15 minutes, because data it gave
     * for the zone failed validation, and forgets the cached responses that hold its data. Later
     * lookups ask the zone's other servers (unless all of them are set aside). The zone is the one
     * a {@link Resolution.Hop} names: for a DS record, the parent's.
     */
    public void markBogus(Name zone, InetAddress server) {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(server, "server");
        infra.markBogus(zone, server);
        messages.forget(zone, server);
        rrsets.forget(zone, server);
    }

    /** Queries sent to authoritative servers so far (UDP and TCP). */
    public long queriesSent() {
        return queries.get();
    }

    /** Of {@link #queriesSent()}, those sent over TCP. */
    public long tcpQueriesSent() {
        return tcpQueries.get();
    }

    /**
     * Ends lookups in flight (they fail with {@link IteratorException.Reason#CLOSED}); an owned
     * executor is shut down.
     */
    @Override
    public void close() {
        closed = true;
        if (ownedTransport != null) {
            ownedTransport.close();
        }
        if (owned != null) {
            owned.shutdownNow();
        }
    }
}
