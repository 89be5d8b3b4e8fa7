package dev.daneel.validator.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.World;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Limits;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import dev.daneel.validator.internal.Engine;
import dev.daneel.validator.internal.EngineConfig;
import dev.daneel.validator.internal.Fetcher;
import dev.daneel.validator.internal.transport.WireMutations.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Fuzzing the validator with hostile upstream responses: genuine responses of a signed world,
 * recorded once, are damaged ({@link WireMutations}: bit flips, truncation, wrong counts,
 * compression loops, huge or malformed RDATA, shuffled records, random tails and invented records)
 * and fed through the path a UDP answer takes: {@link ResponseMatcher#check} (parse, then ID and
 * question match, exactly what {@code UpstreamClient} runs on every datagram), the client's rcode
 * and TC rules, then a cold {@link Engine} (the whole lookup: chain fetching, DS/DNSKEY,
 * signatures, denial proofs, CNAME chains). Only the socket is left out, so that 100,000 cases fit
 * in about a minute; the same damage over real loopback UDP runs in {@code HostileUpstreamTest}.
 *
 * <p>Every case must end in a typed answer (no exception), and an answer may only be Secure when it
 * says exactly what the genuine, Secure answer said: same rcode, same records, same CNAME chain.
 */
class HostileResponseProperties {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    record Question(Name name, int type) {
        @Override
        public String toString() {
            return name + "/" + Type.string(type);
        }
    }

    /** A genuine cold lookup: its answer and every response the engine asked for, in order. */
    record Genuine(
            Question question,
            Answer answer,
            Map<Question, Message> responses,
            List<Question> asked,
            Map<Question, byte[]> wire) {
        Genuine(Question question, Answer answer, Map<Question, Message> responses) {
            this(
                    question,
                    answer,
                    responses,
                    List.copyOf(responses.keySet()),
                    wireForms(responses));
        }

        private static Map<Question, byte[]> wireForms(Map<Question, Message> responses) {
            Map<Question, byte[]> out = new LinkedHashMap<>();
            responses.forEach((q, m) -> out.put(q, m.toWire()));
            return out;
        }
    }

    /**
     * One fuzz case: which lookup, which of its responses is damaged, how, and the seed of the
     * damage.
     */
    record Case(int lookup, int exchange, Kind kind, long seed) {}

    /** What the fuzzing starts from: the anchors and the genuine lookups. */
    record Recording(TrustAnchors anchors, List<Genuine> lookups) {}

    /**
     * Recorded once, on first use (a holder class; its initializer only calls {@link #record()}).
     */
    static final class Recorded {
        static final Recording RECORDING = record();
        static final TrustAnchors ANCHORS = RECORDING.anchors();
        static final List<Genuine> LOOKUPS = RECORDING.lookups();
    }

