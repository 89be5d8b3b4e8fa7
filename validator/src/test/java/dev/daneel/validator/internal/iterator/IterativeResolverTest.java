package dev.daneel.validator.internal.iterator;

import static dev.daneel.validator.internal.iterator.PlayedNetwork.inet;
import static dev.daneel.validator.internal.iterator.PlayedNetwork.name;
import static dev.daneel.validator.internal.iterator.PlayedNetwork.referral;
import static dev.daneel.validator.internal.iterator.PlayedNetwork.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The iterative resolver's rules, against servers played in process ({@link PlayedNetwork}): what
 * it sends, where it sends it, what it keeps, and how every lookup ends within its limits.
 */
class IterativeResolverTest {

    private static final String ROOT = "10.0.0.1";
    private static final String EXAMPLE = "10.0.0.2";
    private static final String ORG = "10.0.0.3";

    /** A root on 10.0.0.1 that delegates example. to 10.0.0.2 and org. to 10.0.0.3. */
    private static PlayedNetwork.Server root() {
        Map<String, Function<Message, Message>> rules = new LinkedHashMap<>();
        rules.put(
                ".",
                q ->
                        q.getQuestion().getName().equals(name("."))
                                        && q.getQuestion().getType() == Type.NS
                                ? reply(
                                        true,
                                        Rcode.NOERROR,
                                        "an: . 3600 IN NS a.root.",
                                        "ar: a.root. 3600 IN A " + ROOT)
                                : reply(
                                        true,
                                        Rcode.NXDOMAIN,
                                        "ns: . 3600 IN SOA a.root. h.root. 1 3600 600 86400 300"));
        rules.put(
                "example.",
                q ->
                        q.getQuestion().getName().equals(name("example."))
                                        && q.getQuestion().getType() == Type.DS
                                ? reply(
                                        true,
                                        Rcode.NOERROR,
                                        "an: example. 3600 IN DS 1 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
                                : referral("example.", "ns.example.=" + EXAMPLE));
        rules.put("org.", q -> referral("org.", "ns.org.=" + ORG));
        return PlayedNetwork.byName(rules);
    }

    /** example.'s server: www A, a NODATA for TXT, and whatever {@code more} adds. */
    private static PlayedNetwork.Server example(Map<String, Function<Message, Message>> more) {
        Map<String, Function<Message, Message>> rules = new LinkedHashMap<>();
        rules.put(
                "example.",
                q -> {
                    String n = q.getQuestion().getName().toString();
                    int t = q.getQuestion().getType();
                    if (n.equals("www.example.") && t == Type.A) {
                        return reply(true, Rcode.NOERROR, "an: www.example. 300 IN A 192.0.2.1");
                    }
                    if (n.equals("www.example.") || n.equals("example.")) {
                        return reply(
                                true,
                                Rcode.NOERROR,
                                "ns: example. 3600 IN SOA ns.example. h.example. 1 3600 600 86400 60");
                    }
                    return reply(
                            true,
                            Rcode.NXDOMAIN,
                            "ns: example. 3600 IN SOA ns.example. h.example. 1 3600 600 86400 60");
                });
        rules.putAll(more);
        return PlayedNetwork.byName(rules);
    }

    private static PlayedNetwork network() {
        return new PlayedNetwork().serve(ROOT, root()).serve(EXAMPLE, example(Map.of()));
    }

    private static IteratorConfig.Builder config(PlayedNetwork net) {
        return IteratorConfig.builder()
                .rootHints(
                        RootHints.of(
                                List.of(
                                        new RootHints.Server(
                                                name("a.root."), List.of(inet(ROOT))))))
                .transport(net)
                .executor(Runnable::run);
    }

    private static IteratorException failure(IterativeResolver it, String qname, int type) {
        CompletionException e =
                assertThrows(CompletionException.class, () -> it.query(name(qname), type).join());
        return assertInstanceOf(IteratorException.class, e.getCause());
    }

    @Test
    void queriesGoWithoutRecursionWithDoAndFreshIds() {
        PlayedNetwork net = network();
        try (IterativeResolver it = IterativeResolver.create(config(net).build())) {
            Message m = it.query(name("www.example."), Type.A).join();
            assertEquals(Rcode.NOERROR, m.getRcode());
            assertEquals("192.0.2.1", m.getSection(Section.ANSWER).get(0).rdataToString());
            Set<Integer> ids = new HashSet<>();
            for (PlayedNetwork.Sent s : net.log()) {
                assertFalse(
                        s.query().getHeader().getFlag(Flags.RD), "RD=0 towards authorities: " + s);
                OPTRecord opt = s.query().getOPT();
                assertTrue(
                        opt != null
                                && (opt.getFlags() & ExtendedFlags.DO) != 0
                                && opt.getPayloadSize() == 1232,
                        "EDNS0, DO=1, 1232 octets: " + s);
                ids.add(s.query().getHeader().getID());
            }
            assertTrue(net.log().size() >= 3 && ids.size() > 1, "fresh IDs: " + ids);
        }
    }

    @Test
    void qnameMinimisationShowsTheRootOnlyTheTopLevelLabel() {
        PlayedNetwork net = network();
        try (IterativeResolver it = IterativeResolver.create(config(net).build())) {
            it.query(name("www.example."), Type.A).join();
            for (PlayedNetwork.Sent s : net.log()) {
                if (s.server().equals(inet(ROOT))) {
                    assertFalse(s.name().toString().contains("www"), "the root saw " + s);
                }
            }
            assertTrue(
                    net.log().stream()
                            .anyMatch(
                                    s ->
                                            s.server().equals(inet(ROOT))
                                                    && s.name().equals(name("example."))
                                                    && s.type() == Type.A),
                    "RFC 9156: example./A to the root: " + net.log());
        }
    }

    @Test
    void withoutMinimisationTheFullNameGoesToTheRoot() {
        PlayedNetwork net = network();
        try (IterativeResolver it =
                IterativeResolver.create(config(net).qnameMinimisation(false).build())) {
            it.query(name("www.example."), Type.A).join();
            assertTrue(
                    net.log().stream()
                            .anyMatch(
                                    s ->
                                            s.server().equals(inet(ROOT))
                                                    && s.name().equals(name("www.example."))));
        }
    }

    @Test
    void outOfBailiwickRecordsAreNeverUsed() {
        // example.'s server tries to take over org.: an NS RRset for org. and an address for its
        // server.
        PlayedNetwork net =
                new PlayedNetwork()
                        .serve(ROOT, root())
                        .serve(
                                EXAMPLE,
                                example(
                                        Map.of(
                                                "poison.example.",
                                                q ->
                                                        reply(
                                                                true,
                                                                Rcode.NOERROR,
                                                                "an: poison.example. 300 IN A 192.0.2.9",
                                                                "ns: org. 3600 IN NS ns.org.",
                                                                "ar: ns.org. 3600 IN A 6.6.6.6"))))
                        .serve(
                                ORG,
                                (q, tcp) ->
                                        reply(
                                                true,
                                                Rcode.NOERROR,
                                                "an: www.victim.org. 300 IN A 192.0.2.7"));
        try (IterativeResolver it = IterativeResolver.create(config(net).build())) {
            Message poisoned = it.query(name("poison.example."), Type.A).join();
            assertTrue(poisoned.getSection(Section.AUTHORITY).isEmpty(), "scrubbed: " + poisoned);
            Message m = it.query(name("www.victim.org."), Type.A).join();
            assertEquals("192.0.2.7", m.getSection(Section.ANSWER).get(0).rdataToString());
            assertTrue(
                    net.log().stream().noneMatch(s -> s.server().equals(inet("6.6.6.6"))),
                    "never asked: " + net.log());
        }
    }

    @Test
    void dsIsAskedOfTheParentsServers() {
        PlayedNetwork net = network();
        try (IterativeResolver it = IterativeResolver.create(config(net).build())) {
            it.query(name("www.example."), Type.A).join(); // example.'s own servers are known now
            Resolution r = it.resolve(name("example."), Type.DS).join();
            assertEquals(Type.DS, r.response().getSection(Section.ANSWER).get(0).getType());
            assertEquals(name("."), r.hops().get(0).zone());
            assertEquals(inet(ROOT), r.hops().get(0).server());
            PlayedNetwork.Sent last = net.log().get(net.log().size() - 1);
            assertEquals(
                    inet(ROOT),
                    last.server(),
                    "RFC 4035 §3.1.4.1: the DS lives on the parent's side");
        }
    }

    @Test
    void negativeAnswerIsKeptForTheSoaMinimum() {
        PlayedNetwork net = network();
        MutableClock clock = new MutableClock();
        try (IterativeResolver it = IterativeResolver.create(config(net).clock(clock).build())) {
            assertEquals(Rcode.NOERROR, it.query(name("www.example."), Type.TXT).join().getRcode());
            long sent = it.queriesSent();
            it.query(name("www.example."), Type.TXT).join();
            assertEquals(sent, it.queriesSent(), "cached");
            clock.advance(
                    Duration.ofSeconds(
                            61)); // SOA TTL 3600, MINIMUM 60: RFC 2308 §5 takes the smaller
            it.query(name("www.example."), Type.TXT).join();
            assertTrue(it.queriesSent() > sent, "asked again once the negative TTL passed");
        }
    }

    @Test
    void wildcardProofOfACnameLinkTravelsWithTheChain() {
        PlayedNetwork net =
                new PlayedNetwork()
                        .serve(ROOT, root())
                        .serve(
                                EXAMPLE,
                                example(
                                        Map.of(
                                                "any.wild.example.",
                                                q ->
                                                        reply(
                                                                true,
                                                                Rcode.NOERROR,
                                                                "an: any.wild.example. 300 IN CNAME www.victim.org.",
                                                                "ns: wild.example. 300 IN NSEC zz.example. CNAME RRSIG NSEC"))))
                        .serve(
                                ORG,
                                (q, tcp) ->
                                        reply(
                                                true,
                                                Rcode.NOERROR,
                                                "an: www.victim.org. 300 IN A 192.0.2.7"));
        try (IterativeResolver it = IterativeResolver.create(config(net).build())) {
            Message m = it.query(name("any.wild.example."), Type.A).join();
            assertEquals(2, m.getSection(Section.ANSWER).size(), m.toString());
            assertTrue(
                    m.getSection(Section.AUTHORITY).stream()
                            .anyMatch(r -> r.getType() == Type.NSEC),
                    "the NSEC that proves the wildcard expansion of the first link: " + m);
        }
    }

    @Test
    void nodataWithoutSoaOrAaButWithItsDenialIsAnAnswer() {
        PlayedNetwork net =
                new PlayedNetwork()
                        .serve(ROOT, root())
                        .serve(
                                EXAMPLE,
                                example(
                                        Map.of(
                                                "bare.example.",
                                                q ->
                                                        reply(
                                                                false,
                                                                Rcode.NOERROR,
                                                                "ns: bare.example. 300 IN NSEC zz.example. A RRSIG NSEC"))));
        try (IterativeResolver it = IterativeResolver.create(config(net).build())) {
            Message m = it.query(name("bare.example."), Type.TXT).join();
            assertEquals(Rcode.NOERROR, m.getRcode());
            assertTrue(m.getSection(Section.ANSWER).isEmpty());
            assertEquals(Type.NSEC, m.getSection(Section.AUTHORITY).get(0).getType());
        }
    }

    @Test
    void cnameLoopEndsWithTheCnameLimit() {
        PlayedNetwork net =
                new PlayedNetwork()
                        .serve(ROOT, root())
                        .serve(
                                EXAMPLE,
                                example(
                                        Map.of(
                                                "a.example.",
                                                        q ->
                                                                reply(
                                                                        true,
                                                                        Rcode.NOERROR,
                                                                        "an: a.example. 300 IN CNAME b.other.example."),
                                                "b.other.example.",
                                                        q ->
                                                                reply(
                                                                        true,
                                                                        Rcode.NOERROR,
                                                                        "an: b.other.example. 300 IN CNAME a.example."))));
        try (IterativeResolver it = IterativeResolver.create(config(net).build())) {
            IteratorException e = failure(it, "a.example.", Type.A);
            assertEquals(IteratorException.Reason.CNAME_HOPS_LIMIT, e.reason(), e.getMessage());
        }
    }

    @Test
    void longCnameChainStopsAtCnameHops() {
        Map<String, Function<Message, Message>> chain = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            String from = "c" + i + ".example.";
            String to = "c" + (i + 1) + ".example.";
            chain.put(from, q -> reply(true, Rcode.NOERROR, "an: " + from + " 300 IN CNAME " + to));
        }
        PlayedNetwork net = new PlayedNetwork().serve(ROOT, root()).serve(EXAMPLE, example(chain));
        try (IterativeResolver it = IterativeResolver.create(config(net).build())) {
            IteratorException e = failure(it, "c0.example.", Type.A);
            assertEquals(IteratorException.Reason.CNAME_HOPS_LIMIT, e.reason(), e.getMessage());
            assertTrue(e.reason().isLimit());
            assertTrue(it.queriesSent() < 40, "stopped early: " + it.queriesSent());
        }
    }

