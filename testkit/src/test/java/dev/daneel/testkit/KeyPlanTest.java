package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * Zones described key by key ({@link KeyPlan}): double signing with two algorithms, a 1536-bit RSA
 * ZSK, a DNSKEY RRset signed by one of two algorithms, a revoked RSA KSK beside a valid ECDSA KSK,
 * and the scripted root phases of {@link RootRoll}. Every signature the tests count is verified
 * with dnsjava.
 */
class KeyPlanTest {

    private static final Instant NOW = Instant.parse("2027-10-01T00:00:00Z");
    private static final int RSA = DNSSEC.Algorithm.RSASHA256;
    private static final int ECDSA = DNSSEC.Algorithm.ECDSAP256SHA256;

    private static World world(Consumer<ZoneBuilder> root) {
        return World.builder()
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .reuseKeysAcrossWorlds()
                .zone(
                        ".",
                        z -> {
                            z.rsaKeyBits(1024);
                            root.accept(z);
                        })
                .zone("test.", z -> z.record("www A 192.0.2.1"))
                .build();
    }

    /** The algorithms of the RRSIGs over an RRset that verify against the zone's own keys. */
    private static Set<Integer> verifiedAlgorithms(RRset set, List<ZoneKey> keys) throws Exception {
        Set<Integer> out = new TreeSet<>();
        for (RRSIGRecord sig : set.sigs()) {
            for (ZoneKey k : keys) {
                if (k.keyTag() == sig.getFootprint() && k.algorithm() == sig.getAlgorithm()) {
                    DNSSEC.verify(set, sig, k.dnskey(), NOW);
                    out.add(sig.getAlgorithm());
                }
            }
        }
        assertEquals(
                set.sigs().size(),
                out.size(),
                "every RRSIG over "
                        + set.getName()
                        + "/"
                        + Type.string(set.getType())
                        + " verifies with a published key");
        return out;
    }

    @Test
    void aDoubleSignedZoneSignsEveryRRsetWithBothAlgorithms() throws Exception {
        World w = world(z -> z.doubleSigned(RSA, ECDSA));
        Zone root = w.zone(".");
        List<ZoneKey> keys = root.keys();
        assertEquals(4, keys.size());
        assertEquals(
                Set.of(RSA, ECDSA),
                verifiedAlgorithms(root.rrset("@", Type.DNSKEY).orElseThrow(), keys));
        assertEquals(
                Set.of(RSA, ECDSA),
                verifiedAlgorithms(root.rrset("@", Type.SOA).orElseThrow(), keys));
        assertEquals(
                Set.of(RSA, ECDSA),
                verifiedAlgorithms(root.rrset("test.", Type.DS).orElseThrow(), keys));
        assertEquals(
                Set.of(RSA, ECDSA),
                verifiedAlgorithms(root.rrset("@", Type.NSEC).orElseThrow(), keys));
        // the DNSKEY RRset is signed by the KSKs only, the data by the ZSKs only
        RRset dnskey = root.rrset("@", Type.DNSKEY).orElseThrow();
        for (RRSIGRecord sig : dnskey.sigs()) {
            assertTrue(
                    keys.stream()
                            .anyMatch(
                                    k ->
                                            k.keyTag() == sig.getFootprint()
                                                    && k.role() == ZoneKey.Role.KSK));
        }
        for (RRSIGRecord sig : root.rrset("@", Type.SOA).orElseThrow().sigs()) {
            assertTrue(
                    keys.stream()
                            .anyMatch(
                                    k ->
                                            k.keyTag() == sig.getFootprint()
                                                    && k.role() == ZoneKey.Role.ZSK));
        }
        assertEquals(
                Set.of(RSA, ECDSA),
                Set.copyOf(w.trustAnchors().stream().map(DSRecord::getAlgorithm).toList()),
                "a DS for the KSK of each algorithm");
    }

    @Test
    void anRsaZskOf1536Bits() {
        World w = world(z -> z.key(KeyPlan.ksk("k", RSA)).key(KeyPlan.zsk("z", RSA).rsaBits(1536)));
        ZoneKey zsk = w.zone(".").keys().get(1);
        assertEquals(ZoneKey.Role.ZSK, zsk.role());
        assertEquals(1536, modulusBits(zsk.dnskey()));
        assertEquals(
                1024,
                modulusBits(w.zone(".").keys().get(0).dnskey()),
                "the KSK keeps the zone's size");
        World defaults = world(z -> z.algorithm(RSA).zskRsaKeyBits(1536));
        assertEquals(1536, modulusBits(defaults.zone(".").keys().get(1).dnskey()));
        assertEquals(1024, modulusBits(defaults.zone(".").keys().get(0).dnskey()));
    }

