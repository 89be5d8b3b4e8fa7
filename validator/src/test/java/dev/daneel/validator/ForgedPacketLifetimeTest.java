package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Fault;
import dev.daneel.testkit.TestClock;
import dev.daneel.testkit.World;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One forged packet must not outlive the bad-data memory (60 s, RFC 4035 §4.7): nothing unvalidated
 * sets a cache lifetime beyond it, a failed validation drops the raw responses it rested on, and
 * key entries are only cached under a name a validated proof speaks for. Each attack is one faulted
 * response; how long its effect lasts is measured with the resolver's clock.
 */
class ForgedPacketLifetimeTest {

    private static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-21T12:00:00Z"));
    private static World world;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.", z -> z.nsec())
                        .zone("victim.test.", z -> z.record("www A 192.0.2.10"))
                        .start();
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
                .timeout(Duration.ofSeconds(2))
                .build();
    }

    private static Record cname(String owner, String target) {
        return new CNAMERecord(
                Name.fromConstantString(owner), DClass.IN, 3600, Name.fromConstantString(target));
    }

    @Test
    void anUnsignedCnameInADsResponseIsBogusForTheBadDataMemoryOnly() {
        try (ValidatingResolver r = resolver()) {
            world.server()
                    .inject(
                            Fault.rewrite(
                                            m -> {
                                                for (Record rec :
                                                        new ArrayList<>(
                                                                m.getSection(Section.ANSWER))) {
                                                    m.removeRecord(rec, Section.ANSWER);
                                                }
                                                m.addRecord(
                                                        cname("victim.test.", "elsewhere.test."),
                                                        Section.ANSWER);
                                                return m;
                                            })
                                    .forName("victim.test.")
                                    .forType(Type.DS)
                                    .times(1));
            assertEquals(
                    Status.BOGUS,
                    r.resolve("www.victim.test.", Type.A).status(),
                    "a forged CNAME proves nothing");
            CLOCK.advance(Duration.ofSeconds(61));
            assertEquals(
                    Status.SECURE,
                    r.resolve("www.victim.test.", Type.A).status(),
                    "61 s later the zone is Secure again, not an hour later");
        }
    }

    @Test
    void aTamperedAnswerIsRememberedFiveSecondsThenAskedAfreshNotReusedFromTheRawCache() {
        try (ValidatingResolver r = resolver()) {
            world.server()
                    .inject(
                            Fault.rewrite(
                                            m -> {
                                                for (Record rec :
                                                        new ArrayList<>(
                                                                m.getSection(Section.ANSWER))) {
                                                    if (rec.getType() == Type.A) {
                                                        m.removeRecord(rec, Section.ANSWER);
                                                        m.addRecord(
                                                                PoisoningAndDowngradeTest.a(
                                                                        "www.victim.test.",
                                                                        PoisoningAndDowngradeTest
                                                                                .FORGED),
                                                                Section.ANSWER);
                                                    }
                                                }
                                                return m;
                                            })
                                    .forName("www.victim.test.")
                                    .forType(Type.A)
                                    .times(1));
            assertEquals(Status.BOGUS, r.resolve("www.victim.test.", Type.A).status());
            long asked = world.server().log().count("www.victim.test.", Type.A);
            assertEquals(
                    Status.BOGUS,
                    r.resolve("www.victim.test.", Type.A).status(),
                    "a validation failure is remembered (RFC 9520)");
            assertEquals(
                    asked,
                    world.server().log().count("www.victim.test.", Type.A),
                    "a remembered failure sends no query");
            CLOCK.advance(Duration.ofSeconds(5));
            assertEquals(
                    Status.SECURE,
                    r.resolve("www.victim.test.", Type.A).status(),
                    "5 s later the name is asked afresh: the forged response was dropped with the"
                            + " failed validation, not reused from the raw cache");
            assertEquals(asked + 1, world.server().log().count("www.victim.test.", Type.A));
        }
    }

    @Test
    void aForgedYxdomainWithAnEnormousTtlIsForgottenAfterTheBadDataMemory() {
        try (ValidatingResolver r = resolver()) {
            world.server()
                    .inject(
                            Fault.rewrite(
                                            m -> {
                                                for (Record rec :
                                                        new ArrayList<>(
                                                                m.getSection(Section.ANSWER))) {
                                                    m.removeRecord(rec, Section.ANSWER);
                                                }
                                                m.getHeader().setRcode(Rcode.YXDOMAIN);
                                                m.addRecord(
                                                        new DNAMERecord(
                                                                Name.fromConstantString(
                                                                        "victim.test."),
                                                                DClass.IN,
                                                                Integer.MAX_VALUE,
                                                                Name.fromConstantString(
                                                                        "a".repeat(60)
                                                                                + "."
                                                                                + "b".repeat(60)
                                                                                + "."
                                                                                + "c".repeat(60)
                                                                                + ".test.")),
                                                        Section.ANSWER);
                                                return m;
                                            })
                                    .forName("www.victim.test.")
                                    .forType(Type.A)
                                    .times(1));
            assertEquals(Status.INDETERMINATE, r.resolve("www.victim.test.", Type.A).status());
            CLOCK.advance(Duration.ofSeconds(61));
            assertEquals(
                    Status.SECURE,
                    r.resolve("www.victim.test.", Type.A).status(),
                    "not stuck for the forged TTL (2^31 - 1 s)");
        }
    }
}
