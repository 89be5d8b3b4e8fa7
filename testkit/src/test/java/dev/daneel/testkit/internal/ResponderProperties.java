package dev.daneel.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.World;
import dev.daneel.testkit.ZoneKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * For random zone contents and random question names, the world's resolver gives an answer that is
 * right for the zone and carries a proof that holds: every RRSIG verifies, an NXDOMAIN has an NSEC
 * covering the name (or an NSEC3 closest-encloser proof), a NODATA names exactly the node.
 */
class ResponderProperties {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final base32 B32 = new base32(base32.Alphabet.BASE32HEX, false, true);

    @Provide
    Arbitrary<List<String>> owners() {
        Arbitrary<String> label = Arbitraries.of("a", "b", "c", "mail", "x");
        Arbitrary<String> name =
                label.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l));
        return name.list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> questions() {
        Arbitrary<String> label = Arbitraries.of("a", "b", "c", "mail", "x", "zz", "0");
        return label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
    }

    @Property(tries = 60)
    void answersMatchTheZoneAndCarryValidProofs(
            @ForAll("owners") List<String> owners,
            @ForAll("questions") String question,
            @ForAll boolean nsec3,
            @ForAll boolean wildcard)
            throws Exception {
        StringBuilder records = new StringBuilder();
        Set<Name> names = new TreeSet<>();
        Name origin = Name.fromString("p.test.");
        for (String o : owners) {
            records.append(o).append(" A 192.0.2.1\n");
            names.add(Name.fromString(o, origin));
        }
        if (wildcard) {
            records.append("*.b TXT \"w\"\n");
        }
        try (World world =
                World.builder()
                        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                        .zone("test.")
                        .zone(
                                "p.test.",
                                z -> {
                                    z.record(records.toString());
                                    if (nsec3) {
                                        z.nsec3(1, "ab", false);
                                    }
                                })
                        .start()) {
            List<DNSKEYRecord> keys =
                    world.zone("p.test.").keys().stream().map(ZoneKey::dnskey).toList();
            org.xbill.DNS.SimpleResolver resolver =
                    new org.xbill.DNS.SimpleResolver(world.address());
            resolver.setEDNS(0, 1232, ExtendedFlags.DO);
            Name qname = Name.fromString(question, origin);
            Message m =
                    resolver.send(
                            Message.newQuery(
                                    org.xbill.DNS.Record.newRecord(qname, Type.A, DClass.IN)));
            for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
                for (RRset set : m.getSectionRRsets(section)) {
                    for (RRSIGRecord sig : set.sigs()) {
                        boolean ok = false;
                        for (DNSKEYRecord k : keys) {
                            if (k.getFootprint() == sig.getFootprint()) {
                                DNSSEC.verify(set, sig, k, NOW);
                                ok = true;
                            }
                        }
                        assertTrue(ok || sig.getSigner().equals(Name.root), "no key for " + sig);
                    }
                }
            }
            boolean exists = names.contains(qname);
            boolean ent = names.stream().anyMatch(n -> n.subdomain(qname) && !n.equals(qname));
            if (exists) {
                assertEquals(Rcode.NOERROR, m.getRcode());
                assertEquals(
                        1,
                        m.getSection(Section.ANSWER).stream()
                                .filter(r -> r.getType() == Type.A)
                                .count(),
                        m.toString());
            } else if (ent) {
                assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
                assertTrue(m.getSection(Section.ANSWER).isEmpty(), m.toString());
            } else if (m.getRcode() == Rcode.NXDOMAIN) {
                assertNxdomainProof(m, qname, origin, nsec3);
            } else {
                // Only a wildcard can answer a name that does not exist.
                assertTrue(wildcard, "NOERROR for a nonexistent name without a wildcard: " + m);
                assertEquals(Rcode.NOERROR, m.getRcode());
            }
        }
    }

    private static void assertNxdomainProof(Message m, Name qname, Name origin, boolean nsec3)
            throws Exception {
        if (!nsec3) {
            boolean covered = false;
            for (org.xbill.DNS.Record r : m.getSection(Section.AUTHORITY)) {
                if (r instanceof NSECRecord) {
                    NSECRecord n = (NSECRecord) r;
                    boolean last = n.getNext().compareTo(n.getName()) <= 0;
                    covered |=
                            n.getName().compareTo(qname) < 0
                                    && (last || qname.compareTo(n.getNext()) < 0);
                }
            }
            assertTrue(covered, "no NSEC covers " + qname + ": " + m);
            return;
        }
        // Closest encloser: the deepest ancestor with a matching NSEC3; the next closer must be
        // covered.
        List<NSEC3Record> proof =
                m.getSection(Section.AUTHORITY).stream()
                        .filter(r -> r instanceof NSEC3Record)
                        .map(r -> (NSEC3Record) r)
                        .toList();
        NSEC3PARAMRecord param =
                new NSEC3PARAMRecord(origin, DClass.IN, 0, 1, 0, 1, new byte[] {(byte) 0xab});
        Name encloser = null;
        for (Name n = new Name(qname, 1);
                encloser == null && n.subdomain(origin);
                n = new Name(n, 1)) {
            String h = B32.toString(param.hashName(n));
            if (proof.stream().anyMatch(r -> r.getName().getLabelString(0).equalsIgnoreCase(h))) {
                encloser = n;
            }
        }
        assertTrue(encloser != null, "no closest encloser proven for " + qname + ": " + m);
        Name nextCloser = new Name(qname, qname.labels() - encloser.labels() - 1);
        String h = B32.toString(param.hashName(nextCloser));
        assertTrue(
                proof.stream()
                        .anyMatch(
                                r -> {
                                    String owner = r.getName().getLabelString(0).toLowerCase();
                                    String next = B32.toString(r.getNext());
                                    return owner.compareTo(next) < 0
                                            ? owner.compareTo(h) < 0 && h.compareTo(next) < 0
                                            : owner.compareTo(h) < 0 || h.compareTo(next) < 0;
                                }),
                "next closer " + nextCloser + " not covered: " + m);
    }
}
