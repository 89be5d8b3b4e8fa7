package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.TestClock;
import dev.daneel.testkit.World;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The answer cache is bounded in bytes, not only in entries: hostile answers of about 30 KB each (a
 * zone an attacker controls can serve 28–64 KB) fill it only up to its byte budget, least recently
 * used first.
 */
class AnswerCacheBytesTest {

    private static final World WORLD =
            World.builder().zone("example.test.", z -> z.record("www A 192.0.2.1")).build();

    /**
     * A parsed (wire-sized) response holding about 30 KB of TXT data for any name outside the
     * anchor.
     */
    private static Message big(Name name, int type) {
        Message m = new Message();
        m.getHeader().setFlag(Flags.QR);
        m.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
        String chunk = "x".repeat(250);
        for (int i = 0; i < 120; i++) {
            m.addRecord(new TXTRecord(name, DClass.IN, 3600, chunk + i), Section.ANSWER);
        }
        try {
            return new Message(m.toWire());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void hostileLargeAnswersStayWithinTheByteBudget() {
        long budget = 4L << 20;
        TestClock clock = new TestClock(Instant.parse("2026-11-21T12:00:00Z"));
        Engine e =
                new Engine(
                        EngineConfig.of(
                                        (n, t) -> CompletableFuture.completedFuture(big(n, t)),
                                        TrustAnchors.of(WORLD.trustAnchors()),
                                        clock)
                                .withCacheSize(100_000)
                                .withCacheBytes(budget)
                                // Insecure on purpose, so that the answers are cached like any
                                // unsigned zone's.
                                .withNegativeAnchors(
                                        java.util.List.of(
                                                new dev.daneel.validator.NegativeTrustAnchor(
                                                        Name.fromConstantString(
                                                                "attacker.example."),
                                                        Instant.parse("2030-01-01T00:00:00Z")))));
        for (int i = 0; i < 500; i++) {
            Answer a = e.lookup(Name.fromConstantString("n" + i + ".attacker.example."), Type.TXT);
            assertEquals(Status.INSECURE, a.status(), a.toString());
            assertTrue(
                    e.cachedBytes() <= budget,
                    "after " + i + " answers the cache holds " + e.cachedBytes());
        }
        assertTrue(
                e.cachedBytes() > budget / 2,
                "the budget is used, not just refused: " + e.cachedBytes());
        assertTrue(
                Engine.estimatedBytes(
                                e.lookup(
                                        Name.fromConstantString("n499.attacker.example."),
                                        Type.TXT))
                        > 60_000,
                "a 30 KB answer is weighed as what it costs");
    }

    @Test
    void theHeapTheHostileAnswersTakeIsBoundedByTheBudgetNotByTheirNumber()
            throws InterruptedException {
        // Measured, not estimated: 2,000 answers of about 30 KB (60 MB on the wire) against a 4 MiB
        // budget.
        long budget = 4L << 20;
        TestClock clock = new TestClock(Instant.parse("2026-11-21T12:00:00Z"));
        Engine e =
                new Engine(
                        EngineConfig.of(
                                        (n, t) -> CompletableFuture.completedFuture(big(n, t)),
                                        TrustAnchors.of(WORLD.trustAnchors()),
                                        clock)
                                .withCacheSize(100_000)
                                .withCacheBytes(budget)
                                .withNegativeAnchors(
                                        java.util.List.of(
                                                new dev.daneel.validator.NegativeTrustAnchor(
                                                        Name.fromConstantString(
                                                                "attacker.example."),
                                                        Instant.parse("2030-01-01T00:00:00Z")))));
        for (int i = 0; i < 50; i++) {
            e.lookup(Name.fromConstantString("warm" + i + ".attacker.example."), Type.TXT);
        }
        long baseline = CacheHeapTest.usedHeapAfterGc();
        for (int i = 0; i < 2_000; i++) {
            e.lookup(Name.fromConstantString("n" + i + ".attacker.example."), Type.TXT);
        }
        long grown = CacheHeapTest.usedHeapAfterGc() - baseline;
        // The estimate weighs a parsed answer at three times its wire size; allow the raw-response
        // cache's
        // quarter and the JVM's noise on top. Without the byte bound this would be about 180 MB.
        assertTrue(
                grown < 4 * budget + (8L << 20), "the cache grew the heap by " + grown + " octets");
        assertTrue(e.cachedBytes() <= budget);
    }
}