    @Test
    void referralsWithoutEndStopAtTheReferralDepth() {
        // example.'s server refers every name one label deeper, to itself, without end.
        PlayedNetwork net =
                new PlayedNetwork()
                        .serve(ROOT, root())
                        .serve(EXAMPLE, (q, tcp) -> deeperReferral(q.getQuestion().getName()));
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            deep.append('l').append(i).append('.');
        }
        try (IterativeResolver it =
                IterativeResolver.create(config(net).qnameMinimisation(false).build())) {
            IteratorException e = failure(it, deep + "example.", Type.A);
            assertEquals(IteratorException.Reason.REFERRAL_DEPTH_LIMIT, e.reason(), e.getMessage());
        }
    }

    /** A referral to a zone one label deeper than the last one given for {@code n}. */
    private static Message deeperReferral(org.xbill.DNS.Name n) {
        int labels = REFERRED.merge(n.toString(), 1, Integer::sum) + 2;
        org.xbill.DNS.Name child = new org.xbill.DNS.Name(n, Math.max(0, n.labels() - labels));
        return referral(child.toString(), "ns.example.=" + EXAMPLE);
    }

    private static final Map<String, Integer> REFERRED =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void queryBudgetEndsTheLookup() {
        PlayedNetwork net = network();
        try (IterativeResolver it =
                IterativeResolver.create(
                        config(net)
                                .limits(IteratorLimits.DEFAULT.withQueriesPerLookup(2))
                                .build())) {
            IteratorException e = failure(it, "www.example.", Type.A);
            assertEquals(
                    IteratorException.Reason.QUERIES_PER_LOOKUP_LIMIT, e.reason(), e.getMessage());
            assertEquals(2, it.queriesSent(), "not one more than the budget");
        }
    }

    @Test
    void unresponsiveServersAreEachTriedOverUdpThenTcpOnce() {
        PlayedNetwork net =
                new PlayedNetwork()
                        .serve(
                                ROOT,
                                (q, tcp) ->
                                        q.getQuestion().getType() == Type.NS
                                                        && q.getQuestion()
                                                                .getName()
                                                                .equals(name("."))
                                                ? reply(
                                                        true,
                                                        Rcode.NOERROR,
                                                        "an: . 3600 IN NS a.root.",
                                                        "ar: a.root. 3600 IN A " + ROOT)
                                                : referral(
                                                        "example.",
                                                        "ns1.example.=10.0.0.8",
                                                        "ns2.example.=10.0.0.9"));
        try (IterativeResolver it =
                IterativeResolver.create(config(net).qnameMinimisation(false).build())) {
            IteratorException e = failure(it, "www.example.", Type.A);
            assertEquals(IteratorException.Reason.NO_SERVER_ANSWERED, e.reason());
            assertTrue(
                    e.getMessage().contains("10.0.0.8") && e.getMessage().contains("10.0.0.9"),
                    e.getMessage());
            for (String dead : List.of("10.0.0.8", "10.0.0.9")) {
                long udp =
                        net.log().stream()
                                .filter(s -> s.server().equals(inet(dead)) && !s.tcp())
                                .count();
                long tcp =
                        net.log().stream()
                                .filter(s -> s.server().equals(inet(dead)) && s.tcp())
                                .count();
                assertTrue(udp >= 1 && tcp >= 1 && udp + tcp <= 4, dead + ": " + net.log());
            }
        }
    }

    @Test
    void udpTimeoutIsRetriedOverTcp() {
        PlayedNetwork net =
                new PlayedNetwork()
                        .serve(ROOT, root())
                        .serve(
                                EXAMPLE,
                                (q, tcp) ->
                                        tcp
                                                ? reply(
                                                        true,
                                                        Rcode.NOERROR,
                                                        "an: www.example. 300 IN A 192.0.2.1")
                                                : null);
        try (IterativeResolver it = IterativeResolver.create(config(net).build())) {
            Message m = it.query(name("www.example."), Type.A).join();
            assertEquals(1, m.getSection(Section.ANSWER).size());
            assertTrue(it.tcpQueriesSent() >= 1);
        }
    }

    @Test
    void truncatedAnswerIsAskedAgainOverTcp() {
        PlayedNetwork net =
                new PlayedNetwork()
                        .serve(ROOT, root())
                        .serve(
                                EXAMPLE,
                                (q, tcp) -> {
                                    Message m =
                                            reply(
                                                    true,
                                                    Rcode.NOERROR,
                                                    "an: www.example. 300 IN A 192.0.2.1");
                                    if (!tcp) {
                                        m.getHeader().setFlag(Flags.TC);
                                        m.removeAllRecords(Section.ANSWER);
                                    }
                                    return m;
                                });
        try (IterativeResolver it = IterativeResolver.create(config(net).build())) {
            assertEquals(
                    1,
                    it.query(name("www.example."), Type.A)
                            .join()
                            .getSection(Section.ANSWER)
                            .size());
            assertEquals(1, it.tcpQueriesSent());
        }
    }

    @Test
    void truncatedOverTcpTooIsNotAnAnswer() {
        PlayedNetwork net =
                new PlayedNetwork()
                        .serve(ROOT, root())
                        .serve(
                                EXAMPLE,
                                (q, tcp) -> {
                                    Message m = reply(true, Rcode.NOERROR);
                                    m.getHeader().setFlag(Flags.TC);
                                    return m;
                                });
        try (IterativeResolver it = IterativeResolver.create(config(net).build())) {
            assertEquals(
                    IteratorException.Reason.NO_SERVER_ANSWERED,
                    failure(it, "www.example.", Type.A).reason());
        }
    }

    @Test
    void aSlowNetworkEndsAtTheDeadline() {
        Transport slow =
                (server, query, tcp, timeout) -> {
                    try {
                        Thread.sleep(timeout.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new SocketTimeoutException("played silence");
                };
        try (IterativeResolver it =
                IterativeResolver.create(
                        IteratorConfig.builder()
                                .rootHints(
                                        RootHints.of(
                                                List.of(
                                                        new RootHints.Server(
                                                                name("a.root."),
                                                                List.of(inet(ROOT))))))
                                .transport(slow)
                                .executor(Runnable::run)
                                .lookupTimeout(Duration.ofMillis(50))
                                .build())) {
            IteratorException e = failure(it, "www.example.", Type.A);
            assertEquals(IteratorException.Reason.DEADLINE, e.reason(), e.getMessage());
        }
    }

    @Test
    void serverMarkedBogusIsSetAsideForItsZone() {
        PlayedNetwork.Server good = example(Map.of());
        PlayedNetwork net =
                new PlayedNetwork()
                        .serve(
                                ROOT,
                                PlayedNetwork.byName(
                                        Map.of(
                                                ".",
                                                        q ->
                                                                reply(
                                                                        true,
                                                                        Rcode.NOERROR,
                                                                        "an: . 3600 IN NS a.root.",
                                                                        "ar: a.root. 3600 IN A "
                                                                                + ROOT),
                                                "example.",
                                                        q ->
                                                                referral(
                                                                        "example.",
                                                                        "ns1.example.=10.0.0.8",
                                                                        "ns2.example.=10.0.0.9"))))
                        .serve("10.0.0.8", good)
                        .serve("10.0.0.9", good);
        try (IterativeResolver it = IterativeResolver.create(config(net).build())) {
            Resolution first = it.resolve(name("www.example."), Type.A).join();
            Resolution.Hop hop = first.hops().get(0);
            it.markBogus(hop.zone(), hop.server());
            for (int i = 0; i < 5; i++) {
                Resolution again = it.resolve(name("www.example."), Type.A).join();
                assertFalse(
                        again.hops().get(0).server().equals(hop.server()),
                        "set aside: " + again.hops());
            }
        }
    }

    @Test
    void closedResolverFailsAtOnce() {
        IterativeResolver it = IterativeResolver.create(config(network()).build());
        it.close();
        assertEquals(IteratorException.Reason.CLOSED, failure(it, "www.example.", Type.A).reason());
    }

    @Test
    void builtInRootHintsAreIanasThirteenServers() {
        RootHints hints = RootHints.builtIn();
        assertEquals(13, hints.servers().size());
        for (RootHints.Server s : hints.servers()) {
            assertTrue(
                    s.addresses().stream().anyMatch(a -> a instanceof java.net.Inet4Address),
                    s.toString());
            assertTrue(
                    s.addresses().stream().anyMatch(a -> a instanceof java.net.Inet6Address),
                    s.toString());
        }
        assertTrue(
                hints.servers().stream()
                        .anyMatch(
                                s ->
                                        s.name().equals(name("a.root-servers.net."))
                                                && s.addresses().contains(inet("198.41.0.4"))));
    }

    @Test
    void limitsOutOfRangeAreRefusedNamingTheRange() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> IteratorLimits.DEFAULT.withQueriesPerLookup(0));
        assertTrue(e.getMessage().contains("queriesPerLookup must be 1..10000"), e.getMessage());
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
