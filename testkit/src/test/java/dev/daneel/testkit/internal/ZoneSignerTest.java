package dev.daneel.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.World;
import dev.daneel.testkit.Zone;
import dev.daneel.testkit.ZoneBuilder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

class ZoneSignerTest {

    private static Set<Integer> types(int... t) {
        return java.util.Arrays.stream(t).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void nsecChainVisitsEveryAuthoritativeNameOnceInCanonicalOrderAndCloses() {
        World world =
                World.builder()
                        .zone(
                                "example.",
                                z ->
                                        z.record(
                                                "a A 192.0.2.1\nb.deep TXT \"x\"\nZ A 192.0.2.2\n*.w MX 1 a"))
                        .zone("child.example.")
                        .zone("insecure.example.", ZoneBuilder::unsigned)
                        .build();
        Zone zone = world.zone("example.");
        List<NSECRecord> chain = new ArrayList<>();
        for (org.xbill.DNS.Record r : zone.records()) {
            if (r instanceof NSECRecord) {
                chain.add((NSECRecord) r);
            }
        }
        // Canonical order (RFC 4034 §6.1: most significant label first, so b.deep. sorts after
        // child.); glue (ns1.child., ns1.insecure.) and the empty non-terminal deep. have no NSEC.
        List<String> expected =
                List.of(
                        "example.",
                        "a.example.",
                        "child.example.",
                        "b.deep.example.",
                        "insecure.example.",
                        "ns1.example.",
                        "*.w.example.",
                        "z.example.");
        assertEquals(
                expected, chain.stream().map(r -> r.getName().toString().toLowerCase()).toList());
        for (int i = 0; i < chain.size(); i++) {
            assertEquals(
                    chain.get((i + 1) % chain.size()).getName(),
                    chain.get(i).getNext(),
                    "next of " + chain.get(i).getName());
            assertEquals(300, chain.get(i).getTTL(), "NSEC TTL is the SOA minimum");
        }
        assertEquals(
                types(Type.NS, Type.SOA, Type.RRSIG, Type.NSEC, Type.DNSKEY),
                types(chain.get(0).getTypes()));
        assertEquals(
                types(Type.NS, Type.DS, Type.RRSIG, Type.NSEC),
                types(chain.get(2).getTypes()),
                "secure delegation");
        assertEquals(
                types(Type.NS, Type.RRSIG, Type.NSEC),
                types(chain.get(4).getTypes()),
                "insecure delegation");
        assertEquals(
                types(Type.MX, Type.RRSIG, Type.NSEC),
                types(chain.get(6).getTypes()),
                "wildcard owner");
    }

    /**
     * RFC 5155 Appendix A: the example zone, salt aabbccdd, 12 iterations, opt-out. The NSEC3 owner
     * names the RFC lists must be exactly the ones the testkit produces (the insecure delegation
     * c.example. is opted out; the empty non-terminals w. and y.w. are hashed).
     */
    @Test
    void rfc5155AppendixAZoneHasTheRfcsNsec3OwnerNames() {
        World world =
                World.builder()
                        .zone(
                                "example.",
                                z ->
                                        z.nsec3(12, "aabbccdd", true)
                                                .record(
                                                        "@ MX 1 xx\nns2 A 192.0.2.2\nai A 192.0.2.9\nai HINFO \"KLH-10\" \"ITS\"\n"
                                                                + "ai AAAA 2001:db8::f00:baa9\n*.w MX 1 ai\nx.w MX 1 xx\nx.y.w MX 1 xx\n"
                                                                + "xx A 192.0.2.10\nxx HINFO \"KLH-10\" \"TOPS-20\"\nxx AAAA 2001:db8::f00:baaa"))
                        .zone("a.example.")
                        .zone("c.example.", ZoneBuilder::unsigned)
                        .build();
        Zone zone = world.zone("example.");
        Set<String> owners =
                zone.nsec3Chain().stream()
                        .map(s -> s.getName().getLabelString(0).toLowerCase())
                        .collect(Collectors.toCollection(TreeSet::new));
        Set<String> rfc =
                new TreeSet<>(
                        List.of(
                                "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", // example
                                "2t7b4g4vsa5smi47k61mv5bv1a22bojr", // ns1.example
                                "2vptu5timamqttgl4luu9kg21e0aor3s", // x.y.w.example
                                "35mthgpgcu1qg68fab165klnsnk3dpvl", // a.example
                                "b4um86eghhds6nea196smvmlo4ors995", // x.w.example
                                "gjeqe526plbf1g8mklp59enfd789njgi", // ai.example
                                "ji6neoaepv8b5o6k4ev33abha8ht9fgc", // y.w.example
                                "k8udemvp1j2f7eg6jebps17vp3n8i58h", // w.example
                                "q04jkcevqvmu85r014c7dkba38o0ji5r", // ns2.example
                                "r53bq7cc2uvmubfu5ocmm6pers9tk9en", // *.w.example
                                "t644ebqk9bibcna874givr6joj62mlhv")); // xx.example
        assertEquals(rfc, owners);
        List<RRset> chain = zone.nsec3Chain();
        for (int i = 0; i < chain.size(); i++) {
            NSEC3Record r = (NSEC3Record) chain.get(i).first();
            NSEC3Record next = (NSEC3Record) chain.get((i + 1) % chain.size()).first();
            assertEquals(1, r.getFlags(), "opt-out flag");
            assertEquals(12, r.getIterations());
            assertArrayEquals(HexFormat.of().parseHex("aabbccdd"), r.getSalt());
            assertEquals(
                    next.getName().getLabelString(0).toLowerCase(),
                    new org.xbill.DNS.utils.base32(
                                    org.xbill.DNS.utils.base32.Alphabet.BASE32HEX, false, true)
                            .toString(r.getNext()));
            assertEquals(1, chain.get(i).sigSize());
        }
    }

    @Test
    void nsec3BitmapsFollowRfc5155ForApexDelegationsAndEmptyNonTerminals() {
        World world =
                World.builder()
                        .zone("example.", z -> z.nsec3(0, "", false).record("x.y.w MX 1 ai"))
                        .zone("a.example.")
                        .zone("c.example.", ZoneBuilder::unsigned)
                        .build();
        Zone zone = world.zone("example.");
        assertEquals(
                types(Type.NS, Type.SOA, Type.RRSIG, Type.DNSKEY, Type.NSEC3PARAM),
                bitmapOf(zone, "example."));
        assertEquals(types(Type.NS, Type.DS, Type.RRSIG), bitmapOf(zone, "a.example."));
        assertEquals(
                types(Type.NS),
                bitmapOf(zone, "c.example."),
                "without opt-out the insecure delegation is in the chain");
        assertEquals(types(), bitmapOf(zone, "y.w.example."), "empty non-terminal");
        assertEquals(types(Type.MX, Type.RRSIG), bitmapOf(zone, "x.y.w.example."));
        RRset param = zone.rrset("@", Type.NSEC3PARAM).orElseThrow();
        assertEquals(1, param.sigSize());
        assertFalse(zone.rrset("@", Type.NSEC).isPresent());
    }

    private static Set<Integer> bitmapOf(Zone zone, String name) {
        Name hashed =
                ZoneData.hashedOwner(
                        new org.xbill.DNS.NSEC3PARAMRecord(
                                zone.origin(),
                                1,
                                0,
                                1,
                                0,
                                ((org.xbill.DNS.NSEC3PARAMRecord)
                                                zone.rrset("@", Type.NSEC3PARAM)
                                                        .orElseThrow()
                                                        .first())
                                        .getIterations(),
                                new byte[0]),
                        Name.fromConstantString(name),
                        zone.origin());
        RRset set =
                zone.rrset(hashed.toString(), Type.NSEC3)
                        .orElseThrow(() -> new AssertionError("no NSEC3 for " + name));
        return types(((NSEC3Record) set.first()).getTypes());
    }

    @Test
    void highIterationCountsAndLongSaltsAreCarriedIntoEveryRecord() {
        Zone zone =
                World.builder()
                        .zone("example.", z -> z.nsec3(500, "00112233445566778899", false))
                        .build()
                        .zone("example.");
        for (RRset set : zone.nsec3Chain()) {
            NSEC3Record r = (NSEC3Record) set.first();
            assertEquals(500, r.getIterations());
            assertEquals(10, r.getSalt().length);
            assertEquals(0, r.getFlags());
        }
        assertTrue(zone.nsec3Chain().size() >= 2);
    }
}
