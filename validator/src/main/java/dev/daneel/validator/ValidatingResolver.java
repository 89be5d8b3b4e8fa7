package dev.daneel.validator;

import dev.daneel.anchors.AnchorStore;
import dev.daneel.anchors.AnchorTracker;
import dev.daneel.anchors.RootAnchorBootstrap;
import dev.daneel.anchors.TrustAnchors;
import dev.daneel.anchors.TrustPointState;
import dev.daneel.validator.internal.Engine;
import dev.daneel.validator.internal.EngineConfig;
import dev.daneel.validator.internal.Fetcher;
import dev.daneel.validator.internal.transport.UpstreamClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/**
 * A validating stub resolver: it sends every question to recursive resolvers with DO=1 and CD=1 and
 * validates the answer itself, from a trust anchor down, never trusting the AD bit. Results are
 * typed ({@link Verdict}): Secure, Insecure (with its {@link InsecureCause}), Bogus (with a {@link
 * Reason} and its RFC 8914 code) or Indeterminate.
 *
 * <pre>{@code
 * try (ValidatingResolver resolver = ValidatingResolver.builder()
 *         .upstream(new InetSocketAddress("127.0.0.1", 5353))
 *         .trustAnchors(TrustAnchors.of(rootDs))
 *         .build()) {
 *     Answer a = resolver.resolve("www.example.test.", Type.A);
 *     switch (a.status()) {
 *         case SECURE -> connect(a.records());
 *         case INSECURE -> connectWithoutDane(a.records());
 *         case BOGUS, INDETERMINATE -> refuse(a.verdict());    // e.g. Bogus[reason=SIGNATURE_EXPIRED,
 *                                                               //   detail=A www.example.test. RRSIG by example.test.
 *                                                               //   key 1289 alg 13: expired 2026-11-14T06:20:22Z, ...]
 *     }
 * }
 * }</pre>
 *
 * <p>Validated DNSKEY/DS entries and answers are cached until their TTL ends (capped by RRSIG
 * original TTL and expiry); the DS queries for every level above a name go out together; identical
 * queries in flight are sent once. The work one lookup may cause is bounded by {@link Limits}.
 *
 * <p>Thread-safe. Configuration is fixed at build time; there is no global state and no system
 * property.
 */
