package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class WorldTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static World.Builder mixedWorld() {
        return World.builder()
                .clock(CLOCK)
                .zone("test.")
                .zone(
                        "example.test.",
                        z -> z.record("www 300 A 192.0.2.1\n*.wild TXT \"w\"\nalias CNAME www"))
                .zone("hashed.test.", z -> z.nsec3(0, "", false).record("a.b.c A 192.0.2.7"))
                .zone("sub.example.test.", z -> z.singleKey().record("host AAAA 2001:db8::1"))
                .zone("plain.test.", ZoneBuilder::unsigned);
    }

    @Test
    void everyRrsigInEveryZoneVerifiesWithThatZonesOwnKeys() throws Exception {
        World world = mixedWorld().build();
        int verified = 0;
        for (Zone zone : world.zones()) {
            List<DNSKEYRecord> keys = zone.keys().stream().map(ZoneKey::dnskey).toList();
            for (RRset set : Signatures.rrsets(zone.records())) {
                for (RRSIGRecord sig : set.sigs()) {
                    Signatures.verify(set, sig, keys, NOW);
                    assertEquals(zone.origin(), sig.getSigner(), "signer of " + set.getName());
                    verified++;
                }
            }
        }
        assertTrue(verified > 40, "only " + verified + " signatures in a five-zone world");
    }

    @Test
    void everyAuthoritativeRRsetOfASignedZoneIsSignedButDelegationNsAndGlueAreNot() {
        World world = mixedWorld().build();
        Zone test = world.zone("test.");
        for (RRset set : Signatures.rrsets(test.records())) {
            Name owner = set.getName();
            boolean atCut =
                    !owner.equals(test.origin())
                            && test.rrset(owner.toString(), Type.NS).isPresent();
            boolean glue =
                    owner.getLabelString(0).equals("ns1")
                            && !owner.equals(Name.fromConstantString("ns1.test."));
            if ((atCut && set.getType() == Type.NS) || glue) {
                assertEquals(
                        0,
                        set.sigSize(),
                        set.getName() + "/" + Type.string(set.getType()) + " must not be signed");
            } else {
                assertTrue(
                        set.sigSize() > 0,
                        set.getName() + "/" + Type.string(set.getType()) + " is unsigned");
            }
        }
    }

    @Test
    void parentDsDigestsTheChildKskAndTheRootDsIsTheTrustAnchor() throws Exception {
        World world = mixedWorld().build();
        for (Zone zone : world.zones()) {
            if (!zone.signed()) {
                continue;
            }
            DNSKEYRecord ksk = zone.keys().get(0).dnskey();
            assertEquals(257, ksk.getFlags(), "KSK flags in " + zone.origin());
            DSRecord ds = zone.dsRecords().get(0);
            assertEquals(DNSSEC.Digest.SHA256, ds.getDigestID());
            assertEquals(Signatures.keyTag(ksk), ds.getFootprint());
            assertArrayEquals(
                    Signatures.dsDigest(ksk, "SHA-256"),
                    ds.getDigest(),
                    "DS digest for " + zone.origin());
            if (zone.origin().equals(Name.root)) {
                assertEquals(List.of(ds), world.trustAnchors());
                assertEquals(List.of(ksk), world.trustAnchorKeys());
            } else {
                Zone parent = world.zone(new Name(zone.origin(), 1).toString());
                RRset published = parent.rrset(zone.origin().toString(), Type.DS).orElseThrow();
                assertEquals(List.of(ds), published.rrs(false));
                assertTrue(published.sigSize() > 0);
            }
        }
    }

    @Test
    void kskSignsOnlyTheDnskeyRRsetAndZskEverythingElse() {
        World world = mixedWorld().build();
        Zone zone = world.zone("example.test.");
        int ksk = zone.keys().get(0).keyTag();
        int zsk = zone.keys().get(1).keyTag();
        assertEquals(ZoneKey.Role.KSK, zone.keys().get(0).role());
        assertEquals(256, zone.keys().get(1).dnskey().getFlags());
        for (RRset set : Signatures.rrsets(zone.records())) {
            for (RRSIGRecord sig : set.sigs()) {
                assertEquals(
                        set.getType() == Type.DNSKEY ? ksk : zsk,
                        sig.getFootprint(),
                        "key tag on " + set.getName() + "/" + Type.string(set.getType()));
            }
        }
    }

    @Test
    void singleKeyZonePublishesOneCombinedKeyThatSignsEverything() throws Exception {
        Zone zone = mixedWorld().build().zone("sub.example.test.");
        assertEquals(1, zone.keys().size());
        assertEquals(ZoneKey.Role.CSK, zone.keys().get(0).role());
        assertEquals(257, zone.keys().get(0).dnskey().getFlags());
        for (RRset set : Signatures.rrsets(zone.records())) {
            for (RRSIGRecord sig : set.sigs()) {
                assertEquals(zone.keys().get(0).keyTag(), sig.getFootprint());
            }
        }
    }

    @ParameterizedTest(name = "algorithm {0}")
    @ValueSource(ints = {5, 7, 8, 10, 13, 14, 15, 16})
    void everySupportedAlgorithmSignsAZoneThatVerifies(int algorithm) throws Exception {
        World world =
                World.builder()
                        .clock(CLOCK)
                        .reuseKeysAcrossWorlds()
                        .zone(
                                "alg.test.",
                                z ->
                                        z.algorithm(algorithm)
                                                .rsaKeyBits(1024)
                                                .record("www A 192.0.2.1"))
                        .build();
        Zone zone = world.zone("alg.test.");
        List<DNSKEYRecord> keys = zone.keys().stream().map(ZoneKey::dnskey).toList();
        keys.forEach(k -> assertEquals(algorithm, k.getAlgorithm()));
        RRset www = zone.rrset("www", Type.A).orElseThrow();
        assertEquals(algorithm, www.sigs().get(0).getAlgorithm());
        for (RRset set : Signatures.rrsets(zone.records())) {
            for (RRSIGRecord sig : set.sigs()) {
                Signatures.verify(set, sig, keys, NOW);
            }
        }
    }

    @Test
    void unsignedZoneCarriesNoDnssecRecordsAndItsDelegationProvesNoDs() {
        World world = mixedWorld().build();
        Zone plain = world.zone("plain.test.");
        assertFalse(plain.signed());
        assertTrue(plain.keys().isEmpty());
        assertTrue(plain.dsRecords().isEmpty());
        for (org.xbill.DNS.Record r : plain.records()) {
            assertFalse(
                    Set.of(Type.RRSIG, Type.NSEC, Type.NSEC3, Type.DNSKEY, Type.NSEC3PARAM)
                            .contains(r.getType()),
                    r.toString());
        }
        Zone parent = world.zone("test.");
        assertTrue(parent.rrset("plain", Type.DS).isEmpty());
        NSECRecord nsec = (NSECRecord) parent.rrset("plain", Type.NSEC).orElseThrow().first();
        assertTrue(nsec.hasType(Type.NS));
        assertFalse(nsec.hasType(Type.DS));
    }

    @Test
    void signaturesAreDatedByTheWorldsClock() {
        Zone zone = mixedWorld().build().zone("example.test.");
        RRSIGRecord sig = zone.rrset("www", Type.A).orElseThrow().sigs().get(0);
        assertEquals(NOW.minusSeconds(3600), sig.getTimeSigned());
        assertEquals(NOW.plus(java.time.Duration.ofDays(30)), sig.getExpire());
    }

    @Test
    void exportedMasterFilesParseBackToExactlyTheServedRecords(@TempDir Path dir) throws Exception {
        World world = mixedWorld().build();
        Map<Name, Path> files = world.exportZones(dir);
        assertEquals(world.zones().size(), files.size());
        assertEquals(dir.resolve("root.zone"), files.get(Name.root));
        for (Zone zone : world.zones()) {
            List<org.xbill.DNS.Record> parsed = new ArrayList<>();
            try (Master master = new Master(files.get(zone.origin()).toString())) {
                org.xbill.DNS.Record r;
                while ((r = master.nextRecord()) != null) {
                    parsed.add(r);
                }
            }
            assertEquals(
                    new HashSet<>(zone.records()), new HashSet<>(parsed), "zone " + zone.origin());
        }
    }

    @Test
    void trustAnchorFileHoldsTheRootDsInPresentationFormat(@TempDir Path dir) throws Exception {
        World world = mixedWorld().build();
        Path file = world.writeTrustAnchors(dir.resolve("anchors/root.ds"));
        String text = Files.readString(file);
        assertTrue(text.startsWith(".\t"), text);
        try (Master master =
                new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            assertEquals(world.trustAnchors().get(0), master.nextRecord());
        }
    }

    @Test
    void aHundredZoneWorldBuildsServesAndChainsDownToItsDeepestZone() throws Exception {
        World.Builder builder = World.builder().clock(CLOCK);
        for (int tld = 0; tld < 10; tld++) {
            builder.zone("tld" + tld + ".");
            for (int child = 0; child < 9; child++) {
                int c = child;
                builder.zone(
                        "zone" + child + ".tld" + tld + ".",
                        z -> {
                            z.record("www A 192.0.2." + (c + 1));
                            if (c % 3 == 1) {
                                z.nsec3(0, "", false);
                            }
                        });
            }
        }
        try (World world = builder.start()) {
            assertEquals(101, world.zones().size());
            SimpleResolver resolver = new SimpleResolver(world.address());
            resolver.setEDNS(0, 1232, ExtendedFlags.DO);
            Message m =
                    resolver.send(
                            Message.newQuery(
                                    org.xbill.DNS.Record.newRecord(
                                            Name.fromString("www.zone8.tld9."),
                                            Type.A,
                                            DClass.IN)));
            assertEquals(Rcode.NOERROR, m.getRcode());
            assertEquals(2, m.getSection(Section.ANSWER).size(), m.toString());
            Zone deep = world.zone("zone8.tld9.");
            assertNotNull(world.zone("tld9.").rrset("zone8", Type.DS).orElseThrow());
            assertEquals(
                    deep.dsRecords(),
                    world.zone("tld9.").rrset("zone8", Type.DS).orElseThrow().rrs(false));
        }
    }

    @Test
    void unknownZoneNamesTheZonesThereAre() {
        World world = mixedWorld().build();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> world.zone("nope.test."));
        assertTrue(
                e.getMessage().contains("no zone nope.test.")
                        && e.getMessage().contains("example.test."),
                e.getMessage());
    }

    @Test
    void serversBindOnlyToLoopback() throws Exception {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                World.builder()
                                        .bindAddress(java.net.InetAddress.getByName("192.0.2.1")));
        assertTrue(e.getMessage().contains("only on loopback"), e.getMessage());
        try (World world = World.builder().start()) {
            assertTrue(world.address().getAddress().isLoopbackAddress());
        }
    }
}
