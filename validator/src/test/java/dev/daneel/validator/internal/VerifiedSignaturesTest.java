package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.World;
import dev.daneel.testkit.Zone;
import dev.daneel.testkit.ZoneKey;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * {@link VerifiedSignatures}: the same signature over the same data with the same key is computed
 * once; other data is computed again; a failure is never remembered.
 */
class VerifiedSignaturesTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void computesASignatureOnceAndFailuresEveryTime() throws Exception {
        World world =
                World.builder()
                        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                        .zone("sig.test.", z -> z.record("www A 192.0.2.1"))
                        .build();
        Zone zone = world.zone("sig.test.");
        RRset set = zone.rrset("www", Type.A).orElseThrow();
        RRSIGRecord sig = set.sigs().get(0);
        DNSKEYRecord key =
                zone.keys().stream()
                        .filter(ZoneKey::signsData)
                        .map(ZoneKey::dnskey)
                        .findFirst()
                        .orElseThrow();
        AtomicInteger computed = new AtomicInteger();
        Crypto counting =
                new Crypto() {
                    @Override
                    public boolean supported(int algorithm) {
                        return true;
                    }

                    @Override
                    public java.util.Optional<String> check(
                            RRset s, RRSIGRecord r, DNSKEYRecord k, Instant at) {
                        computed.incrementAndGet();
                        return Crypto.STANDARD.check(s, r, k, at);
                    }
                };
        VerifiedSignatures cache =
                new VerifiedSignatures(counting, Clock.fixed(NOW, ZoneOffset.UTC), 16);

        assertTrue(cache.check(set, sig, key, NOW).isEmpty());
        assertTrue(cache.check(new RRset(set), sig, key, NOW).isEmpty());
        assertEquals(
                1, computed.get(), "the second, identical verification must come from the cache");

        RRset tampered =
                new RRset(
                        new ARecord(
                                set.getName(),
                                set.getDClass(),
                                set.getTTL(),
                                InetAddress.getByName("192.0.2.9")));
        tampered.addRR(sig);
        assertTrue(cache.check(tampered, sig, key, NOW).isPresent());
        assertTrue(cache.check(tampered, sig, key, NOW).isPresent());
        assertEquals(3, computed.get(), "failures are computed every time");
    }
}