public final class ValidatingResolver implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.daneel.validator.rfc5011");

    /**
     * The background refresh sleeps at most this long, so clock jumps are noticed within an hour.
     */
    private static final Duration MAX_REFRESH_SLEEP = Duration.ofHours(1);

    /**
     * Threads for blocking socket I/O per resolver: enough for every query of several cold lookups
     * at once.
     */
    private static final int MAX_IO_THREADS = 64;

    /**
     * Replaced as a whole (a new engine, empty caches) when RFC 5011 tracking changes the trusted
     * keys.
     */
    private volatile Engine engine;

    private final EngineConfig config;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final ExecutorService io;

    /** The stub's upstream client; null in {@link Mode#RECURSIVE}. */
    private final UpstreamClient client;

    /** The iterative resolver; null in {@link Mode#STUB}. */
    private final dev.daneel.validator.internal.iterator.IterativeResolver recursion;

    private final Mode mode;
    private final Clock clock;
    private final Duration timeout;
    private final AnchorTracker tracker;
    private final AnchorStore store;
    private final ScheduledExecutorService refresher;
    private final TrustAnchors dlvAnchor;
    private final RootAnchorBootstrap bootstrap;

    /** When the automatic bootstrap last ran (guarded by this). */
    private Instant lastBootstrap;

    private ValidatingResolver(Builder b) {
        List<InetSocketAddress> upstreams =
                !b.upstreams.isEmpty() || b.mode == Mode.RECURSIVE
                        ? b.upstreams
                        : UpstreamClient.systemUpstreams();
        if (upstreams.isEmpty() && b.mode != Mode.RECURSIVE) {
            throw new IllegalStateException(
                    "no upstream resolvers: none configured and none in the system configuration");
        }
        this.ownedExecutor =
                b.executor == null
                        ? Executors.newCachedThreadPool(daemonThreads("daneel-validator"))
                        : null;
        this.executor = b.executor != null ? b.executor : ownedExecutor;
        // Idle threads are reused before new ones start (a hand-off queue, no core threads: a fixed
        // pool would start a new thread for each of its first 64 queries, which made a fresh
        // resolver's
        // cold lookups 1.5 times slower); past 64 busy threads the asking thread does the I/O
        // itself.
        this.io =
                new ThreadPoolExecutor(
                        0,
                        MAX_IO_THREADS,
                        30,
                        TimeUnit.SECONDS,
                        new java.util.concurrent.SynchronousQueue<>(),
                        daemonThreads("daneel-dns-io"),
                        new ThreadPoolExecutor.CallerRunsPolicy());
        // The stub's upstreams are probed for what they carry (from the first anchor's DNSKEY
        // RRset), unless
        // the caller turned that off; in RECURSIVE mode there is no stub at all.
        this.client =
                b.mode == Mode.RECURSIVE
                        ? null
                        : new UpstreamClient(
                                upstreams,
                                b.timeout,
                                io,
                                b.tcpOnly,
                                b.probeUpstreams
                                        ? List.copyOf(new java.util.TreeSet<>(b.anchors.zones()))
                                        : List.of());
        this.recursion =
                b.mode == Mode.STUB
                        ? null
                        : dev.daneel.validator.internal.iterator.IterativeResolver.create(
                                iteratorConfig(b, io));
        Fetcher fetcher =
                switch (b.mode) {
                    case STUB -> client;
                    case RECURSIVE -> recursion;
                    case STUB_THEN_RECURSIVE ->
                            new dev.daneel.validator.internal.transport.ModeFetcher(
                                    client, recursion);
                };
        this.clock = b.clock;
        this.timeout = b.timeout;
        this.mode = b.mode;
        this.store = b.store;
        this.dlvAnchor = b.dlvAnchor;
        this.bootstrap = b.bootstrap;
        TrustAnchors anchors = b.anchors;
        if (b.store != null) {
            List<TrustPointState> saved;
            try {
                saved = b.store.load().orElse(List.of());
            } catch (IOException e) {
                close();
                throw new UncheckedIOException(
                        "cannot read the RFC 5011 anchor state "
                                + b.store.file()
                                + ": "
                                + e.getMessage()
                                + " (fix or remove the file; nothing falls back silently)",
                        e);
            }
            this.tracker =
                    AnchorTracker.builder().clock(b.clock).initial(b.anchors).resume(saved).build();
            anchors = trusted(tracker);
        } else {
            this.tracker = null;
        }
        Duration deadline =
                b.deadline != null
                        ? b.deadline
                        : defaultDeadline(b.timeout, Math.max(1, upstreams.size()));
        this.config =
                new EngineConfig(
                        fetcher,
                        withDlv(anchors, b.dlvAnchor),
                        b.clock,
                        b.skew,
                        b.limits,
                        b.cacheSize,
                        deadline,
                        b.dlvDomain,
                        b.aggressiveNsec,
                        b.negativeAnchors,
                        b.hardenAlgorithmDowngrade,
                        b.cacheBytes);
        this.engine = new Engine(config);
        this.refresher =
                b.store != null && b.refreshInBackground
                        ? Executors.newSingleThreadScheduledExecutor(
                                daemonThreads("daneel-rfc5011"))
                        : null;
        if (refresher != null) {
            refresher.execute(this::refreshLoop);
        }
    }

    private static dev.daneel.validator.internal.iterator.IteratorConfig iteratorConfig(
            Builder b, Executor io) {
        var c =
                dev.daneel.validator.internal.iterator.IteratorConfig.builder()
                        .clock(b.clock)
                        .executor(io);
        if (b.rootHints != null) {
            c.rootHints(b.rootHints);
        }
        if (b.authorityPort != 53) {
            c.serverPort(b.authorityPort);
        }
        if (!b.recursionIpv6) {
            c.ipv6(false);
        }
        return c.build();
    }

    /**
     * Probes every upstream now (or returns what a probe found within its expiry: 10 minutes for a
     * capable upstream, 1 for one that strips DNSSEC, 30 s otherwise), as lookups do before using
     * an upstream. Blocks for at most four timeouts per upstream. Empty in {@link Mode#RECURSIVE},
     * which has none.
     *
     * @throws IllegalStateException when the resolver was built with {@code probeUpstreams(false)}
     */
    public List<UpstreamProbe> probeUpstreams() {
        if (client == null) {
            return List.of();
        }
        List<UpstreamProbe> out = new ArrayList<>();
        for (InetSocketAddress u : client.upstreams()) {
            var c = client.capabilities(u);
            out.add(
                    new UpstreamProbe(
                            c.upstream(),
                            UpstreamProbe.Carries.valueOf(c.carries().name()),
                            c.udp(),
                            c.tcp(),
                            c.ednsPayload(),
                            c.doBit(),
                            c.largestTcpAnswer(),
                            c.problems()));
        }
        return out;
    }

    /**
     * Where a lookup would get its data now, judged from {@link #probeUpstreams()}: {@link
     * Mode#STUB} while some upstream carries DNSSEC or may (unknown), {@link Mode#RECURSIVE} when
     * this resolver recurses and none can.
     */
    public Mode currentPath() {
        if (mode == Mode.RECURSIVE) {
            return Mode.RECURSIVE;
        }
        boolean usable =
                probeUpstreams().stream()
                        .anyMatch(
                                p ->
                                        p.carries() == UpstreamProbe.Carries.DNSSEC
                                                || p.carries() == UpstreamProbe.Carries.UNKNOWN);
        return usable || mode == Mode.STUB ? Mode.STUB : Mode.RECURSIVE;
    }

    /** The mode this resolver was built with. */
    public Mode mode() {
        return mode;
    }

    /**
     * Room for every upstream to time out over UDP and TCP at several levels of a chain, and never
     * less than {@link EngineConfig#DEFAULT_DEADLINE}: the deadline only ends waits that would
     * otherwise never end.
     */
    private static Duration defaultDeadline(Duration timeout, int upstreams) {
        Duration worst = timeout.multipliedBy(8L * upstreams);
        return worst.compareTo(EngineConfig.DEFAULT_DEADLINE) > 0
                ? worst
                : EngineConfig.DEFAULT_DEADLINE;
    }

    /** Starts configuring a resolver. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Validates the answer to {@code name}/{@code type}. The stage never completes exceptionally
     * for bad data or a bad network (those are verdicts); bad arguments fail at once, before
     * anything is sent.
     *
     * @throws NullPointerException when {@code name} is null
     * @throws IllegalArgumentException when {@code name} is not absolute, or {@code type} is not a
     *     type one can ask for (0..65535, not OPT, IXFR or AXFR)
     */
    public CompletionStage<Answer> lookup(Name name, int type) {
        Objects.requireNonNull(name, "name");
        if (!name.isAbsolute()) {
            throw new IllegalArgumentException("name must be absolute (end in a dot): " + name);
        }
        checkQuestionType(type);
        Engine current = engine;
        Answer warm = current.cached(name, type);
        if (warm != null) {
            return CompletableFuture.completedFuture(
                    warm); // validated before: no thread hand-off, no lock
        }
        try {
            return CompletableFuture.supplyAsync(() -> current.lookup(name, type), executor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.completedFuture(
                    new Answer(
                            name,
                            type,
                            new Verdict.Indeterminate(
                                    Verdict.Cause.UNAVAILABLE,
                                    "the resolver is closed or its executor refused the lookup"),
                            org.xbill.DNS.Rcode.SERVFAIL,
                            List.of(),
                            List.of(),
                            0,
                            new Evidence(List.of())));
        }
    }

    /**
     * A question type a stub can ask: 0..65535 and not a meta type that only has meaning on a
     * connection.
     */
    static void checkQuestionType(int type) {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException(
                    "type must be a DNS type 0..65535 (e.g. Type.A), got " + type);
        }
        if (type == org.xbill.DNS.Type.OPT
                || type == org.xbill.DNS.Type.IXFR
                || type == org.xbill.DNS.Type.AXFR) {
            throw new IllegalArgumentException(
                    "type " + org.xbill.DNS.Type.string(type) + " cannot be asked of a resolver");
        }
    }

    /** {@link #lookup(Name, int)} for a name in text form (a missing final dot is added). */
    public CompletionStage<Answer> lookup(String name, int type) {
        return lookup(absolute(name), type);
    }

    /** Blocking {@link #lookup(String, int)}. */
    public Answer resolve(String name, int type) {
        return lookup(name, type).toCompletableFuture().join();
    }

    /**
     * Re-verifies recorded {@link Evidence} without any network, as of {@code at}, with the default
     * limits and skew: the same engine, fed only the evidence's responses. Evidence that was Secure
     * then is Secure again as long as its signatures were valid at {@code at}; anything missing
     * from it makes the answer Indeterminate.
     */
    public static Answer verifyOffline(
            Evidence evidence, Name name, int type, TrustAnchors anchors, Instant at) {
        return verifyOffline(
                evidence, name, type, anchors, at, Limits.DEFAULT, Builder.DEFAULT_SKEW);
    }

    /**
     * {@link #verifyOffline(Evidence, Name, int, TrustAnchors, Instant)} with the caller's limits
     * and skew.
     */
    public static Answer verifyOffline(
            Evidence evidence,
            Name name,
            int type,
            TrustAnchors anchors,
            Instant at,
            Limits limits,
            Duration skew) {
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(anchors, "anchors");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(skew, "skew");
        checkQuestionType(type);
        Map<String, Message> byQuestion = new HashMap<>();
        for (Evidence.Exchange e : evidence.exchanges()) {
            byQuestion.put(e.name() + "/" + e.type(), e.response());
        }
        Fetcher replay =
                (n, t) -> {
                    Message m = byQuestion.get(n + "/" + t);
                    return m != null
                            ? CompletableFuture.completedFuture(m)
                            : CompletableFuture.failedFuture(
                                    new IllegalStateException(
                                            n
                                                    + "/"
                                                    + org.xbill.DNS.Type.string(t)
                                                    + " is not in the recorded evidence"));
                };
        // An answer synthesised from cached NSEC/NSEC3 records (aggressiveNsec) carries the
        // negative answers
        // that proved them: validating those first puts the same proven records in the offline
        // engine's cache.
        Engine offline =
                new Engine(
                        EngineConfig.of(replay, anchors, Clock.fixed(at, ZoneOffset.UTC))
                                .withLimits(limits)
                                .withSkew(skew)
                                .withCacheSize(1024)
                                .withAggressiveNsec(true));
        for (Evidence.Exchange e : evidence.exchanges()) {
            boolean other = !(e.name().equals(name) && e.type() == type);
            boolean chainRecord =
                    e.type() == org.xbill.DNS.Type.DS || e.type() == org.xbill.DNS.Type.DNSKEY;
            if (other && !chainRecord && negative(e.response())) {
                offline.lookup(e.name(), e.type());
            }
        }
        return offline.lookup(name, type);
    }

    /**
     * {@link #verifyOffline(Evidence, Name, int, TrustAnchors, Instant, Limits, Duration)} with
     * this resolver's trust anchors (as RFC 5011 tracking left them), limits and skew.
     *
     * @throws IllegalStateException when RFC 5011 tracking has left no trusted anchor
     */
    public Answer verifyOffline(Evidence evidence, Name name, int type, Instant at) {
        TrustAnchors anchors = engine.config().anchors();
        if (anchors == null) {
            throw new IllegalStateException(
                    "this resolver has no trusted anchor left to verify with");
        }
        return verifyOffline(evidence, name, type, anchors, at, config.limits(), config.skew());
    }

    /** NXDOMAIN, or NOERROR without an answer: a response that carries a denial proof. */
    private static boolean negative(Message m) {
        return m.getRcode() == org.xbill.DNS.Rcode.NXDOMAIN
                || m.getRcode() == org.xbill.DNS.Rcode.NOERROR
                        && m.getSection(org.xbill.DNS.Section.ANSWER).isEmpty();
    }

    /**
     * Runs one RFC 5011 refresh now for every tracked zone that is due by the resolver's clock:
     * fetches its DNSKEY RRset, lets the tracker update the key states, persists them when they
     * changed, and from then on validates with the keys the tracker trusts. A resolver built with
     * {@link Builder#trackAnchors(AnchorStore, boolean) background refresh} calls this on the RFC
     * 5011 §2.3 schedule itself; call it directly to drive the schedule (for example under a test
     * clock).
     *
     * @return one result per zone probed
     * @throws IllegalStateException when the resolver does not track anchors
     */
    public List<AnchorTracker.Result> refreshAnchors() {
        if (tracker == null) {
            throw new IllegalStateException(
                    "this resolver does not track its anchors; build it with trackAnchors(store, ...)");
        }
        List<AnchorTracker.Result> results = new ArrayList<>();
        boolean changed = false;
        for (Name zone : tracker.due()) {
            AnchorTracker.Result r;
            try {
                Message m =
                        config.fetcher()
                                .query(zone, org.xbill.DNS.Type.DNSKEY)
                                .get(timeout.toMillis() * 4, TimeUnit.MILLISECONDS);
                RRset keys = null;
                for (RRset set : m.getSectionRRsets(Section.ANSWER)) {
                    if (set.getName().equals(zone) && set.getType() == org.xbill.DNS.Type.DNSKEY) {
                        keys = set;
                    }
                }
                r = keys == null ? tracker.onProbeFailed(zone) : tracker.onDnskeyResponse(keys);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r = tracker.onProbeFailed(zone);
            } catch (ExecutionException | TimeoutException e) {
                r = tracker.onProbeFailed(zone);
            }
            LOG.log(System.Logger.Level.DEBUG, "RFC 5011 refresh of {0}: {1}", zone, r);
            changed |= r.changed();
            results.add(r);
        }
        if (changed) {
            try {
                store.save(tracker.states());
            } catch (IOException e) {
                LOG.log(
                        System.Logger.Level.ERROR,
                        "cannot save the RFC 5011 anchor state to " + store.file(),
                        e);
            }
            engine = new Engine(config.withAnchors(withDlv(trusted(tracker), dlvAnchor)));
        }
        for (AnchorTracker.Result r : results) {
            boolean rootLost =
                    r.outcome() == AnchorTracker.Outcome.NOT_VALIDATED
                            || r.outcome() == AnchorTracker.Outcome.TRUST_POINT_REVOKED;
            if (rootLost && r.zone().equals(Name.root) && bootstrap != null && bootstrapDue()) {
                bootstrapRootAnchors();
            }
        }
        return results;
    }

    /** The automatic bootstrap runs at most this often, whatever fails. */
    private static final Duration BOOTSTRAP_INTERVAL = Duration.ofHours(1);

    private synchronized boolean bootstrapDue() {
        Instant now = clock.instant();
        if (lastBootstrap != null
                && Duration.between(lastBootstrap, now).compareTo(BOOTSTRAP_INTERVAL) < 0) {
            return false;
        }
        lastBootstrap = now;
        return true;
    }

    /**
     * Re-anchors the root from IANA's signed {@code root-anchors.xml} (what {@code unbound-anchor}
     * does), with the {@link Builder#rootAnchorBootstrap bootstrap} this resolver was built with:
     * the file's CMS signature is checked against ICANN's CA, only KeyDigests valid now count, one
     * of them must validate the live root DNSKEY RRset, and the new state is written to the anchor
     * store. A tracking resolver runs this by itself when its RFC 5011 refresh of the root fails to
     * validate (at most once an hour); call it directly after a lookup failed at the root, or from
     * an operator's command. Never trusts an unsigned or wrongly signed file; on failure nothing
     * changes and the result says what to do.
     *
     * @return the bootstrap's result (Success: the resolver now validates with the new anchors)
     * @throws IllegalStateException when the resolver was built without a bootstrap
     */
    public RootAnchorBootstrap.Result bootstrapRootAnchors() {
        if (bootstrap == null) {
            throw new IllegalStateException(
                    "this resolver has no root anchor bootstrap; build it with rootAnchorBootstrap(...)");
        }
        RRset live = null;
        try {
            Message m =
                    config.fetcher()
                            .query(Name.root, org.xbill.DNS.Type.DNSKEY)
                            .get(timeout.toMillis() * 4, TimeUnit.MILLISECONDS);
            for (RRset set : m.getSectionRRsets(Section.ANSWER)) {
                if (set.getName().equals(Name.root)
                        && set.getType() == org.xbill.DNS.Type.DNSKEY
                        && set.size() > 0) {
                    live = set;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "root anchor bootstrap: the root DNSKEY RRset could not be fetched",
                    e);
        }
        if (live == null) {
            return new RootAnchorBootstrap.Failure(
                    RootAnchorBootstrap.Reason.UNREACHABLE,
                    "the root's DNSKEY RRset could not"
                            + " be fetched through the configured upstreams");
        }
        RootAnchorBootstrap.Result r = bootstrap.run(live);
        if (r instanceof RootAnchorBootstrap.Success ok) {
            TrustAnchors now;
            if (tracker != null) {
                ok.states().forEach(tracker::reanchor);
                now = trusted(tracker);
            } else {
                now = replaceRoot(engine.config().anchors(), ok.anchors());
            }
            engine = new Engine(config.withAnchors(withDlv(now, dlvAnchor)));
            LOG.log(
                    System.Logger.Level.INFO,
                    "root anchor bootstrap: re-anchored the root from "
                            + ok.source()
                            + " with "
                            + ok.matched().size()
                            + " key(s)");
        } else {
            LOG.log(System.Logger.Level.WARNING, ((RootAnchorBootstrap.Failure) r).message());
        }
        return r;
    }

    /** {@code current} with its root anchor replaced by {@code root}'s. */
    private static TrustAnchors replaceRoot(TrustAnchors current, TrustAnchors root) {
        List<dev.daneel.anchors.Anchor> all = new ArrayList<>();
        for (Name zone : root.zones()) {
            all.add(root.forZone(zone).orElseThrow());
        }
        if (current != null) {
            for (Name zone : current.zones()) {
                if (!zone.equals(Name.root)) {
                    all.add(current.forZone(zone).orElseThrow());
                }
            }
        }
        return TrustAnchors.fromAnchors(all);
    }

    /** The anchors plus the DLV registry's own anchor, if any. */
    private static TrustAnchors withDlv(TrustAnchors anchors, TrustAnchors dlv) {
        if (dlv == null) {
            return anchors;
        }
        List<dev.daneel.anchors.Anchor> all = new ArrayList<>();
        for (TrustAnchors set : anchors == null ? List.of(dlv) : List.of(anchors, dlv)) {
            for (Name zone : set.zones()) {
                all.add(set.forZone(zone).orElseThrow());
            }
        }
        return TrustAnchors.fromAnchors(all);
    }

    /**
     * The anchors the tracker trusts now, or null when none is left (every answer Indeterminate).
     */
    private static TrustAnchors trusted(AnchorTracker tracker) {
        List<dev.daneel.anchors.Anchor> anchors = tracker.anchors();
        return anchors.isEmpty() ? null : TrustAnchors.fromAnchors(anchors);
    }

    private void refreshLoop() {
        try {
            refreshAnchors();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "RFC 5011 refresh failed; retrying later", e);
        }
        Instant next = null;
        for (TrustPointState s : tracker.states()) {
            Optional<Instant> due = tracker.nextProbe(s.zone());
            if (due.isPresent() && (next == null || due.get().isBefore(next))) {
                next = due.get();
            }
        }
        Duration sleep = next == null ? MAX_REFRESH_SLEEP : Duration.between(clock.instant(), next);
        if (sleep.compareTo(Duration.ofSeconds(1)) < 0) {
            sleep = Duration.ofSeconds(1);
        }
        if (sleep.compareTo(MAX_REFRESH_SLEEP) > 0) {
            sleep = MAX_REFRESH_SLEEP;
        }
        try {
            refresher.schedule(this::refreshLoop, sleep.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
        if (recursion != null) {
            recursion.close();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
        if (io != null) {
            io.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: \"" + name + "\"", e);
        }
    }

    /**
     * Configures a {@link ValidatingResolver}. Every setter checks its argument at once. The trust
     * anchors default to the built-in IANA root anchors; an empty anchor set cannot be built at
     * all.
     */
    public static final class Builder {
        /** Default clock skew allowed on RRSIG validity windows: small, unlike Unbound's day. */
        public static final Duration DEFAULT_SKEW = Duration.ofMinutes(5);

        /** Default per-attempt upstream timeout. */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

        /** Default number of cached key entries and of cached answers. */
        public static final int DEFAULT_CACHE_SIZE = 10_000;

        private final List<InetSocketAddress> upstreams = new ArrayList<>();
        private TrustAnchors anchors;
        private Clock clock = Clock.systemUTC();
        private Executor executor;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration skew = DEFAULT_SKEW;
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private Limits limits = Limits.DEFAULT;
        private boolean tcpOnly;
        private AnchorStore store;
        private boolean refreshInBackground;
        private Name dlvDomain;
        private TrustAnchors dlvAnchor;
        private boolean aggressiveNsec;
        private Duration deadline;
        private final List<NegativeTrustAnchor> negativeAnchors = new ArrayList<>();
        private boolean hardenAlgorithmDowngrade;
        private long cacheBytes = EngineConfig.DEFAULT_CACHE_BYTES;
        private RootAnchorBootstrap bootstrap;
        private Mode mode = Mode.STUB;
        private boolean probeUpstreams = true;
        private dev.daneel.validator.internal.iterator.RootHints rootHints;
        private int authorityPort = 53;
        private boolean recursionIpv6 = true;

        private Builder() {}

        /**
         * Where the data comes from (default {@link Mode#STUB}): the upstreams, recursion from the
         * root hints, or the upstreams with recursion when they cannot serve a question. Recursion
         * sends queries to the root servers and below from this host (UDP and TCP port 53 must be
         * open outbound).
         */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Whether the stub probes each upstream for what it carries before using it (default on).
         * Off, every upstream's answers are validated as they come, and one that strips DNSSEC
         * makes signed names Bogus.
         */
        public Builder probeUpstreams(boolean on) {
            this.probeUpstreams = on;
            return this;
        }

        /**
         * The root servers recursion starts from, in {@code named.root} form (default: IANA's,
         * built in: 13 servers, IPv4 and IPv6). Replace them for a private root or a testbed.
         *
         * @throws java.io.UncheckedIOException when the file cannot be read, or holds no root
         *     server address
         */
        public Builder rootHints(java.nio.file.Path namedRoot) {
            Objects.requireNonNull(namedRoot, "namedRoot");
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(namedRoot)) {
                this.rootHints = dev.daneel.validator.internal.iterator.RootHints.parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read root hints "
                                + namedRoot
                                + ": "
                                + e.getMessage()
                                + " (expected a named.root file: NS records for . and A/AAAA records of those servers)",
                        e);
            }
            return this;
        }

        /**
         * Root servers by address (a testbed's root on loopback, say), named {@code root-0.},
         * {@code root-1.}, ...
         */
        public Builder rootHints(List<InetAddress> addresses) {
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("rootHints needs at least one address");
            }
            List<dev.daneel.validator.internal.iterator.RootHints.Server> servers =
                    new ArrayList<>();
            for (int i = 0; i < addresses.size(); i++) {
                servers.add(
                        new dev.daneel.validator.internal.iterator.RootHints.Server(
                                absolute("root-" + i + "."),
                                List.of(Objects.requireNonNull(addresses.get(i), "address"))));
            }
            this.rootHints = dev.daneel.validator.internal.iterator.RootHints.of(servers);
            return this;
        }

        /**
         * The port recursion sends to at every authoritative server, 1..65535 (default 53).
         * Anything else only makes sense for a testbed whose servers all listen on one other port.
         */
        public Builder authorityPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("authorityPort must be 1..65535, got " + port);
            }
            this.authorityPort = port;
            return this;
        }

        /**
         * Whether recursion may use IPv6 server addresses (default true); off on hosts without IPv6
         * routes.
         */
        public Builder recursionIpv6(boolean on) {
            this.recursionIpv6 = on;
            return this;
        }

        /**
         * Adds a recursive resolver to forward to; tried in order. Default: the system's resolvers.
         */
        public Builder upstream(InetSocketAddress address) {
            upstreams.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /**
         * Adds a recursive resolver written {@code HOST[:PORT]} ({@code 192.0.2.53}, {@code
         * 127.0.0.1:5353}, {@code [::1]:53}), read by {@link HostPort} with port 53 by default, as
         * the {@code daneel} command's {@code --server} and the milter's {@code upstream =} read
         * it.
         *
         * @throws IllegalArgumentException saying what was expected when the text is not an IP
         *     literal with an optional port
         */
        public Builder upstream(String hostPort) {
            return upstream(HostPort.parse(hostPort, 53).socketAddress());
        }

        /** Adds a recursive resolver by IP literal and port. */
        public Builder upstream(String ipLiteral, int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
            byte[] bytes = org.xbill.DNS.Address.toByteArray(ipLiteral, org.xbill.DNS.Address.IPv4);
            if (bytes == null) {
                bytes = org.xbill.DNS.Address.toByteArray(ipLiteral, org.xbill.DNS.Address.IPv6);
            }
            if (bytes == null) {
                throw new IllegalArgumentException(
                        "upstream must be an IPv4 or IPv6 literal, got \"" + ipLiteral + "\"");
            }
            try {
                return upstream(new InetSocketAddress(InetAddress.getByAddress(bytes), port));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("a 4- or 16-octet address is always accepted", e);
            }
        }

        /**
         * The trust anchors to validate from (default: the built-in IANA root anchors, {@link
         * TrustAnchors#builtIn}).
         */
        public Builder trustAnchors(TrustAnchors anchors) {
            this.anchors = Objects.requireNonNull(anchors, "anchors");
            return this;
        }

        /** The clock signatures and TTLs are judged by (default the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where lookups run (default an internal pool of daemon threads). Socket I/O always runs
         * apart.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Per-attempt upstream timeout, 10 ms .. 60 s (default 2 s). */
        public Builder timeout(Duration timeout) {
            if (timeout.compareTo(Duration.ofMillis(10)) < 0
                    || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("timeout must be 10 ms .. 60 s, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Clock skew allowed on signature validity windows, 0 .. 1 day (default 5 minutes). */
        public Builder signatureSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("signatureSkew must be 0 .. 1 day, got " + skew);
            }
            this.skew = skew;
            return this;
        }

        /** Entries in each of the key and answer caches, 16 .. 10,000,000 (default 10,000). */
        public Builder cacheSize(int entries) {
            if (entries < 16 || entries > 10_000_000) {
                throw new IllegalArgumentException(
                        "cacheSize must be 16..10000000, got " + entries);
            }
            this.cacheSize = entries;
            return this;
        }

        /**
         * The estimated memory the answer cache may hold, 1 MiB .. 16 GiB (default 64 MiB); the
         * raw-response cache gets a quarter of it. Answers from a zone an attacker controls can be
         * 28–64 KB each, so the entry bound of {@link #cacheSize} alone would allow hundreds of
         * megabytes; least recently used answers go first when either bound is reached.
         */
        public Builder cacheBytes(long bytes) {
            if (bytes < (1L << 20) || bytes > (16L << 30)) {
                throw new IllegalArgumentException(
                        "cacheBytes must be 1 MiB .. 16 GiB, got " + bytes);
            }
            this.cacheBytes = bytes;
            return this;
        }

        /** Work limits per lookup (default {@link Limits#DEFAULT}). */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Tracks the trust anchors with RFC 5011, their state kept in {@code store} (read at build
         * time, written when it changes). With {@code refreshInBackground} a daemon thread
         * refreshes every anchored zone on the RFC 5011 §2.3 schedule until {@link
         * ValidatingResolver#close()}; without it, the caller drives the schedule with {@link
         * ValidatingResolver#refreshAnchors()}.
         */
        public Builder trackAnchors(AnchorStore store, boolean refreshInBackground) {
            this.store = Objects.requireNonNull(store, "store");
            this.refreshInBackground = refreshInBackground;
            return this;
        }

        /**
         * Turns on DLV lookaside (RFC 4431, RFC 5074), off by default. DLV is Historic (RFC 8749)
         * and the public registry is gone; it still serves a private registry, or zones whose
         * parent will not take a DS. When a chain ends at an unsigned delegation, the resolver
         * looks for the closest enclosing zone's DLV record under {@code domain} (a validated
         * lookup, from {@code registryAnchor}) and uses it as that zone's DS; such answers say
         * {@link Verdict.Secure#viaDlv()}.
         */
        public Builder dlv(String domain, TrustAnchors registryAnchor) {
            Name name = absolute(domain);
            if (registryAnchor.closestEnclosing(name).isEmpty()) {
                throw new IllegalArgumentException(
                        "the DLV registry anchor must cover "
                                + name
                                + "; it covers "
                                + registryAnchor.zones());
            }
            this.dlvDomain = name;
            this.dlvAnchor = registryAnchor;
            return this;
        }

        /**
         * Turns on aggressive use of validated NSEC and NSEC3 records (RFC 8198), off by default: a
         * name that falls in a cached, validated span (with its wildcard denied too) is answered as
         * a Secure NXDOMAIN, and a name whose cached record lacks the type as a Secure NODATA,
         * without asking upstream, until the records' TTL (capped by the SOA minimum and the
         * signatures' expiry) ends. Opt-out spans never answer; NSEC3 is used for names at most 16
         * labels below their zone (its hashes count against {@link Limits#maxNsec3Hashes()}). As
         * many records are kept as {@link #cacheSize} entries. Answers synthesised this way list
         * the exchanges that proved the records as evidence, and {@link #verifyOffline} re-derives
         * them from those.
         */
        public Builder aggressiveNsec() {
            this.aggressiveNsec = true;
            return this;
        }

        /**
         * The longest one lookup may wait for the network, all its queries together, 100 ms .. 10
         * min. Default: eight per-attempt timeouts per upstream, at least 30 s. When it passes the
         * answer is Indeterminate; no lookup ever waits longer.
         */
        public Builder lookupDeadline(Duration deadline) {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.compareTo(Duration.ofMillis(100)) < 0
                    || deadline.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException(
                        "lookupDeadline must be 100 ms .. 10 min, got " + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        /**
         * Adds a negative trust anchor (RFC 7646): names at and below {@code zone} are Insecure
         * (cause {@link InsecureCause#NEGATIVE_TRUST_ANCHOR}) until {@code expiry}, for an internal
         * zone that is unsigned below a signed public parent. Answers under it are cached no longer
         * than it lives, aggressive NSEC never answers under it, and nothing under it is ever
         * Secure. Validation comes back on by itself at the expiry.
         */
        public Builder negativeTrustAnchor(String zone, Instant expiry) {
            Objects.requireNonNull(expiry, "expiry");
            negativeAnchors.add(
                    new NegativeTrustAnchor(
                            absolute(Objects.requireNonNull(zone, "zone")), expiry));
            return this;
        }

        /**
         * Hardens against algorithm downgrades (Unbound's harden-algo-downgrade), off by default as
         * RFC 6840 §5.11 allows: the DNSKEY RRset (and the trust anchor's key set) must be signed
         * with every algorithm its DS set or anchor lists, and a SHA-1 DS beside a stronger one is
         * never used (RFC 4509 §3). Off, one verified algorithm suffices and a signed SHA-1 DS is
         * used when no stronger DS names a key.
         */
        public Builder hardenAlgorithmDowngrade() {
            this.hardenAlgorithmDowngrade = true;
            return this;
        }

        /**
         * Lets the resolver re-anchor the root from IANA's signed {@code root-anchors.xml} when no
         * trusted key validates the root any more (a machine that slept through a key roll), off by
         * default in the library because it fetches over HTTPS. See {@link
         * ValidatingResolver#bootstrapRootAnchors()}; give the bootstrap the same {@link
         * AnchorStore} as {@link #trackAnchors} so the new state persists.
         */
        public Builder rootAnchorBootstrap(RootAnchorBootstrap bootstrap) {
            this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
            return this;
        }

        /** Query upstreams over TCP only. */
        public Builder tcpOnly() {
            this.tcpOnly = true;
            return this;
        }

        /**
         * Builds the resolver. Without {@link #trustAnchors}, the built-in root anchors valid at
         * the configured clock are used; there is never a resolver without an anchor.
         */
        public ValidatingResolver build() {
            if (anchors == null) {
                anchors = TrustAnchors.builtIn(clock);
            }
            return new ValidatingResolver(this);
        }
    }
}
