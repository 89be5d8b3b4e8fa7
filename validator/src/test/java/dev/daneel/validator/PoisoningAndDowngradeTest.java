package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Fault;
import dev.daneel.testkit.World;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What an attacker on the path or a lying upstream tries, through the testkit's {@link
 * Fault#rewrite} and {@link Fault#mangle}: cache poisoning with unsigned or out-of-bailiwick
 * records, spoofed responses with forged data, replayed signatures, stripped signatures and DS
 * records (downgrade), a flipped rcode, and a DS set that mixes a supported with an unsupported
 * algorithm (RFC 6840 §5.11).
 */
class PoisoningAndDowngradeTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String FORGED = "203.0.113.66";

    private static World world;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.", z -> z.record("mixedalg DS 4711 253 2 " + "ab".repeat(32)))
                        .zone("example.test.", z -> z.record("www A 192.0.2.1\nalias CNAME www"))
                        .zone("victim.test.", z -> z.record("www A 192.0.2.10"))
                        .zone("unsigned.test.", z -> z.unsigned().record("www A 192.0.2.20"))
                        .zone("mixedalg.test.", z -> z.record("www A 192.0.2.30"))
                        .start();
        world.signAll();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @AfterEach
    void clearFaults() {
        world.server().clearFaults();
    }

    private static ValidatingResolver resolver() {
        return ValidatingResolver.builder()
                .upstream(world.address())
                .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                .clock(CLOCK)
                .timeout(Duration.ofMillis(500))
                .build();
    }

    static Record a(String owner, String address) {
        try {
            return new ARecord(
                    Name.fromConstantString(owner),
                    DClass.IN,
                    86_400,
                    InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> addresses(Answer a) {
        List<String> out = new ArrayList<>();
        for (Record r : a.records()) {
            out.add(((ARecord) r).getAddress().getHostAddress());
        }
        return out;
    }

    @Test
    void unsignedAndOutOfBailiwickExtraRecordsNeverEnterTheValidatedCache() {
        UnaryOperator<Message> poison =
                m -> {
                    m.addRecord(a("www.victim.test.", FORGED), Section.ANSWER);
                    m.addRecord(a("evil.example.test.", FORGED), Section.ANSWER);
                    m.addRecord(a("www.victim.test.", FORGED), Section.ADDITIONAL);
                    m.addRecord(
                            new NSRecord(
                                    Name.fromConstantString("victim.test."),
                                    DClass.IN,
                                    86_400,
                                    Name.fromConstantString("ns.attacker.example.")),
                            Section.AUTHORITY);
                    return m;
                };
        world.server().inject(Fault.rewrite(poison).forName("www.example.test."));
        world.server().inject(Fault.rewrite(poison).forName("www.unsigned.test."));
        try (ValidatingResolver r = resolver()) {
            Answer www = r.resolve("www.example.test.", Type.A);
            assertEquals(Status.SECURE, www.status(), www.toString());
            assertEquals(
                    List.of("192.0.2.1"),
                    addresses(www),
                    "only the signed RRset of the question is answered");
            Answer unsigned = r.resolve("www.unsigned.test.", Type.A);
            assertEquals(Status.INSECURE, unsigned.status(), unsigned.toString());
            assertEquals(List.of("192.0.2.20"), addresses(unsigned));

            world.server().log().clear();
            Answer victim = r.resolve("www.victim.test.", Type.A);
            assertEquals(Status.SECURE, victim.status(), victim.toString());
            assertEquals(List.of("192.0.2.10"), addresses(victim));
            assertEquals(
                    1,
                    world.server().log().count("www.victim.test.", Type.A),
                    "asked upstream, not taken from the extras");
            Answer evil = r.resolve("evil.example.test.", Type.A);
            assertEquals(Status.SECURE, evil.status(), evil.toString());
            assertEquals(Rcode.NXDOMAIN, evil.rcode(), "the forged name does not exist: " + evil);
        }
    }

    @Test
    void aForgedRecordInsideTheSignedRRsetIsBogus() {
        world.server()
                .inject(
                        Fault.rewrite(
                                        m -> {
                                            m.addRecord(
                                                    a("www.example.test.", FORGED), Section.ANSWER);
                                            return m;
                                        })
                                .forName("www.example.test."));
        try (ValidatingResolver r = resolver()) {
            Answer a = r.resolve("www.example.test.", Type.A);
            assertEquals(
                    Reason.DNSSEC_BOGUS,
                    assertInstanceOf(Verdict.Bogus.class, a.verdict(), a.toString()).reason());
        }
    }

    /**
     * The genuine answer with forged data, sent with the wrong ID or for the wrong question: a
     * blind spoofer.
     */
    static UnaryOperator<byte[]> spoof(boolean wrongId) {
        return wire -> {
            try {
                Message m = new Message(wire);
                m.removeAllRecords(Section.ANSWER);
                m.addRecord(a("www.example.test.", FORGED), Section.ANSWER);
                if (wrongId) {
                    m.getHeader().setID((m.getHeader().getID() + 1) & 0xffff);
                } else {
                    m.removeAllRecords(Section.QUESTION);
                    m.addRecord(
                            Record.newRecord(
                                    Name.fromConstantString("other.example.test."),
                                    Type.A,
                                    DClass.IN),
                            Section.QUESTION);
                }
                return m.toWire();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void spoofedResponsesWithTheWrongIdOrQuestionAreIgnored() {
        for (boolean wrongId : new boolean[] {true, false}) {
            var spoofer = world.newServer();
            try {
                spoofer.inject(Fault.mangle(spoof(wrongId)));
                // alone, the spoofing upstream gets nowhere: its packets are dropped and the lookup
                // times out
                try (ValidatingResolver r =
                        ValidatingResolver.builder()
                                .upstream(spoofer.address())
                                .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                                .clock(CLOCK)
                                .timeout(Duration.ofMillis(200))
                                .build()) {
                    Answer a = r.resolve("www.example.test.", Type.A);
                    Verdict.Indeterminate i =
                            assertInstanceOf(
                                    Verdict.Indeterminate.class, a.verdict(), a.toString());
                    assertEquals(Verdict.Cause.UNAVAILABLE, i.cause());
                    assertTrue(a.records().isEmpty(), a.toString());
                }
                // before a genuine upstream, it only costs a timeout
                try (ValidatingResolver r =
                        ValidatingResolver.builder()
                                .upstream(spoofer.address())
                                .upstream(world.address())
                                .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                                .clock(CLOCK)
                                .timeout(Duration.ofMillis(200))
                                .build()) {
                    Answer a = r.resolve("www.example.test.", Type.A);
                    assertEquals(Status.SECURE, a.status(), a.toString());
                    assertEquals(List.of("192.0.2.1"), addresses(a));
                }
            } finally {
                spoofer.close();
            }
        }
    }

    @Test
    void replayedSignaturesOutsideTheirValidityWindowAreBogus() {
        // live: a whole world signed three months ago, replayed today
        try (World old =
                        World.builder()
                                .clock(Clock.fixed(NOW.minus(Duration.ofDays(90)), ZoneOffset.UTC))
                                .zone("test.")
                                .zone("example.test.", z -> z.record("www A 192.0.2.1"))
                                .start();
                ValidatingResolver r =
                        ValidatingResolver.builder()
                                .upstream(old.address())
                                .trustAnchors(TrustAnchors.of(old.trustAnchors()))
                                .clock(CLOCK)
                                .build()) {
            Answer a = r.resolve("www.example.test.", Type.A);
            assertEquals(
                    Reason.SIGNATURE_EXPIRED,
                    assertInstanceOf(Verdict.Bogus.class, a.verdict(), a.toString()).reason());
        }
        // recorded: today's Secure chain, replayed after its signatures expire and before they
        // start
        try (ValidatingResolver r = resolver()) {
            Answer a = r.resolve("www.example.test.", Type.A);
            assertEquals(Status.SECURE, a.status());
            Instant expire = Instant.MAX;
            Instant inception = Instant.MIN;
            for (var e : a.evidence().exchanges()) {
                for (Record rec : e.response().getSection(Section.ANSWER)) {
                    if (rec instanceof RRSIGRecord sig) {
                        expire = sig.getExpire().isBefore(expire) ? sig.getExpire() : expire;
                        inception =
                                sig.getTimeSigned().isAfter(inception)
                                        ? sig.getTimeSigned()
                                        : inception;
                    }
                }
            }
            Name www = Name.fromConstantString("www.example.test.");
            TrustAnchors anchors = TrustAnchors.of(world.trustAnchors());
            assertEquals(
                    Status.SECURE,
                    ValidatingResolver.verifyOffline(a.evidence(), www, Type.A, anchors, NOW)
                            .status());
            for (Instant replay :
                    List.of(expire.plus(Duration.ofDays(1)), inception.minus(Duration.ofDays(1)))) {
                Answer later =
                        ValidatingResolver.verifyOffline(
                                a.evidence(), www, Type.A, anchors, replay);
                Verdict.Bogus b =
                        assertInstanceOf(
                                Verdict.Bogus.class, later.verdict(), replay + ": " + later);
                assertTrue(
                        b.reason() == Reason.SIGNATURE_EXPIRED
                                || b.reason() == Reason.SIGNATURE_NOT_YET_VALID,
                        b.toString());
            }
        }
    }

    @Test
    void strippingEveryRrsigFromEveryResponseIsBogusNeverInsecure() {
        world.server()
                .inject(
                        Fault.rewrite(
                                m -> {
                                    for (int section :
                                            new int[] {
                                                Section.ANSWER,
                                                Section.AUTHORITY,
                                                Section.ADDITIONAL
                                            }) {
                                        for (Record r : new ArrayList<>(m.getSection(section))) {
                                            if (r.getType() == Type.RRSIG) {
                                                m.removeRecord(r, section);
                                            }
                                        }
                                    }
                                    return m;
                                }));
        // Without the capability probe, which would keep this upstream away from validation
        // altogether
        // (Indeterminate UPSTREAM_NO_DNSSEC, see network.UpstreamCapabilityTest): here the
        // validator alone sees it.
        try (ValidatingResolver r =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .timeout(Duration.ofMillis(500))
                        .probeUpstreams(false)
                        .build()) {
            for (String[] q :
                    new String[][] {
                        {"www.example.test.", "A"},
                        {"nope.example.test.", "A"},
                        {"www.example.test.", "MX"},
                        {"alias.example.test.", "A"},
                        {"www.victim.test.", "A"}
                    }) {
                Answer a = r.resolve(q[0], Type.value(q[1]));
                assertEquals(Status.BOGUS, a.status(), "stripped " + q[0] + "/" + q[1] + ": " + a);
            }
        }
    }

    @Test
    void hidingTheDsOfASignedChildIsBogusNeverInsecure() {
        world.server()
                .inject(
                        Fault.rewrite(
                                        m -> {
                                            for (Record r :
                                                    new ArrayList<>(m.getSection(Section.ANSWER))) {
                                                m.removeRecord(
                                                        r,
                                                        Section.ANSWER); // DS and its RRSIG gone:
                                                // an unproven NODATA
                                            }
                                            return m;
                                        })
                                .forName("victim.test.")
                                .forType(Type.DS));
        try (ValidatingResolver r = resolver()) {
            Answer a = r.resolve("www.victim.test.", Type.A);
            assertEquals(Status.BOGUS, a.status(), a.toString());
        }
    }

    @Test
    void nxdomainRcodeOnASignedAnswerIsBogusNeverASecureDenial() {
        world.server()
                .inject(
                        Fault.rewrite(
                                        m -> {
                                            m.getHeader().setRcode(Rcode.NXDOMAIN);
                                            return m;
                                        })
                                .forName("www.example.test."));
        try (ValidatingResolver r = resolver()) {
            Answer a = r.resolve("www.example.test.", Type.A);
            assertNotEquals(Status.SECURE, a.status(), a.toString());
            assertEquals(
                    Reason.DNSSEC_BOGUS,
                    assertInstanceOf(Verdict.Bogus.class, a.verdict(), a.toString()).reason());
        }
    }

    @Test
    void nxdomainRcodeBesideACnameAskedByTypeNeedsAProofOfTheTargetsAbsence() {
        // RFC 6604 §2: the rcode speaks of the CNAME's target, which exists here: without a proof,
        // Bogus.
        world.server()
                .inject(
                        Fault.rewrite(
                                        m -> {
                                            m.getHeader().setRcode(Rcode.NXDOMAIN);
                                            return m;
                                        })
                                .forName("alias.example.test.")
                                .times(1));
        try (ValidatingResolver r = resolver()) {
            Answer a = r.resolve("alias.example.test.", Type.CNAME);
            assertEquals(Status.BOGUS, a.status(), a.toString());
            assertEquals(
                    Reason.RRSIGS_MISSING,
                    ((Verdict.Bogus) a.verdict()).reason(),
                    "nothing in the forged NXDOMAIN is signed: " + a);
        }
        try (ValidatingResolver r = resolver()) {
            Answer a =
                    r.resolve(
                            "alias.example.test.",
                            Type.CNAME); // the fault was used up: the real answer
            assertEquals(Status.SECURE, a.status(), a.toString());
            assertEquals(Rcode.NOERROR, a.rcode());
            assertEquals(false, a.nonexistent(), "the CNAME exists");
        }
    }

    @Test
    void anRrsigWhoseRRsetWasRemovedIsNoDataNotACrash() {
        world.server()
                .inject(
                        Fault.rewrite(
                                        m -> {
                                            for (Record r :
                                                    new ArrayList<>(m.getSection(Section.ANSWER))) {
                                                if (r.getType() == Type.CNAME) {
                                                    m.removeRecord(
                                                            r, Section.ANSWER); // its RRSIG stays
                                                    // behind
                                                }
                                            }
                                            return m;
                                        })
                                .forName("alias.example.test."));
        try (ValidatingResolver r = resolver()) {
            Answer a = r.resolve("alias.example.test.", Type.A);
            assertEquals(Status.BOGUS, a.status(), a.toString());
        }
    }

    @Test
    void dsSetMixingASupportedAndAnUnsupportedAlgorithmValidatesWithTheSupportedOne()
            throws Exception {
        org.xbill.DNS.SimpleResolver plain = new org.xbill.DNS.SimpleResolver(world.address());
        Message ds =
                plain.send(
                        Message.newQuery(
                                Record.newRecord(
                                        Name.fromConstantString("mixedalg.test."),
                                        Type.DS,
                                        DClass.IN)));
        List<Integer> algorithms =
                ds.getSection(Section.ANSWER).stream()
                        .filter(r -> r instanceof DSRecord)
                        .map(r -> ((DSRecord) r).getAlgorithm())
                        .sorted()
                        .toList();
        assertEquals(
                List.of(13, 253), algorithms, "the parent publishes one DS per algorithm: " + ds);
        try (ValidatingResolver r = resolver()) {
            Answer a = r.resolve("www.mixedalg.test.", Type.A);
            assertEquals(Status.SECURE, a.status(), a.toString());
            assertEquals(java.util.Set.of(13), ((Verdict.Secure) a.verdict()).algorithms());
        }
    }
}