    /**
     * The recorded world: zones directly under the root, RSA-1024 (fast to verify, so more cases
     * per second) and one ECDSA P-256 zone; NSEC and NSEC3, wildcard, CNAME, empty non-terminal,
     * unsigned and tampered. Lambdas live out here, not in the holder's initializer: I/O threads
     * running them would otherwise wait for that initializer to finish, and it waits for them.
     */
    static Recording record() {
        List<Genuine> lookups = new ArrayList<>();
        try (World world =
                World.builder()
                        .clock(CLOCK)
                        .zone(".", z -> z.algorithm(8).rsaKeyBits(1024))
                        .zone(
                                "secure.",
                                z ->
                                        z.algorithm(8)
                                                .rsaKeyBits(1024)
                                                .nsec()
                                                .record(
                                                        "www A 192.0.2.1\nwww A 192.0.2.2\n"
                                                                + "mail MX 10 www\n*.wild TXT \"w\"\nalias CNAME www.hashed.\nsub.ent TXT \"e\""))
                        .zone(
                                "hashed.",
                                z ->
                                        z.algorithm(13)
                                                .nsec3(0, "", false)
                                                .record("www AAAA 2001:db8::1\nwww A 192.0.2.3"))
                        .zone("unsigned.", z -> z.unsigned().record("www A 192.0.2.4"))
                        .zone(
                                "tampered.",
                                z ->
                                        z.algorithm(8)
                                                .rsaKeyBits(1024)
                                                .record("www A 192.0.2.5")
                                                .breakRRset(
                                                        "www",
                                                        Type.A,
                                                        dev.daneel.testkit.Breakage.TAMPERED_DATA))
                        .start()) {
            world.signAll();
            TrustAnchors anchors = TrustAnchors.of(world.trustAnchors());
            ExecutorService io = Executors.newCachedThreadPool();
            try (UpstreamClient client =
                    new UpstreamClient(
                            List.of(world.address()), Duration.ofSeconds(5), io, false)) {
                for (Question q :
                        List.of(
                                q("www.secure.", Type.A),
                                q("nope.secure.", Type.A),
                                q("www.secure.", Type.TXT),
                                q("ent.secure.", Type.A),
                                q("x.wild.secure.", Type.TXT),
                                q("alias.secure.", Type.A),
                                q("www.hashed.", Type.AAAA),
                                q("nope.hashed.", Type.A),
                                q("www.hashed.", Type.MX),
                                q("www.unsigned.", Type.A),
                                q("www.tampered.", Type.A))) {
                    Map<Question, Message> seen = new LinkedHashMap<>();
                    Fetcher recorder =
                            (name, type) ->
                                    client.query(name, type)
                                            .thenApply(
                                                    m -> {
                                                        synchronized (seen) {
                                                            seen.put(new Question(name, type), m);
                                                        }
                                                        return m;
                                                    });
                    Answer a =
                            new Engine(
                                            EngineConfig.of(recorder, anchors, CLOCK)
                                                    .withSkew(
                                                            ValidatingResolver.Builder.DEFAULT_SKEW)
                                                    .withLimits(Limits.DEFAULT)
                                                    .withCacheSize(64))
                                    .lookup(q.name(), q.type());
                    synchronized (seen) {
                        lookups.add(new Genuine(q, a, new LinkedHashMap<>(seen)));
                    }
                }
            } finally {
                io.shutdownNow();
            }
            return new Recording(anchors, lookups);
        }
    }

    private static Question q(String name, int type) {
        return new Question(Name.fromConstantString(name), type);
    }

    private static final AtomicLong CASES = new AtomicLong();
    private static final Map<Kind, AtomicLong> SECURE_BY_KIND = new EnumMap<>(Kind.class);
    private long started;

    @BeforeProperty
    void startClock() {
        if (Recorded.LOOKUPS.isEmpty()) { // records outside the measured time
            throw new IllegalStateException("nothing was recorded to damage");
        }
        CASES.set(0);
        started = System.nanoTime();
    }

