package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Fault;
import dev.daneel.testkit.World;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A question of type ANY: every RRset at the name is validated and returned, NSEC included, and no
 * more than {@link Limits#maxAnyRRsets()} of them (the answer is shortened first, as Unbound does),
 * so that a name with many signed RRsets cannot make one question cost a verification each.
 */
class AnyQuestionTest {

    /** Private-use types (RFC 6895 §3.1) to give one name many RRsets. */
    private static final int MANY = 40;

    private static World world;

    @BeforeAll
    static void start() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < MANY; i++) {
            many.append("many TYPE")
                    .append(65280 + i)
                    .append(" \\# 1 0")
                    .append(i % 10)
                    .append('\n');
        }
        world =
                World.builder()
                        .zone("test.", z -> z.nsec())
                        .zone(
                                "any.test.",
                                z ->
                                        z.nsec()
                                                .record("www A 192.0.2.1")
                                                .record("www AAAA 2001:db8::1")
                                                .record("www TXT \"hello\"")
                                                .record("www MX 10 mail.any.test.")
                                                .record(many.toString()))
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

    private static ValidatingResolver resolver(Limits limits) {
        return ValidatingResolver.builder()
                .upstream(world.address())
                .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                .limits(limits)
                .timeout(Duration.ofSeconds(2))
                .build();
    }

    private static Set<String> types(Answer a) {
        Set<String> t = new TreeSet<>();
        for (Record r : a.records()) {
            t.add(Type.string(r.getType()));
        }
        return t;
    }

    @Test
    void everyRrsetAtTheNameIsValidatedAndReturnedNsecIncluded() {
        try (ValidatingResolver r = resolver(Limits.DEFAULT)) {
            Answer a = r.resolve("www.any.test.", Type.ANY);
            assertEquals(Status.SECURE, a.status(), a.toString());
            assertEquals(Set.of("A", "AAAA", "MX", "NSEC", "TXT"), types(a), a.toString());
        }
    }

    @Test
    void anAnswerWithMoreRrsetsThanTheLimitIsShortenedNotRefused() {
        try (ValidatingResolver r = resolver(Limits.DEFAULT)) {
            Answer a = r.resolve("many.any.test.", Type.ANY);
            assertEquals(Status.SECURE, a.status(), a.toString());
            assertEquals(
                    Limits.DEFAULT.maxAnyRRsets(),
                    types(a).size(),
                    "the first " + Limits.DEFAULT.maxAnyRRsets() + " RRsets, validated: " + a);
        }
        // Every one of the 41 RRsets (40 private types and NSEC) needs its own verification: with
        // the shortening off the answer costs more than the default budget of 64 allows for it.
        Limits all = Limits.DEFAULT.withMaxAnyRRsets(MANY + 1);
        try (ValidatingResolver r = resolver(all)) {
            Answer a = r.resolve("many.any.test.", Type.ANY);
            assertEquals(Status.SECURE, a.status(), a.toString());
            assertEquals(MANY + 1, types(a).size(), a.toString());
        }
        try (ValidatingResolver r = resolver(all.withMaxSignatureChecks(30))) {
            Verdict.Bogus b =
                    assertInstanceOf(
                            Verdict.Bogus.class,
                            r.resolve("many.any.test.", Type.ANY).verdict(),
                            "41 RRsets need more than 30 verifications");
            assertEquals(Reason.WORK_LIMIT_EXCEEDED, b.reason());
            assertEquals(Limit.SIGNATURE_CHECKS, b.limitHit().orElseThrow());
        }
    }

    @Test
    void aTamperedRrsetAmongThemMakesTheAnswerBogus() {
        world.server()
                .inject(
                        Fault.rewrite(
                                        m -> {
                                            for (Record rec :
                                                    new ArrayList<>(m.getSection(Section.ANSWER))) {
                                                if (rec.getType() == Type.TXT) {
                                                    m.removeRecord(rec, Section.ANSWER);
                                                    m.addRecord(
                                                            new TXTRecord(
                                                                    rec.getName(),
                                                                    rec.getDClass(),
                                                                    rec.getTTL(),
                                                                    "forged"),
                                                            Section.ANSWER);
                                                }
                                            }
                                            return m;
                                        })
                                .forName("www.any.test.")
                                .forType(Type.ANY));
        try (ValidatingResolver r = resolver(Limits.DEFAULT)) {
            Answer a = r.resolve("www.any.test.", Type.ANY);
            assertEquals(Status.BOGUS, a.status(), a.toString());
            assertTrue(a.records().isEmpty(), "a Bogus answer hands out no records");
        }
    }
}