    private static int modulusBits(DNSKEYRecord k) {
        try {
            BigInteger n = ((RSAPublicKey) k.getPublicKey()).getModulus();
            return n.bitLength();
        } catch (DNSSEC.DNSSECException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPhaseBoundaryDnskeyRRsetSignedByOneOfTwoAlgorithms() throws Exception {
        World w = world(z -> z.doubleSigned(RSA, ECDSA).dnskeySignedOnlyBy(ECDSA));
        Zone root = w.zone(".");
        assertEquals(4, root.keys().size(), "the RSA KSK stays published");
        assertEquals(
                Set.of(ECDSA),
                verifiedAlgorithms(root.rrset("@", Type.DNSKEY).orElseThrow(), root.keys()));
        assertEquals(
                Set.of(RSA, ECDSA),
                verifiedAlgorithms(root.rrset("@", Type.SOA).orElseThrow(), root.keys()));
    }

    @Test
    void aRevokedRsaKskBesideAValidEcdsaKsk() throws Exception {
        World w =
                world(
                        z ->
                                z.key(KeyPlan.ksk("ksk-rsa", RSA).revoke())
                                        .key(KeyPlan.ksk("ksk-ecdsa", ECDSA))
                                        .key(KeyPlan.zsk("zsk-ecdsa", ECDSA)));
        Zone root = w.zone(".");
        assertEquals(257 | 0x80, root.keys().get(0).dnskey().getFlags());
        assertEquals(257, root.keys().get(1).dnskey().getFlags());
        assertEquals(
                Set.of(RSA, ECDSA),
                verifiedAlgorithms(root.rrset("@", Type.DNSKEY).orElseThrow(), root.keys()),
                "the revoked key signs the DNSKEY RRset itself (RFC 5011 §2.1)");
        assertEquals(
                Set.of(ECDSA),
                verifiedAlgorithms(root.rrset("@", Type.SOA).orElseThrow(), root.keys()));
    }

    @Test
    void aPublishedOnlyKeySignsNothing() throws Exception {
        World w =
                world(
                        z ->
                                z.key(KeyPlan.ksk("old", RSA).publishedOnly())
                                        .key(KeyPlan.ksk("new", RSA))
                                        .key(KeyPlan.zsk("z", RSA)));
        Zone root = w.zone(".");
        RRset dnskey = root.rrset("@", Type.DNSKEY).orElseThrow();
        assertEquals(3, dnskey.size());
        assertEquals(1, dnskey.sigs().size());
        assertEquals(root.keys().get(1).keyTag(), dnskey.sigs().get(0).getFootprint());
        assertEquals(2, w.trustAnchors().size(), "both KSKs keep a DS");
    }

    @Test
    void keysOfAlgorithmsTheTestkitCannotSignWithArePublishedWithRandomBytes() throws Exception {
        World w =
                world(
                        z ->
                                z.key(KeyPlan.ksk("k", ECDSA))
                                        .key(KeyPlan.zsk("z", ECDSA))
                                        .key(
                                                KeyPlan.ksk("dsa", DNSSEC.Algorithm.DSA)
                                                        .publishedOnly())
                                        .key(KeyPlan.ksk("gost", DNSSEC.Algorithm.ECC_GOST)));
        Zone root = w.zone(".");
        assertEquals(
                List.of(ECDSA, ECDSA, DNSSEC.Algorithm.DSA, DNSSEC.Algorithm.ECC_GOST),
                root.keys().stream().map(ZoneKey::algorithm).toList());
        assertEquals(null, root.keys().get(3).privateKey());
        RRset dnskey = root.rrset("@", Type.DNSKEY).orElseThrow();
        assertEquals(
                Set.of(ECDSA, DNSSEC.Algorithm.ECC_GOST),
                Set.copyOf(dnskey.sigs().stream().map(RRSIGRecord::getAlgorithm).toList()),
                "the GOST key 'signs' with random bytes; the DSA key only is published");
        assertEquals(
                root.keys().get(3).dnskey(),
                world(
                                z ->
                                        z.key(KeyPlan.ksk("k", ECDSA))
                                                .key(KeyPlan.zsk("z", ECDSA))
                                                .key(
                                                        KeyPlan.ksk("dsa", DNSSEC.Algorithm.DSA)
                                                                .publishedOnly())
                                                .key(
                                                        KeyPlan.ksk(
                                                                "gost", DNSSEC.Algorithm.ECC_GOST)))
                        .zone(".")
                        .keys()
                        .get(3)
                        .dnskey(),
                "the same bytes in every world");
        assertThrows(
                IllegalStateException.class,
                () ->
                        World.builder()
                                .zone(
                                        ".",
                                        z ->
                                                z.key(
                                                                KeyPlan.ksk(
                                                                        "gost",
                                                                        DNSSEC.Algorithm.ECC_GOST))
                                                        .key(KeyPlan.zsk("z", ECDSA)))
                                .build(),
                "a zone whose DNSKEY RRset only a fabricated key would sign is refused");
    }

    @Test
    void keysKeepTheirIdentityAcrossWorldsByLabel() {
        World a = world(z -> z.doubleSigned(RSA, ECDSA));
        World b =
                world(
                        z ->
                                z.key(KeyPlan.ksk("ksk-" + ECDSA, ECDSA))
                                        .key(KeyPlan.zsk("zsk-" + ECDSA, ECDSA)));
        assertEquals(a.zone(".").keys().get(2).dnskey(), b.zone(".").keys().get(0).dnskey());
    }

    @Test
    void badPlansAreRefusedNamingTheProblem() {
        assertThrows(IllegalArgumentException.class, () -> KeyPlan.ksk("bad label", RSA));
        assertThrows(IllegalArgumentException.class, () -> KeyPlan.ksk("k", 0));
        assertThrows(IllegalArgumentException.class, () -> KeyPlan.ksk("k", 256));
        assertThrows(IllegalArgumentException.class, () -> KeyPlan.zsk("z", 3).rsaBits(1024));
        assertThrows(IllegalArgumentException.class, () -> KeyPlan.zsk("z", ECDSA).rsaBits(1536));
        assertThrows(IllegalArgumentException.class, () -> KeyPlan.zsk("z", RSA).rsaBits(512));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        World.builder()
                                .zone(
                                        ".",
                                        z ->
                                                z.key(KeyPlan.ksk("k", RSA))
                                                        .key(KeyPlan.zsk("k", RSA))));
        IllegalStateException unsigned =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                World.builder()
                                        .zone(
                                                ".",
                                                z ->
                                                        z.key(KeyPlan.ksk("k", RSA))
                                                                .key(KeyPlan.zsk("z", RSA))
                                                                .dnskeySignedOnlyBy(ECDSA))
                                        .build());
        assertTrue(unsigned.getMessage().contains("DNSKEY RRset unsigned"), unsigned.getMessage());
        assertThrows(
                IllegalStateException.class,
                () ->
                        World.builder()
                                .zone(
                                        ".",
                                        z ->
                                                z.key(KeyPlan.ksk("k", RSA))
                                                        .key(KeyPlan.zsk("z", RSA))
                                                        .standbyKsk())
                                .build());
        assertThrows(
                IllegalStateException.class,
                () -> World.builder().zone(".", z -> z.dnskeySignedOnlyBy(RSA)).build());
    }