    @AfterProperty
    void report() {
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "fuzz: %,d hostile responses through ResponseMatcher + Engine in %.1f s (%,.0f per second);"
                        + " Secure (unchanged meaning) by damage: %s%n",
                CASES.get(), seconds, CASES.get() / seconds, SECURE_BY_KIND);
    }

    @Test
    void genuineLookupsGiveTheVerdictsTheFuzzingStartsFrom() {
        List<Status> verdicts = Recorded.LOOKUPS.stream().map(g -> g.answer().status()).toList();
        assertEquals(
                List.of(
                        Status.SECURE,
                        Status.SECURE,
                        Status.SECURE,
                        Status.SECURE,
                        Status.SECURE,
                        Status.SECURE,
                        Status.SECURE,
                        Status.SECURE,
                        Status.SECURE,
                        Status.INSECURE,
                        Status.BOGUS),
                verdicts,
                Recorded.LOOKUPS.stream().map(g -> g.answer().toString()).toList().toString());
    }

    @Property(tries = 100_000)
    void hostileResponsesEndInATypedAnswerAndNeverMakeAlteredDataSecure(@ForAll("cases") Case c) {
        Genuine g = Recorded.LOOKUPS.get(c.lookup() % Recorded.LOOKUPS.size());
        Question target = g.asked().get(c.exchange() % g.asked().size());
        Message original = g.responses().get(target);
        byte[] damaged = WireMutations.apply(c.kind(), original, g.wire().get(target), c.seed());
        Fetcher source =
                (name, type) -> {
                    Question q = new Question(name, type);
                    if (q.equals(target)) {
                        return deliver(original, damaged);
                    }
                    Message m = g.responses().get(q);
                    return m != null
                            ? CompletableFuture.completedFuture(m)
                            : CompletableFuture.failedFuture(
                                    new UpstreamException("not recorded: " + q, List.of()));
                };
        Answer a =
                new Engine(
                                EngineConfig.of(source, Recorded.ANCHORS, CLOCK)
                                        .withSkew(ValidatingResolver.Builder.DEFAULT_SKEW)
                                        .withLimits(Limits.DEFAULT)
                                        .withCacheSize(16))
                        .lookup(g.question().name(), g.question().type());
        CASES.incrementAndGet();
        assertNotNull(a);
        assertNotNull(a.verdict());
        Statistics.label("verdict").collect(a.status());
        if (a.verdict() instanceof Verdict.Secure) {
            Answer truth = g.answer();
            String why =
                    c
                            + " damaged "
                            + target
                            + " and the answer is Secure: "
                            + a
                            + "; genuine: "
                            + truth;
            if (truth.status() == Status.BOGUS
                    && g.question().name().equals(Name.fromConstantString("www.tampered."))
                    && a.records().size() == 1
                    && a.records().get(0).rdataToString().equals("192.0.2.5")) {
                return; // the damage flipped the tampered bit back: the zone's own signed record,
                // rightly Secure
            }
            assertEquals(Status.SECURE, truth.status(), why);
            assertEquals(truth.rcode(), a.rcode(), why);
            assertEquals(new HashSet<>(truth.records()), new HashSet<>(a.records()), why);
            assertEquals(truth.chain(), a.chain(), why);
            synchronized (SECURE_BY_KIND) {
                SECURE_BY_KIND.computeIfAbsent(c.kind(), k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    /** What UpstreamClient does with one datagram from its only upstream. */
    static CompletableFuture<Message> deliver(Message original, byte[] damaged) {
        Message query = new Message(original.getHeader().getID());
        query.getHeader().setFlag(Flags.RD);
        query.getHeader().setFlag(Flags.CD);
        query.addRecord(original.getQuestion(), Section.QUESTION);
        ResponseMatcher.Verdict v = ResponseMatcher.check(query, damaged, damaged.length);
        if (!v.accepted()) {
            // ignored; the client keeps listening until its timeout
            return CompletableFuture.failedFuture(
                    new UpstreamException("timeout after ignoring: " + v.rejection(), List.of()));
        }
        Message r = v.response();
        if (r.getHeader().getFlag(Flags.TC)) {
            return CompletableFuture.failedFuture(
                    new UpstreamException(
                            "truncated; the TCP repeat is not fuzzed here", List.of()));
        }
        int rcode = r.getRcode();
        if (rcode == Rcode.REFUSED
                || rcode == Rcode.NOTIMP
                || rcode == Rcode.FORMERR
                || rcode == Rcode.BADVERS) {
            return CompletableFuture.failedFuture(
                    new UpstreamException(Rcode.string(rcode), List.of()));
        }
        return CompletableFuture.completedFuture(r);
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 1_000),
                        Arbitraries.integers().between(0, 1_000),
                        Arbitraries.of(Kind.class),
                        Arbitraries.longs())
                .as(Case::new);
    }
}
