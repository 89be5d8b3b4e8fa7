package dev.daneel.validator.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Fault;
import dev.daneel.testkit.Transport;
import dev.daneel.testkit.World;
import dev.daneel.testkit.WorldServer;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The stub's capability probe and per-query fallback, against testkit servers on loopback that play
 * broken paths: an upstream that strips RRSIG/NSEC/NSEC3 is never used for a verdict (Indeterminate
 * with UPSTREAM_NO_DNSSEC naming it, no records handed out, never Bogus, never Insecure); one that
 * strips only after passing its probe stays Bogus (the probe cannot be used to launder a stripped
 * answer), and is re-asked of the next upstream once; a SERVFAIL to DNSKEY and one to DS give the
 * same verdict; a UDP black hole falls back to TCP.
 */
class UpstreamCapabilityTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Duration TIMEOUT = Duration.ofMillis(300);

    private static World world;
    private final List<WorldServer> extra = new ArrayList<>();

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone("example.test.", z -> z.record("www A 192.0.2.1"))
                        .zone("plain.test.", z -> z.unsigned().record("www A 192.0.2.2"))
                        .start();
        world.signAll();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @AfterEach
    void closeServers() {
        extra.forEach(WorldServer::close);
        extra.clear();
    }

    private WorldServer server() {
        WorldServer s = world.newServer();
        extra.add(s);
        return s;
    }

    /** Removes every DNSSEC record, as a middlebox that strips RRSIG, NSEC, NSEC3 and DS does. */
    static Message strip(Message m) {
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : new ArrayList<>(m.getSection(section))) {
                int t = r.getType();
                if (t == Type.RRSIG || t == Type.NSEC || t == Type.NSEC3 || t == Type.DS) {
                    m.removeRecord(r, section);
                }
            }
        }
        return m;
    }

    private static ValidatingResolver resolver(WorldServer... upstreams) {
        ValidatingResolver.Builder b =
                ValidatingResolver.builder()
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .timeout(TIMEOUT);
        for (WorldServer s : upstreams) {
            b.upstream(s.address());
        }
        return b.build();
    }

    @Test
    void strippingUpstreamGivesUpstreamNoDnssecNamingItForSignedAndUnsignedNames() {
        WorldServer stripper = server().inject(Fault.rewrite(UpstreamCapabilityTest::strip));
        try (ValidatingResolver r = resolver(stripper)) {
            for (String name :
                    List.of("www.example.test.", "www.plain.test.", "nope.example.test.")) {
                Answer a = r.resolve(name, Type.A);
                Verdict.Indeterminate i =
                        assertInstanceOf(Verdict.Indeterminate.class, a.verdict(), name + ": " + a);
                assertEquals(Verdict.Cause.UPSTREAM_NO_DNSSEC, i.cause(), i.detail());
                assertTrue(
                        i.detail()
                                .contains(
                                        stripper.address().getAddress().getHostAddress()
                                                + ":"
                                                + stripper.port()),
                        "the detail names the upstream: " + i.detail());
                assertTrue(i.detail().contains("RRSIGs"), "and what it stripped: " + i.detail());
                assertTrue(
                        a.records().isEmpty(),
                        "nothing unvalidated from a stripping path is handed out");
            }
        }
    }

    @Test
    void strippingUpstreamFirstAndGoodSecondIsSecure() {
        WorldServer stripper = server().inject(Fault.rewrite(UpstreamCapabilityTest::strip));
        WorldServer good = server();
        try (ValidatingResolver r = resolver(stripper, good)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(Status.SECURE, r.resolve("www.example.test.", Type.A).status());
                assertEquals(Status.INSECURE, r.resolve("www.plain.test.", Type.A).status());
            }
            long asked =
                    stripper.log().entries().stream()
                            .filter(q -> q.name().toString().startsWith("www."))
                            .count();
            assertEquals(
                    0,
                    asked,
                    "after the probe the stripping upstream is not asked: "
                            + stripper.log().entries());
        }
    }

    @Test
    void capableUpstreamThatStripsOneAnswerStaysBogusAndIsReaskedOfTheNextUpstreamOnce() {
        WorldServer sly =
                server().inject(
                                Fault.rewrite(UpstreamCapabilityTest::strip)
                                        .forName("www.example.test."));
        try (ValidatingResolver alone = resolver(sly)) {
            Answer a = alone.resolve("www.example.test.", Type.A);
            assertEquals(
                    Status.BOGUS,
                    a.status(),
                    "a capable path that strips is an attack, not a broken path: " + a);
        }
        WorldServer sly2 =
                server().inject(
                                Fault.rewrite(UpstreamCapabilityTest::strip)
                                        .forName("www.example.test."));
        WorldServer good = server();
        try (ValidatingResolver r = resolver(sly2, good)) {
            Answer a = r.resolve("www.example.test.", Type.A);
            assertEquals(Status.SECURE, a.status(), "re-asked of the second upstream: " + a);
            assertTrue(
                    good.log().entries().stream()
                            .anyMatch(q -> q.name().toString().equals("www.example.test.")));
        }
    }

    @Test
    void servfailToDnskeyAndToDsGiveTheSameVerdict() {
        WorldServer dnskey =
                server().inject(Fault.servfail().forName("example.test.").forType(Type.DNSKEY));
        WorldServer ds =
                server().inject(Fault.servfail().forName("example.test.").forType(Type.DS));
        Verdict.Cause[] causes = new Verdict.Cause[2];
        int i = 0;
        for (WorldServer s : List.of(dnskey, ds)) {
            try (ValidatingResolver r = resolver(s)) {
                Answer a = r.resolve("www.example.test.", Type.A);
                causes[i++] =
                        assertInstanceOf(Verdict.Indeterminate.class, a.verdict(), a.toString())
                                .cause();
            }
        }
        assertEquals(Verdict.Cause.UNAVAILABLE, causes[0], "SERVFAIL to DNSKEY");
        assertEquals(Verdict.Cause.UNAVAILABLE, causes[1], "SERVFAIL to DS");
    }

    @Test
    void udpBlackHoleFallsBackToTcp() {
        WorldServer noUdp = server().inject(Fault.drop().over(Transport.UDP));
        try (ValidatingResolver r = resolver(noUdp)) {
            assertEquals(Status.SECURE, r.resolve("www.example.test.", Type.A).status());
        }
    }
}
