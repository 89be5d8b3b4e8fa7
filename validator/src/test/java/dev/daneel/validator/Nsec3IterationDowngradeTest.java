package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Fault;
import dev.daneel.testkit.World;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * RFC 9276's "too many iterations → Insecure" must never let an attacker switch DNSSEC off: the
 * policy applies only to the records a denial proof rests on, after the proof is checked. A parent
 * signed with NSEC3 at 200 iterations (above the soft limit of 150, below the hard limit of 500) is
 * the setting; stripping a secure child's DS and offering the parent's genuine, signed NSEC3 record
 * for the child — which lists DS — proves that the DS exists, so the answer is Bogus.
 */
class Nsec3IterationDowngradeTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
    private static World world;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.", z -> z.nsec3(200, "ab", false))
                        .zone("victim.test.", z -> z.record("www A 192.0.2.10"))
                        .zone("unsigned.test.", z -> z.unsigned().record("www A 192.0.2.20"))
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

    /**
     * The parent's own NSEC3 RRset for the delegation that has DS (found by its bitmap, not by
     * hashing).
     */
    private static RRset parentNsec3ListingDs() {
        for (RRset set : world.zone("test.").nsec3Chain()) {
            int[] types = ((NSEC3Record) set.first()).getTypes();
            if (Arrays.stream(types).anyMatch(t -> t == Type.DS)) {
                return set;
            }
        }
        throw new AssertionError("test. has no NSEC3 record listing DS");
    }

    @Test
    void strippedDsWithTheParentsHighIterationNsec3ListingDsIsBogusNotInsecure() {
        RRset proofOfDs = parentNsec3ListingDs();
        world.server()
                .inject(
                        Fault.rewrite(
                                        m -> {
                                            for (Record r :
                                                    new ArrayList<>(m.getSection(Section.ANSWER))) {
                                                m.removeRecord(r, Section.ANSWER);
                                            }
                                            proofOfDs
                                                    .rrs(false)
                                                    .forEach(
                                                            r -> m.addRecord(r, Section.AUTHORITY));
                                            proofOfDs
                                                    .sigs()
                                                    .forEach(
                                                            r -> m.addRecord(r, Section.AUTHORITY));
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
    void withoutTheAttackTheSignedChildIsSecure() {
        try (ValidatingResolver r = resolver()) {
            assertEquals(Status.SECURE, r.resolve("www.victim.test.", Type.A).status());
        }
    }

    @Test
    void aGenuineDenialRestingOnHighIterationsIsInsecureWithEde27() {
        try (ValidatingResolver r = resolver()) {
            Answer nx = r.resolve("nope.test.", Type.A);
            Verdict.Insecure i =
                    assertInstanceOf(Verdict.Insecure.class, nx.verdict(), nx.toString());
            assertEquals(InsecureCause.NSEC3_ITERATIONS, i.cause());
            assertEquals(27, i.cause().edeCode().getAsInt());
            assertEquals(Status.INSECURE, r.resolve("www.unsigned.test.", Type.A).status());
        }
    }

    @Test
    void theSoftLimitIsThePeersOneHundredFifty() {
        assertEquals(150, Limits.DEFAULT.nsec3IterationsInsecureAbove());
        assertEquals(500, Limits.DEFAULT.nsec3IterationsBogusAbove());
    }
}
