package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@link TtlCache}: expiry by the injected clock, the entry bound, and least-recently-used
 * eviction.
 */
class TtlCacheTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-11-21T12:00:00Z"));

    @Test
    void anEntryLivesForItsTtlByTheInjectedClock() {
        TtlCache<String, String> c = new TtlCache<>(clock, 16);
        c.put("k", "v", 60);
        assertEquals(60, c.get("k").ttlLeft());
        clock.advance(Duration.ofSeconds(59));
        assertEquals(1, c.get("k").ttlLeft());
        clock.advance(Duration.ofSeconds(1));
        assertNull(c.get("k"));
        assertTrue(!c.contains("k"));
    }

    @Test
    void aTtlOfZeroStoresNothing() {
        TtlCache<String, String> c = new TtlCache<>(clock, 16);
        c.put("k", "v", 0);
        c.put("n", "v", -5);
        assertEquals(0, c.size());
    }

    @Test
    void theBoundHoldsAndTheLeastRecentlyUsedGoFirst() {
        TtlCache<Integer, Integer> c = new TtlCache<>(clock, 32);
        c.put(0, 0, 3600);
        for (int i = 1; i < 1000; i++) {
            c.put(i, i, 3600);
            assertNotNull(c.get(0), "read after every insertion, entry 0 stays the newest");
            assertTrue(c.size() <= 32, "size " + c.size());
        }
        assertNull(c.get(1), "an old entry nobody read was evicted");
        assertNotNull(c.get(999));
    }

    @Test
    void expiredEntriesGoBeforeLiveOnes() {
        TtlCache<Integer, Integer> c = new TtlCache<>(clock, 16);
        for (int i = 0; i < 16; i++) {
            c.put(i, i, i < 8 ? 10 : 3600);
        }
        clock.advance(Duration.ofSeconds(11));
        c.put(100, 100, 3600);
        for (int i = 8; i < 16; i++) {
            assertNotNull(c.get(i), "live entry " + i + " kept while expired ones were dropped");
        }
    }

    @Test
    void theByteBoundHoldsExactlyThroughPutsReplacementsAndRemovals() {
        TtlCache<Integer, byte[]> c = new TtlCache<>(clock, 10_000, 1600, v -> v.length);
        for (int i = 0; i < 200; i++) {
            c.put(i % 50, new byte[64], 3600); // replacements must not count twice
            assertTrue(c.bytes() <= 1600, "bytes " + c.bytes());
        }
        c.put(1000, new byte[200], 3600); // more than a sixteenth of the budget: not kept
        assertNull(c.get(1000));
        long before = c.bytes();
        c.remove(3);
        assertTrue(c.bytes() <= before);
        c.clear();
        assertEquals(0, c.bytes());
    }
}
