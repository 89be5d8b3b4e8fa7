package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.TestClock;
import dev.daneel.validator.Evidence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class NsecCacheTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-11-21T12:00:00Z"));
    private final Evidence.Exchange exchange =
            new Evidence.Exchange(Name.fromConstantString("x.example."), Type.A, new Message());

    private static NSECRecord nsec(String owner, String next) {
        return new NSECRecord(
                Name.fromConstantString(owner),
                DClass.IN,
                300,
                Name.fromConstantString(next),
                new int[] {Type.A, Type.RRSIG, Type.NSEC});
    }

    @Test
    void candidatesAreTheRecordsAtOrBeforeTheNameAndItsWildcards() {
        NsecCache cache = new NsecCache(clock, 100);
        Name zone = Name.fromConstantString("example.");
        cache.put(
                zone,
                List.of(nsec("example.", "b.example."), nsec("m.example.", "z.example.")),
                List.of(),
                exchange,
                300);
        NsecCache.Candidates c = cache.candidates(Name.fromConstantString("q.example."));
        assertEquals(zone, c.zone());
        assertEquals(
                List.of("m.example.", "example."),
                c.records().stream().map(r -> r.getName().toString()).toList());
        assertEquals(300, NsecCache.ttlLeft(c.entries(), clock.millis()));
    }

    @Test
    void expiredRecordsAreNotCandidates() {
        NsecCache cache = new NsecCache(clock, 100);
        cache.put(
                Name.fromConstantString("example."),
                List.of(nsec("m.example.", "z.example.")),
                List.of(),
                exchange,
                60);
        clock.advance(Duration.ofSeconds(61));
        assertTrue(cache.candidates(Name.fromConstantString("q.example.")).entries().isEmpty());
    }

    @Test
    void aNameOutsideEveryCachedZoneHasNoCandidates() {
        NsecCache cache = new NsecCache(clock, 100);
        cache.put(
                Name.fromConstantString("example."),
                List.of(nsec("m.example.", "z.example.")),
                List.of(),
                exchange,
                60);
        assertNull(cache.candidates(Name.fromConstantString("q.other.")).zone());
    }

    @Test
    void theBoundHoldsAndTheFullestZoneGoesFirst() {
        NsecCache cache = new NsecCache(clock, 10);
        cache.put(
                Name.fromConstantString("quiet."),
                List.of(nsec("a.quiet.", "c.quiet.")),
                List.of(),
                exchange,
                300);
        for (int i = 0; i < 50; i++) {
            List<NSECRecord> batch = new ArrayList<>();
            batch.add(nsec("n" + i + ".flood.", "n" + i + "a.flood."));
            cache.put(Name.fromConstantString("flood."), batch, List.of(), exchange, 300);
            assertTrue(cache.size() <= 10, "size " + cache.size());
        }
        assertEquals(
                Name.fromConstantString("quiet."),
                cache.candidates(Name.fromConstantString("b.quiet.")).zone(),
                "the zone that filled the cache was evicted, not the quiet one");
    }

    @Test
    void nsec3RecordsAreFoundByHashAndTheChainWrapsRound() {
        NsecCache cache = new NsecCache(clock, 100);
        Name zone = Name.fromConstantString("example.");
        cache.put(zone, List.of(), List.of(nsec3("4", "8"), nsec3("8", "c")), exchange, 300);
        assertEquals(zone, cache.nsec3Zone(Name.fromConstantString("a.b.example.")).zone());
        assertEquals("4".repeat(32), label(cache.nsec3AtOrBefore(zone, "5".repeat(32))));
        assertEquals("8".repeat(32), label(cache.nsec3AtOrBefore(zone, "8".repeat(32))));
        assertEquals(
                "8".repeat(32),
                label(cache.nsec3AtOrBefore(zone, "2".repeat(32))),
                "before the first hash: the last record (wrap)");
        assertNull(cache.nsec3Zone(Name.fromConstantString("a.other.")));
        clock.advance(Duration.ofSeconds(301));
        assertNull(cache.nsec3AtOrBefore(zone, "5".repeat(32)));
    }

    private static String label(NsecCache.Entry e) {
        return e.record().getName().getLabelString(0);
    }

    private static org.xbill.DNS.NSEC3Record nsec3(String hash, String next) {
        byte[] nextHash =
                new org.xbill.DNS.utils.base32(
                                org.xbill.DNS.utils.base32.Alphabet.BASE32HEX, false, false)
                        .fromString(next.repeat(32).toUpperCase());
        return new org.xbill.DNS.NSEC3Record(
                Name.fromConstantString(hash.repeat(32) + ".example."),
                DClass.IN,
                300,
                org.xbill.DNS.NSEC3Record.SHA1_DIGEST_ID,
                0,
                0,
                null,
                nextHash,
                new int[] {Type.A});
    }
}
