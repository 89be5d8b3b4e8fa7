package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.World;
import dev.daneel.testkit.Zone;
import dev.daneel.testkit.ZoneKey;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * {@link EcSignatures} against dnsjava's {@link DNSSEC#verify} (the JDK's providers) on signatures
 * the testkit makes: both accept the genuine signature, and the fast path refuses tampered data,
 * another key and a time outside the window, which {@link Crypto#STANDARD} then reports through
 * dnsjava.
 */
class EcSignaturesTest {

    @ParameterizedTest
    @ValueSource(ints = {13, 14, 15, 16})
    void agreesWithDnsjavaOnGenuineAndBrokenSignatures(int algorithm) throws Exception {
        World world =
                World.builder()
                        .zone("ec.test.", z -> z.algorithm(algorithm).record("www A 192.0.2.1"))
                        .build();
        Zone zone = world.zone("ec.test.");
        RRset set = zone.rrset("www", Type.A).orElseThrow();
        RRSIGRecord sig = set.sigs().get(0);
        DNSKEYRecord key =
                zone.keys().stream()
                        .filter(ZoneKey::signsData)
                        .map(ZoneKey::dnskey)
                        .filter(k -> k.getFootprint() == sig.getFootprint())
                        .findFirst()
                        .orElseThrow();
        DNSKEYRecord other =
                zone.keys().stream()
                        .filter(ZoneKey::signsKeys)
                        .map(ZoneKey::dnskey)
                        .findFirst()
                        .orElseThrow();
        Instant now = sig.getTimeSigned().plusSeconds(60);

        assertTrue(EcSignatures.handles(algorithm));
        assertDoesNotThrow(() -> DNSSEC.verify(set, sig, key, now));
        assertTrue(EcSignatures.verifies(set, sig, key, now));

        RRset tampered =
                new RRset(
                        new ARecord(
                                set.getName(),
                                set.getDClass(),
                                set.getTTL(),
                                java.net.InetAddress.getByName("192.0.2.99")));
        tampered.addRR(sig);
        assertFalse(EcSignatures.verifies(tampered, sig, key, now));
        assertThrows(
                DNSSEC.DNSSECException.class,
                () -> DNSSEC.verify(tampered, sig, key, now)); // dnsjava agrees
        assertTrue(Crypto.STANDARD.check(tampered, sig, key, now).isPresent());
        assertFalse(EcSignatures.verifies(set, sig, other, now));
        assertFalse(EcSignatures.verifies(set, sig, key, sig.getExpire().plusSeconds(1)));
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 8, 10})
    void leavesRsaToDnsjava(int algorithm) {
        assertFalse(EcSignatures.handles(algorithm));
    }
}
