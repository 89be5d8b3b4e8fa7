package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * Each deliberate breakage breaks exactly what it says, and the rest of the zone still verifies.
 */
class BreakageTest {

    private static final Instant NOW = WorldTest.NOW;

    private static Zone zone(Consumer<ZoneBuilder> breakage) {
        return World.builder()
                .clock(WorldTest.CLOCK)
                .zone(
                        "example.test.",
                        z -> {
                            z.record("www A 192.0.2.1\nwww TXT \"t\"\nmail A 192.0.2.2");
                            breakage.accept(z);
                        })
                .build()
                .zone("example.test.");
    }

    private static List<DNSKEYRecord> keys(Zone zone) {
        return zone.keys().stream().map(ZoneKey::dnskey).toList();
    }

    private static void verifies(Zone zone, String owner, int type) throws DNSSEC.DNSSECException {
        RRset set = zone.rrset(owner, type).orElseThrow();
        assertFalse(set.sigs().isEmpty(), owner + " has no RRSIG");
        for (RRSIGRecord sig : set.sigs()) {
            Signatures.verify(set, sig, keys(zone), NOW);
        }
    }

    private static void everythingElseVerifies(Zone zone, String brokenOwner, int brokenType)
            throws Exception {
        for (RRset set : Signatures.rrsets(zone.records())) {
            if (set.getName().equals(org.xbill.DNS.Name.fromString(brokenOwner, zone.origin()))
                    && set.getType() == brokenType) {
                continue;
            }
            for (RRSIGRecord sig : set.sigs()) {
                Signatures.verify(set, sig, keys(zone), NOW);
            }
        }
    }

    @Test
    void expiredSignaturesEndedAWeekBeforeTheClock() throws Exception {
        Zone zone = zone(z -> z.breakRRset("www", Type.A, Breakage.EXPIRED_SIGNATURES));
        RRset www = zone.rrset("www", Type.A).orElseThrow();
        assertThrows(
                DNSSEC.SignatureExpiredException.class,
                () -> Signatures.verify(www, www.sigs().get(0), keys(zone), NOW));
        assertEquals(NOW.minus(java.time.Duration.ofDays(7)), www.sigs().get(0).getExpire());
        // The signature itself is good: it verifies at a time inside its window.
        Signatures.verify(
                www, www.sigs().get(0), keys(zone), NOW.minus(java.time.Duration.ofDays(8)));
        verifies(zone, "www", Type.TXT);
        everythingElseVerifies(zone, "www", Type.A);
    }

    @Test
    void notYetValidSignaturesStartAWeekAfterTheClock() throws Exception {
        Zone zone = zone(z -> z.breakRRset("www", Type.A, Breakage.NOT_YET_VALID_SIGNATURES));
        RRset www = zone.rrset("www", Type.A).orElseThrow();
        assertThrows(
                DNSSEC.SignatureNotYetValidException.class,
                () -> Signatures.verify(www, www.sigs().get(0), keys(zone), NOW));
        Signatures.verify(
                www, www.sigs().get(0), keys(zone), NOW.plus(java.time.Duration.ofDays(8)));
        everythingElseVerifies(zone, "www", Type.A);
    }

    @Test
    void tamperedDataNoLongerMatchesItsSignatureButStillParses() throws Exception {
        Zone zone = zone(z -> z.breakRRset("www", Type.A, Breakage.TAMPERED_DATA));
        RRset www = zone.rrset("www", Type.A).orElseThrow();
        assertNotEquals("192.0.2.1", ((ARecord) www.first()).getAddress().getHostAddress());
        assertThrows(
                DNSSEC.SignatureVerificationException.class,
                () -> Signatures.verify(www, www.sigs().get(0), keys(zone), NOW));
        everythingElseVerifies(zone, "www", Type.A);
    }

    @Test
    void missingRrsigsLeaveTheRRsetUnsigned() throws Exception {
        Zone zone = zone(z -> z.breakRRset("mail", Type.A, Breakage.MISSING_RRSIGS));
        RRset mail = zone.rrset("mail", Type.A).orElseThrow();
        assertEquals(1, mail.size());
        assertEquals(0, mail.sigSize());
        everythingElseVerifies(zone, "mail", Type.A);
    }

    @Test
    void unknownSigningKeyMakesASignatureNoPublishedKeyVerifies() throws Exception {
        Zone zone = zone(z -> z.breakRRset("www", Type.A, Breakage.UNKNOWN_SIGNING_KEY));
        RRset www = zone.rrset("www", Type.A).orElseThrow();
        RRSIGRecord sig = www.sigs().get(0);
        for (DNSKEYRecord k : keys(zone)) {
            assertThrows(
                    DNSSEC.DNSSECException.class,
                    () -> DNSSEC.verify(www, sig, k, NOW),
                    "key " + k.getFootprint());
        }
        everythingElseVerifies(zone, "www", Type.A);
    }

    @Test
    void breakAllExpiresEveryRRsetIncludingDnskeyAndDenialRecords() {
        Zone zone = zone(z -> z.breakAll(Breakage.EXPIRED_SIGNATURES));
        int sigs = 0;
        for (RRset set : Signatures.rrsets(zone.records())) {
            for (RRSIGRecord sig : set.sigs()) {
                assertTrue(
                        sig.getExpire().isBefore(NOW),
                        set.getName() + "/" + Type.string(set.getType()));
                sigs++;
            }
        }
        assertTrue(sigs >= 8, "expected DNSKEY, SOA, NS, A, TXT, NSEC … signatures, got " + sigs);
    }

