package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.DenialBreakage;
import dev.daneel.testkit.TestClock;
import dev.daneel.testkit.World;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * RFC 8198 aggressive use of validated NSEC records ({@link
 * ValidatingResolver.Builder#aggressiveNsec()}): which names a cached span answers without a query,
 * and which it must not.
 */
class AggressiveNsecTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private static World world;
    private TestClock clock;

    @BeforeAll
    static void start() {
        // nsec.test.: names a, m, ns (the testkit's name server), z; the span after m. covers mb,
        // mc, mq...
        world =
                World.builder()
                        .clock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC))
                        .zone("test.")
                        .zone(
                                "nsec.test.",
                                z ->
                                        z.negativeTtl(600)
                                                .record(
                                                        "a A 192.0.2.1\nm A 192.0.2.2\nm TXT \"m\"\nz A 192.0.2.3"))
                        .zone(
                                "wild.test.",
                                z ->
                                        z.negativeTtl(600)
                                                .record(
                                                        "a A 192.0.2.1\nz A 192.0.2.3\n*.deep TXT \"w\""))
                        .zone(
                                "hashed.test.",
                                z ->
                                        z.negativeTtl(600)
                                                .nsec3(0, "", false)
                                                .record("a A 192.0.2.1\nz A 192.0.2.3"))
                        .zone(
                                "optout.test.",
                                z ->
                                        z.negativeTtl(600)
                                                .nsec3(0, "", true)
                                                .record("a A 192.0.2.1\nz A 192.0.2.3"))
                        .zone(
                                "wrong.test.",
                                z ->
                                        z.negativeTtl(600)
                                                .record(
                                                        "a A 192.0.2.1\nm A 192.0.2.2\nz A 192.0.2.3")
                                                .denialBreakage(DenialBreakage.WRONG))
                        .start();
        world.signAll();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @BeforeEach
    void clockAtStart() {
        clock = new TestClock(NOW);
    }

    private ValidatingResolver resolver(boolean aggressive) {
        ValidatingResolver.Builder b =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(clock);
        return (aggressive ? b.aggressiveNsec() : b).build();
    }

    private long queriesFor(String name) {
        return world.server().log().count(q -> q.name().toString().equals(name));
    }

    @Test
    void nameInsideACachedSpanIsASecureNxdomainWithoutAQuery() {
        try (ValidatingResolver r = resolver(true)) {
            Answer first = r.resolve("mb.nsec.test.", Type.A);
            assertEquals(Rcode.NXDOMAIN, first.rcode());
            assertInstanceOf(Verdict.Secure.class, first.verdict());
            long before = world.server().log().size();
            Answer second = r.resolve("mq.nsec.test.", Type.TXT);
            assertEquals(Rcode.NXDOMAIN, second.rcode());
            assertInstanceOf(Verdict.Secure.class, second.verdict());
            assertEquals(
                    before,
                    world.server().log().size(),
                    "mq.nsec.test. lies in the cached span after m.nsec.test.: no query");
            assertTrue(
                    second.ttl() > 0 && second.ttl() <= 600,
                    "TTL capped by the SOA minimum: " + second.ttl());
            assertTrue(
                    !second.evidence().exchanges().isEmpty(),
                    "the exchange that proved the span is the evidence");
            Answer offline =
                    ValidatingResolver.verifyOffline(
                            second.evidence(),
                            second.name(),
                            Type.TXT,
                            TrustAnchors.of(world.trustAnchors()),
                            NOW);
            assertEquals(Rcode.NXDOMAIN, offline.rcode(), offline.toString());
            assertInstanceOf(
                    Verdict.Secure.class,
                    offline.verdict(),
                    "the evidence re-derives the synthesised answer");
            Answer tooLate =
                    ValidatingResolver.verifyOffline(
                            second.evidence(),
                            second.name(),
                            Type.TXT,
                            TrustAnchors.of(world.trustAnchors()),
                            NOW.plus(Duration.ofDays(60)));
            assertTrue(
                    !(tooLate.verdict() instanceof Verdict.Secure),
                    "after the signatures expire: " + tooLate);
        }
    }

    @Test
    void matchingNsecWithoutTheTypeIsASecureNodataWithoutAQuery() {
        try (ValidatingResolver r = resolver(true)) {
            Answer first = r.resolve("m.nsec.test.", Type.MX);
            assertEquals(Rcode.NOERROR, first.rcode());
            assertTrue(first.records().isEmpty());
            long before = queriesFor("m.nsec.test.");
            Answer second = r.resolve("m.nsec.test.", Type.SRV);
            assertEquals(Rcode.NOERROR, second.rcode());
            assertTrue(second.records().isEmpty());
            assertInstanceOf(Verdict.Secure.class, second.verdict());
            assertEquals(before, queriesFor("m.nsec.test."));
            Answer txt = r.resolve("m.nsec.test.", Type.TXT); // the bitmap has TXT: must be asked
            assertEquals(
                    List.of("m"), ((org.xbill.DNS.TXTRecord) txt.records().get(0)).getStrings());
            assertEquals(before + 1, queriesFor("m.nsec.test."));
        }
    }

    @Test
    void offByDefaultEveryNameIsAsked() {
        try (ValidatingResolver r = resolver(false)) {
            r.resolve("mb.nsec.test.", Type.A);
            long before = queriesFor("mc.nsec.test.");
            Answer second = r.resolve("mc.nsec.test.", Type.A);
            assertEquals(Rcode.NXDOMAIN, second.rcode());
            assertEquals(before + 1, queriesFor("mc.nsec.test."));
        }
    }

    @Test
    void spansExpireWithTheNegativeTtl() {
        try (ValidatingResolver r = resolver(true)) {
            r.resolve("mb.nsec.test.", Type.A);
            clock.advance(Duration.ofSeconds(601));
            long before = queriesFor("md.nsec.test.");
            Answer again = r.resolve("md.nsec.test.", Type.A);
            assertEquals(Rcode.NXDOMAIN, again.rcode());
            assertInstanceOf(Verdict.Secure.class, again.verdict());
            assertEquals(
                    before + 1, queriesFor("md.nsec.test."), "the span expired: the name is asked");
        }
    }

    @Test
    void anExistingWildcardStopsSynthesis() {
        try (ValidatingResolver r = resolver(true)) {
            Answer nx = r.resolve("b.wild.test.", Type.A);
            assertEquals(Rcode.NXDOMAIN, nx.rcode());
            // x.deep.wild.test. sorts inside a cached span too, but *.deep exists: the wildcard
            // answers it.
            Answer w = r.resolve("x.deep.wild.test.", Type.TXT);
            assertEquals(Rcode.NOERROR, w.rcode());
            assertInstanceOf(Verdict.Secure.class, w.verdict());
            assertEquals(1, w.records().size());
        }
    }

    @Test
    void nsec3SpansAnswerTooWithoutAQuery() {
        try (ValidatingResolver r = resolver(true)) {
            Answer first = r.resolve("b.hashed.test.", Type.A);
            assertEquals(Rcode.NXDOMAIN, first.rcode());
            assertInstanceOf(Verdict.Secure.class, first.verdict());
            // Which other names the cached hashes cover is up to SHA-1: try names until one is
            // covered.
            int synthesised = 0;
            for (int i = 0; i < 40; i++) {
                String name = "n" + i + ".hashed.test.";
                long before = queriesFor(name);
                Answer a = r.resolve(name, Type.A);
                assertEquals(Rcode.NXDOMAIN, a.rcode(), name);
                assertInstanceOf(Verdict.Secure.class, a.verdict(), name);
                if (queriesFor(name) == before) {
                    synthesised++;
                }
            }
            assertTrue(synthesised > 0, "no name fell into a cached NSEC3 span");
            long before = queriesFor("a.hashed.test.");
            assertEquals(
                    1,
                    r.resolve("a.hashed.test.", Type.A).records().size(),
                    "an existing name is asked");
            assertEquals(before + 1, queriesFor("a.hashed.test."));
        }
    }

    @Test
    void optOutSpansNeverSynthesiseAnswers() {
        try (ValidatingResolver r = resolver(true)) {
            for (int i = 0; i < 20; i++) {
                String name = "n" + i + ".optout.test.";
                long before = queriesFor(name);
                Answer a = r.resolve(name, Type.A);
                assertInstanceOf(
                        Verdict.Insecure.class, a.verdict(), name + " rests on an opt-out span");
                assertEquals(
                        before + 1, queriesFor(name), name + " must be asked, never synthesised");
            }
        }
    }

    @Test
    void proofsThatFailNeverEnterTheCache() {
        try (ValidatingResolver r = resolver(true)) {
            Answer bad = r.resolve("n.wrong.test.", Type.A);
            assertInstanceOf(Verdict.Bogus.class, bad.verdict());
            long before = queriesFor("o.wrong.test.");
            Answer again = r.resolve("o.wrong.test.", Type.A);
            assertInstanceOf(Verdict.Bogus.class, again.verdict());
            assertEquals(before + 1, queriesFor("o.wrong.test."));
        }
    }
}
