package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.TestClock;
import dev.daneel.validator.ValidationChain;
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
    private final ValidationChain.Exchange exchange =
            new ValidationChain.Exchange(Name.fromConstantString("x.example."), Type.A, new Message());

    private static NSECRecord nsec(String owner, String next) {
        return new NSECRecord(Name.fromConstantString(owner), DClass.IN, 300, Name.fromConstantString(next),
                new int[] {Type.A, Type.RRSIG, Type.NSEC});
    }

    @Test
    void candidatesAreTheRecordsAtOrBeforeTheNameAndItsWildcards() {
        NsecCache cache = new NsecCache(clock, 100);
        Name zone = Name.fromConstantString("example.");
        cache.put(zone, List.of(nsec("example.", "b.example."), nsec("m.example.", "z.example.")), exchange, 300);
        NsecCache.Candidates c = cache.candidates(Name.fromConstantString("q.example."));
        assertEquals(zone, c.zone());
        assertEquals(List.of("m.example.", "example."), c.records().stream().map(r -> r.getName().toString()).toList());
        assertEquals(300, c.ttlLeft(clock.millis()));
    }

    @Test
    void expiredRecordsAreNotCandidates() {
        NsecCache cache = new NsecCache(clock, 100);
        cache.put(Name.fromConstantString("example."), List.of(nsec("m.example.", "z.example.")), exchange, 60);
        clock.advance(Duration.ofSeconds(61));
        assertTrue(cache.candidates(Name.fromConstantString("q.example.")).entries().isEmpty());
    }

    @Test
    void aNameOutsideEveryCachedZoneHasNoCandidates() {
        NsecCache cache = new NsecCache(clock, 100);
        cache.put(Name.fromConstantString("example."), List.of(nsec("m.example.", "z.example.")), exchange, 60);
        assertNull(cache.candidates(Name.fromConstantString("q.other.")).zone());
    }

    @Test
    void theBoundHoldsAndTheFullestZoneGoesFirst() {
        NsecCache cache = new NsecCache(clock, 10);
        cache.put(Name.fromConstantString("quiet."), List.of(nsec("a.quiet.", "c.quiet.")), exchange, 300);
        for (int i = 0; i < 50; i++) {
            List<NSECRecord> batch = new ArrayList<>();
            batch.add(nsec("n" + i + ".flood.", "n" + i + "a.flood."));
            cache.put(Name.fromConstantString("flood."), batch, exchange, 300);
            assertTrue(cache.size() <= 10, "size " + cache.size());
        }
        assertEquals(Name.fromConstantString("quiet."), cache.candidates(Name.fromConstantString("b.quiet.")).zone(),
                "the zone that filled the cache was evicted, not the quiet one");
    }
}
