package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Fault;
import dev.daneel.testkit.TestClock;
import dev.daneel.testkit.World;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Proofs that come with the answer (RFC 4035 §5.2): the parent's signed NSEC showing a delegation
 * without DS, carried in the authority section of a response the lookup already holds, ends the
 * chain of trust there without a DS query; anything that does not prove it leaves the DS query to
 * decide.
 */
class AuthorityProofTest {

    private static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-21T12:00:00Z"));
    private static final String CHILD = "child.parent.test.";
    private static World world;
    private static TrustAnchors anchors;

    /** The parent's signed NSEC at the child, with its RRSIG, as the DS query's answer has it. */
    private static List<Record> proof;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.", z -> z.nsec())
                        .zone("parent.test.", z -> z.nsec().record("www A 192.0.2.1"))
                        .zone(CHILD, z -> z.unsigned().record("www A 192.0.2.2"))
                        .start()
                        .signAll();
        anchors = TrustAnchors.of(world.trustAnchors());
        try (ValidatingResolver r = resolver()) {
            Answer ds = r.resolve(CHILD, Type.DS);
            assertEquals(Status.SECURE, ds.status(), ds.toString());
            proof = new ArrayList<>();
            for (Evidence.Exchange e : ds.evidence().exchanges()) {
                if (e.type() == Type.DS && e.name().equals(Name.fromConstantString(CHILD))) {
                    for (RRset set : e.response().getSectionRRsets(Section.AUTHORITY)) {
                        if (set.getType() == Type.NSEC) {
                            proof.addAll(set.rrs(false));
                            proof.addAll(set.sigs());
                        }
                    }
                }
            }
            assertEquals(2, proof.size(), "the NSEC at the child and its RRSIG: " + proof);
        }
        world.server().log().clear();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @AfterEach
    void clearFaults() {
        world.server().clearFaults();
        world.server().log().clear();
    }

    private static ValidatingResolver resolver() {
        return ValidatingResolver.builder()
                .upstream(world.address())
                .trustAnchors(anchors)
                .clock(CLOCK)
                .timeout(Duration.ofSeconds(3))
                .build();
    }

    /** Adds {@code records} to the authority section of the child's answer for www A. */
    private static void childAnswerCarries(UnaryOperator<List<Record>> edit) {
        List<Record> records = edit.apply(new ArrayList<>(proof));
        world.server()
                .inject(
                        Fault.rewrite(
                                        (Message m) -> {
                                            for (Record r : records) {
                                                m.addRecord(r, Section.AUTHORITY);
                                            }
                                            return m;
                                        })
                                .forName("www." + CHILD)
                                .forType(Type.A));
    }

    private static long dsQueries() {
        return world.server().log().count(CHILD, Type.DS);
    }

    @Test
    void withoutAProofInTheAnswerTheDsIsAsked() {
        try (ValidatingResolver r = resolver()) {
            Answer a = r.resolve("www." + CHILD, Type.A);
            assertInsecureAtChild(a);
            assertEquals(1, dsQueries());
        }
    }

    @Test
    void theParentsSignedNsecInTheAnswerProvesTheDelegationInsecureWithoutADsQuery() {
        childAnswerCarries(l -> l);
        try (ValidatingResolver r = resolver()) {
            Answer a = r.resolve("www." + CHILD, Type.A);
            assertInsecureAtChild(a);
            assertEquals(0, dsQueries(), "the proof came with the answer");
            Answer again =
                    ValidatingResolver.verifyOffline(
                            a.evidence(), a.name(), Type.A, anchors, CLOCK.instant());
            assertEquals(
                    Status.INSECURE,
                    again.status(),
                    "the evidence holds the response that proved it: " + again);
        }
    }

    @Test
    void aProofWhoseSignatureFailsIsNoHintTheDsIsAsked() {
        childAnswerCarries(
                l -> {
                    RRSIGRecord sig = (RRSIGRecord) l.get(1);
                    byte[] broken = sig.getSignature().clone();
                    broken[broken.length / 2] ^= 1;
                    l.set(
                            1,
                            new RRSIGRecord(
                                    sig.getName(),
                                    sig.getDClass(),
                                    sig.getTTL(),
                                    sig.getTypeCovered(),
                                    sig.getAlgorithm(),
                                    sig.getOrigTTL(),
                                    sig.getExpire(),
                                    sig.getTimeSigned(),
                                    sig.getFootprint(),
                                    sig.getSigner(),
                                    broken));
                    return l;
                });
        try (ValidatingResolver r = resolver()) {
            assertInsecureAtChild(r.resolve("www." + CHILD, Type.A));
            assertEquals(1, dsQueries(), "a broken hint changes nothing: the DS answer decides");
        }
    }

    @Test
    void anNsecThatDoesNotProveAnInsecureCutIsNoHint() {
        // The parent's NSEC at its own apex (signed, valid) says nothing about the child's DS.
        try (ValidatingResolver r = resolver()) {
            List<Record> apex = new ArrayList<>();
            Answer nodata = r.resolve("parent.test.", Type.TXT);
            assertEquals(Status.SECURE, nodata.status(), nodata.toString());
            for (Evidence.Exchange e : nodata.evidence().exchanges()) {
                if (e.type() == Type.TXT) {
                    for (RRset set : e.response().getSectionRRsets(Section.AUTHORITY)) {
                        if (set.getType() == Type.NSEC) {
                            apex.addAll(set.rrs(false));
                            apex.addAll(set.sigs());
                        }
                    }
                }
            }
            assertFalse(apex.isEmpty());
            assertTrue(apex.get(0) instanceof NSECRecord);
            childAnswerCarries(l -> apex);
        }
        world.server().log().clear();
        try (ValidatingResolver r = resolver()) {
            assertInsecureAtChild(r.resolve("www." + CHILD, Type.A));
            assertEquals(1, dsQueries());
        }
    }

    private static void assertInsecureAtChild(Answer a) {
        Verdict.Insecure i = assertInstanceOf(Verdict.Insecure.class, a.verdict(), a.toString());
        assertEquals(InsecureCause.UNSIGNED_DELEGATION, i.cause());
        assertEquals(Name.fromConstantString(CHILD), i.delegation().orElseThrow());
        assertEquals(1, a.records().size(), a.toString());
    }
}