    @Test
    void dsPointsToNoKeyDigestsAKeyTheZoneDoesNotPublish() throws Exception {
        Zone zone = zone(ZoneBuilder::dsPointsToNoKey);
        DSRecord ds = zone.dsRecords().get(0);
        for (DNSKEYRecord k : keys(zone)) {
            assertFalse(
                    Arrays.equals(Signatures.dsDigest(k, "SHA-256"), ds.getDigest()),
                    "DS matches key " + k.getFootprint());
        }
        everythingElseVerifies(zone, "@", -1);
    }

    @Test
    void dsDigestTypesOneTwoAndFourAreComputedAndOthersAreUnsupportedNoise() throws Exception {
        Zone zone = zone(z -> z.dsDigests(1, 2, 4, 3));
        DNSKEYRecord ksk = zone.keys().get(0).dnskey();
        List<DSRecord> ds = zone.dsRecords();
        assertEquals(List.of(1, 2, 4, 3), ds.stream().map(DSRecord::getDigestID).toList());
        assertArrayEquals(Signatures.dsDigest(ksk, "SHA-1"), ds.get(0).getDigest());
        assertArrayEquals(Signatures.dsDigest(ksk, "SHA-256"), ds.get(1).getDigest());
        assertArrayEquals(Signatures.dsDigest(ksk, "SHA-384"), ds.get(2).getDigest());
        assertEquals(32, ds.get(3).getDigest().length, "GOST R 34.11-94 digests are 32 octets");
        assertEquals(Signatures.keyTag(ksk), ds.get(3).getFootprint());
    }

    @Test
    void unsupportedAlgorithmPublishesConsistentKeysAndDsThatNoValidatorCanCheck()
            throws Exception {
        Zone zone = zone(z -> z.unsupportedAlgorithm(253));
        for (DNSKEYRecord k : keys(zone)) {
            assertEquals(253, k.getAlgorithm());
        }
        DNSKEYRecord ksk = zone.keys().get(0).dnskey();
        assertArrayEquals(
                Signatures.dsDigest(ksk, "SHA-256"),
                zone.dsRecords().get(0).getDigest(),
                "DS must match the key");
        assertEquals(253, zone.dsRecords().get(0).getAlgorithm());
        RRset www = zone.rrset("www", Type.A).orElseThrow();
        assertEquals(253, www.sigs().get(0).getAlgorithm());
        assertEquals(
                Signatures.keyTag(zone.keys().get(1).dnskey()), www.sigs().get(0).getFootprint());
        assertThrows(
                DNSSEC.UnsupportedAlgorithmException.class,
                () -> DNSSEC.verify(www, www.sigs().get(0), zone.keys().get(1).dnskey(), NOW));
    }

    @Test
    void revokedKskCarriesTheRevokeBitSignsTheKeysAndNoLongerMatchesTheDs() throws Exception {
        Zone zone = zone(ZoneBuilder::revokedKsk);
        DNSKEYRecord ksk = zone.keys().get(0).dnskey();
        assertEquals(257 | 0x0080, ksk.getFlags());
        RRset keys = zone.rrset("@", Type.DNSKEY).orElseThrow();
        assertEquals(Signatures.keyTag(ksk), keys.sigs().get(0).getFootprint());
        DNSSEC.verify(keys, keys.sigs().get(0), ksk, NOW);
        DSRecord ds = zone.dsRecords().get(0);
        assertFalse(Arrays.equals(Signatures.dsDigest(ksk, "SHA-256"), ds.getDigest()));
        DNSKEYRecord unrevoked =
                new DNSKEYRecord(
                        ksk.getName(),
                        DClass.IN,
                        ksk.getTTL(),
                        257,
                        3,
                        ksk.getAlgorithm(),
                        ksk.getKey());
        assertArrayEquals(
                Signatures.dsDigest(unrevoked, "SHA-256"),
                ds.getDigest(),
                "the DS is the pre-revocation key's");
    }

    @Test
    void keyTrapPublishesCollidingKeysAndGarbageSignaturesBeforeTheRealOne() throws Exception {
        Zone zone = zone(z -> z.keyTrap(20, 5));
        ZoneKey zsk = zone.keys().get(1);
        assertEquals(22, zone.keys().size());
        long colliding =
                zone.keys().stream()
                        .filter(k -> Signatures.keyTag(k.dnskey()) == zsk.keyTag())
                        .count();
        assertEquals(21, colliding, "the ZSK and 20 decoys share one key tag");
        RRset www = zone.rrset("www", Type.A).orElseThrow();
        assertEquals(6, www.sigSize());
        int valid = 0;
        for (RRSIGRecord sig : www.sigs()) {
            assertEquals(zsk.keyTag(), sig.getFootprint());
            try {
                DNSSEC.verify(www, sig, zsk.dnskey(), NOW);
                valid++;
            } catch (DNSSEC.DNSSECException e) {
                // garbage, as intended
            }
        }
        assertEquals(1, valid);
        assertEquals(www.sigs().get(5), www.sigs().stream().reduce((a, b) -> b).orElseThrow());
        DNSSEC.verify(www, www.sigs().get(5), zsk.dnskey(), NOW);
        RRset dnskeys = zone.rrset("@", Type.DNSKEY).orElseThrow();
        DNSSEC.verify(dnskeys, dnskeys.sigs().get(5), zone.keys().get(0).dnskey(), NOW);
    }
}