    @Test
    void theRootRollPhasesAreInDateOrderAndEachBuildsASignedRoot() throws Exception {
        Instant previous = Instant.MIN;
        for (RootRoll.Phase p : RootRoll.phases()) {
            assertTrue(p.start().isAfter(previous), p.name());
            previous = p.start();
        }
        RootRoll.Phase boundary = RootRoll.phase("dnskey-ecdsa-only");
        World w =
                World.builder()
                        .clock(Clock.fixed(boundary.start(), ZoneOffset.UTC))
                        .reuseKeysAcrossWorlds()
                        .zone(".", boundary::describeRoot)
                        .build();
        Zone root = w.zone(".");
        RRset dnskey = root.rrset("@", Type.DNSKEY).orElseThrow();
        assertEquals(
                Set.of(ECDSA),
                Set.copyOf(dnskey.sigs().stream().map(RRSIGRecord::getAlgorithm).toList()));
        assertEquals(
                1536,
                modulusBits(
                        root.keys().stream()
                                .filter(k -> k.role() == ZoneKey.Role.ZSK && k.algorithm() == RSA)
                                .findFirst()
                                .orElseThrow()
                                .dnskey()));
        assertEquals(
                RootRoll.phase("rsa-retired"),
                RootRoll.at(Instant.parse("2029-05-01T00:00:00Z")).orElseThrow());
        assertTrue(RootRoll.at(Instant.parse("2026-01-01T00:00:00Z")).isEmpty());
    }
}
