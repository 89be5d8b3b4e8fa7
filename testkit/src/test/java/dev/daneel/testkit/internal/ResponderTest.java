package dev.daneel.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.DenialBreakage;
import dev.daneel.testkit.World;
import dev.daneel.testkit.ZoneBuilder;
import dev.daneel.testkit.ZoneKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * What the world's resolver answers, over real UDP on loopback: positive, negative and wildcard
 * answers with exactly the proofs RFC 4035 §3.1.3 and RFC 5155 §7.2 require, CNAME/DNAME chasing,
 * and DS from the parent side. Every RRSIG in every answer is verified.
 */
class ResponderTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final base32 B32 = new base32(base32.Alphabet.BASE32HEX, false, true);
    private static World world;
    private static final Map<Name, List<DNSKEYRecord>> KEYS = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        Consumer<ZoneBuilder> data =
                z ->
                        z.record(
                                "www A 192.0.2.1\n*.wild TXT \"w\"\n*.wild A 192.0.2.99\n"
                                        + "a.b.deep A 192.0.2.3\nalias CNAME www.hashed.test.\nnxalias CNAME nope.hashed.test.\n"
                                        + "loop1 CNAME loop2\nloop2 CNAME loop1\nredir DNAME hashed.test.\n"
                                        + "lame NS ns.elsewhere.invalid.");
        world =
                World.builder()
                        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                        .zone("test.", z -> z.record("broken-ent.sub A 192.0.2.5"))
                        .zone("nsec.test.", data)
                        .zone(
                                "hashed.test.",
                                z -> {
                                    data.accept(z);
                                    z.nsec3(3, "beef", true);
                                })
                        .zone("child.hashed.test.")
                        .zone("insecure.hashed.test.", ZoneBuilder::unsigned)
                        .zone("insecure.nsec.test.", ZoneBuilder::unsigned)
                        .zone(
                                "missing.test.",
                                z ->
                                        z.record("www A 192.0.2.1")
                                                .denialBreakage(DenialBreakage.MISSING))
                        .zone(
                                "wrong.test.",
                                z ->
                                        z.record("www A 192.0.2.1\nzzz A 192.0.2.2")
                                                .denialBreakage(DenialBreakage.WRONG))
                        .zone(
                                "wrong3.test.",
                                z ->
                                        z.nsec3(0, "", false)
                                                .record("www A 192.0.2.1\nzzz A 192.0.2.2")
                                                .denialBreakage(DenialBreakage.WRONG))
                        .start();
        world.zones()
                .forEach(
                        z -> KEYS.put(z.origin(), z.keys().stream().map(ZoneKey::dnskey).toList()));
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Message query(String name, int type, boolean dnssecOk) throws Exception {
        SimpleResolver r = new SimpleResolver(world.address());
        r.setEDNS(0, 1232, dnssecOk ? ExtendedFlags.DO : 0);
        r.setTimeout(java.time.Duration.ofSeconds(3));
        return r.send(
                Message.newQuery(
                        org.xbill.DNS.Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static Message query(String name, int type) throws Exception {
        Message m = query(name, type, true);
        assertFalse(
                m.getHeader().getFlag(Flags.AD),
                "the world's resolver validates nothing and never sets AD");
        verifyAll(m);
        return m;
    }

    /** Verifies every RRSIG in the answer and authority sections with the signer zone's keys. */
    private static void verifyAll(Message m) throws DNSSEC.DNSSECException {
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (RRset set : m.getSectionRRsets(section)) {
                for (RRSIGRecord sig : set.sigs()) {
                    DNSSEC.DNSSECException last = null;
                    boolean ok = false;
                    for (DNSKEYRecord k : KEYS.get(sig.getSigner())) {
                        if (k.getFootprint() == sig.getFootprint()) {
                            try {
                                DNSSEC.verify(set, sig, k, NOW);
                                ok = true;
                            } catch (DNSSEC.DNSSECException e) {
                                last = e;
                            }
                        }
                    }
                    if (!ok && last != null) {
                        throw last;
                    }
                    assertTrue(ok, "no key for " + sig);
                }
            }
        }
    }

    private static <T extends org.xbill.DNS.Record> List<T> records(
            Message m, int section, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (org.xbill.DNS.Record r : m.getSection(section)) {
            if (type.isInstance(r)) {
                out.add(type.cast(r));
            }
        }
        return out;
    }

    private static boolean covers(NSECRecord nsec, Name name) {
        int lo = nsec.getName().compareTo(name);
        int hi = name.compareTo(nsec.getNext());
        boolean last =
                nsec.getNext().compareTo(nsec.getName())
                        <= 0; // the chain's last NSEC points at the apex
        return last ? lo < 0 : lo < 0 && hi < 0;
    }

    private static String hash(Name name, NSEC3Record like) {
        try {
            return B32.toString(
                    new org.xbill.DNS.NSEC3PARAMRecord(
                                    like.getName(),
                                    DClass.IN,
                                    0,
                                    like.getHashAlgorithm(),
                                    0,
                                    like.getIterations(),
                                    like.getSalt())
                            .hashName(name));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-1 is on every Java platform", e);
        }
    }

    private static boolean nsec3Matches(NSEC3Record r, Name name) {
        return r.getName().getLabelString(0).equalsIgnoreCase(hash(name, r));
    }

    private static boolean nsec3Covers(NSEC3Record r, Name name) {
        String h = hash(name, r);
        String owner = r.getName().getLabelString(0).toLowerCase();
        String next = B32.toString(r.getNext());
        return owner.compareTo(next) < 0
                ? owner.compareTo(h) < 0 && h.compareTo(next) < 0
                : owner.compareTo(h) < 0 || h.compareTo(next) < 0;
    }

    @Test
    void dsForAWildcardNameInAnUnsignedZoneIsNodataNotServfail() throws Exception {
        try (World plain =
                World.builder()
                        .zone("plain.test.", z -> z.unsigned().record("*.wild TXT \"w\""))
                        .start()) {
            SimpleResolver r = new SimpleResolver(plain.address());
            r.setEDNS(0, 1232, ExtendedFlags.DO);
            Message m =
                    r.send(
                            Message.newQuery(
                                    org.xbill.DNS.Record.newRecord(
                                            Name.fromString("a.wild.plain.test."),
                                            Type.DS,
                                            DClass.IN)));
            assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
            assertTrue(m.getSection(Section.ANSWER).isEmpty(), m.toString());
        }
    }

    @Test
    void positiveAnswerCarriesTheRRsetAndItsSignatureOnlyWhenDoIsSet() throws Exception {
        Message m = query("www.nsec.test.", Type.A);
        assertEquals(Rcode.NOERROR, m.getRcode());
        assertEquals(1, records(m, Section.ANSWER, org.xbill.DNS.ARecord.class).size());
        assertEquals(1, records(m, Section.ANSWER, RRSIGRecord.class).size());
        Message plain = query("www.nsec.test.", Type.A, false);
        assertEquals(1, plain.getSection(Section.ANSWER).size());
        assertTrue(records(plain, Section.ANSWER, RRSIGRecord.class).isEmpty());
    }

    @Test
    void nsecNxdomainProvesTheNameAndTheWildcardAbsent() throws Exception {
        Message m = query("nx.b.deep.nsec.test.", Type.A);
        assertEquals(Rcode.NXDOMAIN, m.getRcode());
        assertEquals(1, records(m, Section.AUTHORITY, org.xbill.DNS.SOARecord.class).size());
        List<NSECRecord> nsecs = records(m, Section.AUTHORITY, NSECRecord.class);
        Name qname = Name.fromString("nx.b.deep.nsec.test.");
        Name wildcard =
                Name.fromString("*.b.deep.nsec.test."); // closest encloser is the ENT b.deep
        assertTrue(
                nsecs.stream().anyMatch(n -> covers(n, qname)),
                "no NSEC covers the name: " + nsecs);
        assertTrue(
                nsecs.stream().anyMatch(n -> covers(n, wildcard)),
                "no NSEC covers the wildcard: " + nsecs);
        Message plain = query("nx.b.deep.nsec.test.", Type.A, false);
        assertEquals(Rcode.NXDOMAIN, plain.getRcode());
        assertTrue(
                records(plain, Section.AUTHORITY, NSECRecord.class).isEmpty(),
                "no NSEC without DO");
    }

    @Test
    void nsecNodataShowsTheNamesBitmapWithoutTheType() throws Exception {
        Message m = query("www.nsec.test.", Type.MX);
        assertEquals(Rcode.NOERROR, m.getRcode());
        assertTrue(m.getSection(Section.ANSWER).isEmpty());
        NSECRecord nsec = records(m, Section.AUTHORITY, NSECRecord.class).get(0);
        assertEquals(Name.fromString("www.nsec.test."), nsec.getName());
        assertTrue(nsec.hasType(Type.A));
        assertFalse(nsec.hasType(Type.MX));
    }

    @Test
    void emptyNonTerminalIsNodataProvenByTheNsecThatCoversIt() throws Exception {
        Message m = query("deep.nsec.test.", Type.A);
        assertEquals(Rcode.NOERROR, m.getRcode());
        NSECRecord nsec = records(m, Section.AUTHORITY, NSECRecord.class).get(0);
        assertTrue(covers(nsec, Name.fromString("deep.nsec.test.")));
        assertTrue(
                nsec.getNext().subdomain(Name.fromString("deep.nsec.test.")),
                "the next name lies below the ENT");
    }

    @Test
    void wildcardAnswerIsExpandedWithTheOriginalLabelCountAndProvesTheNameAbsent()
            throws Exception {
        Message m = query("anything.wild.nsec.test.", Type.TXT);
        assertEquals(Rcode.NOERROR, m.getRcode());
        RRSIGRecord sig = records(m, Section.ANSWER, RRSIGRecord.class).get(0);
        assertEquals(Name.fromString("anything.wild.nsec.test."), sig.getName());
        assertEquals(3, sig.getLabels(), "labels of *.wild.nsec.test. without the asterisk");
        List<NSECRecord> nsecs = records(m, Section.AUTHORITY, NSECRecord.class);
        assertEquals(1, nsecs.size());
        assertTrue(covers(nsecs.get(0), Name.fromString("anything.wild.nsec.test.")));
    }

    @Test
    void wildcardNodataProvesNameAbsentAndWildcardWithoutTheType() throws Exception {
        Message m = query("anything.wild.nsec.test.", Type.MX);
        assertEquals(Rcode.NOERROR, m.getRcode());
        assertTrue(m.getSection(Section.ANSWER).isEmpty());
        List<NSECRecord> nsecs = records(m, Section.AUTHORITY, NSECRecord.class);
        assertTrue(
                nsecs.stream()
                        .anyMatch(
                                n ->
                                        covers(
                                                n,
                                                Name.fromConstantString(
                                                        "anything.wild.nsec.test."))));
        NSECRecord atWildcard =
                nsecs.stream()
                        .filter(
                                n ->
                                        n.getName()
                                                .equals(
                                                        Name.fromConstantString(
                                                                "*.wild.nsec.test.")))
                        .findFirst()
                        .orElseThrow();
        assertFalse(atWildcard.hasType(Type.MX));
    }

    @Test
    void nsec3NxdomainCarriesClosestEncloserNextCloserAndWildcardProofs() throws Exception {
        Message m = query("x.y.b.deep.hashed.test.", Type.A);
        assertEquals(Rcode.NXDOMAIN, m.getRcode());
        List<NSEC3Record> proof = records(m, Section.AUTHORITY, NSEC3Record.class);
        Name ce = Name.fromString("b.deep.hashed.test.");
        Name nextCloser = Name.fromString("y.b.deep.hashed.test.");
        Name wildcard = Name.fromString("*.b.deep.hashed.test.");
        boolean ceMatch = false;
        boolean ncCover = false;
        boolean wcCover = false;
        for (NSEC3Record r : proof) {
            ceMatch |= nsec3Matches(r, ce);
            ncCover |= nsec3Covers(r, nextCloser);
            wcCover |= nsec3Covers(r, wildcard);
            assertEquals(3, r.getIterations());
        }
        assertTrue(ceMatch && ncCover && wcCover, "RFC 5155 §7.2.2 proof incomplete: " + proof);
    }

    @Test
    void nsec3NodataMatchesTheName() throws Exception {
        Message m = query("www.hashed.test.", Type.MX);
        List<NSEC3Record> proof = records(m, Section.AUTHORITY, NSEC3Record.class);
        assertEquals(1, proof.size());
        assertTrue(nsec3Matches(proof.get(0), Name.fromString("www.hashed.test.")));
        assertFalse(proof.get(0).hasType(Type.MX));
    }

    @Test
    void nsec3WildcardAnswerCoversTheNextCloserName() throws Exception {
        Message m = query("a.b.wild.hashed.test.", Type.A);
        assertEquals(
                "192.0.2.99",
                records(m, Section.ANSWER, org.xbill.DNS.ARecord.class)
                        .get(0)
                        .getAddress()
                        .getHostAddress());
        List<NSEC3Record> proof = records(m, Section.AUTHORITY, NSEC3Record.class);
        assertTrue(
                proof.stream()
                        .anyMatch(
                                r ->
                                        nsec3Covers(
                                                r, Name.fromConstantString("b.wild.hashed.test."))),
                proof.toString());
    }

    @Test
    void optedOutInsecureDelegationDsIsDeniedByAnOptOutSpan() throws Exception {
        Message m = query("insecure.hashed.test.", Type.DS);
        assertEquals(Rcode.NOERROR, m.getRcode());
        assertTrue(m.getSection(Section.ANSWER).isEmpty());
        List<NSEC3Record> proof = records(m, Section.AUTHORITY, NSEC3Record.class);
        Name name = Name.fromString("insecure.hashed.test.");
        assertFalse(
                proof.stream().anyMatch(r -> nsec3Matches(r, name)),
                "opt-out: the insecure delegation has no NSEC3 of its own");
        NSEC3Record span =
                proof.stream().filter(r -> nsec3Covers(r, name)).findFirst().orElseThrow();
        assertEquals(1, span.getFlags() & 1, "covering NSEC3 has the opt-out flag");
        assertTrue(
                proof.stream()
                        .anyMatch(r -> nsec3Matches(r, Name.fromConstantString("hashed.test."))),
                "closest provable encloser is the apex");
    }

    @Test
    void dsIsAnsweredFromTheParentAndDnskeyFromTheChild() throws Exception {
        Message ds = query("child.hashed.test.", Type.DS);
        assertEquals(
                Name.fromString("hashed.test."),
                records(ds, Section.ANSWER, RRSIGRecord.class).get(0).getSigner());
        assertEquals(
                world.zone("child.hashed.test.").dsRecords(),
                records(ds, Section.ANSWER, org.xbill.DNS.DSRecord.class));
        Message keys = query("child.hashed.test.", Type.DNSKEY);
        assertEquals(
                Name.fromString("child.hashed.test."),
                records(keys, Section.ANSWER, RRSIGRecord.class).get(0).getSigner());
    }

    @Test
    void insecureDelegationDsIsNodataWithAnNsecShowingNsWithoutDs() throws Exception {
        Message m = query("insecure.nsec.test.", Type.DS);
        NSECRecord nsec = records(m, Section.AUTHORITY, NSECRecord.class).get(0);
        assertEquals(Name.fromString("insecure.nsec.test."), nsec.getName());
        assertTrue(nsec.hasType(Type.NS));
        assertFalse(nsec.hasType(Type.DS));
        Message inside = query("ns1.insecure.nsec.test.", Type.A);
        assertTrue(
                records(inside, Section.ANSWER, RRSIGRecord.class).isEmpty(),
                "unsigned zone data has no RRSIG");
    }

    @Test
    void cnameIsChasedAcrossZonesWithEachLinkSignedByItsOwnZone() throws Exception {
        Message m = query("alias.nsec.test.", Type.A);
        List<CNAMERecord> cnames = records(m, Section.ANSWER, CNAMERecord.class);
        assertEquals(Name.fromString("www.hashed.test."), cnames.get(0).getTarget());
        assertEquals(1, records(m, Section.ANSWER, org.xbill.DNS.ARecord.class).size());
        assertEquals(2, records(m, Section.ANSWER, RRSIGRecord.class).size());
    }

    @Test
    void cnameIntoANonexistentNameEndsInNxdomainWithTheTargetZonesProof() throws Exception {
        Message m = query("nxalias.nsec.test.", Type.A);
        assertEquals(Rcode.NXDOMAIN, m.getRcode());
        assertEquals(1, records(m, Section.ANSWER, CNAMERecord.class).size());
        assertFalse(records(m, Section.AUTHORITY, NSEC3Record.class).isEmpty());
    }

    @Test
    void dnameIsAnsweredWithAnUnsignedSynthesizedCname() throws Exception {
        Message m = query("www.redir.nsec.test.", Type.A);
        assertEquals(1, records(m, Section.ANSWER, org.xbill.DNS.DNAMERecord.class).size());
        CNAMERecord synthesized = records(m, Section.ANSWER, CNAMERecord.class).get(0);
        assertEquals(Name.fromString("www.redir.nsec.test."), synthesized.getName());
        assertEquals(Name.fromString("www.hashed.test."), synthesized.getTarget());
        assertEquals(1, records(m, Section.ANSWER, org.xbill.DNS.ARecord.class).size());
    }

    @Test
    void cnameLoopEndsInServfail() throws Exception {
        assertEquals(Rcode.SERVFAIL, query("loop1.nsec.test.", Type.A).getRcode());
    }

    @Test
    void delegationToAZoneTheWorldDoesNotHoldIsLame() throws Exception {
        assertEquals(Rcode.SERVFAIL, query("host.lame.nsec.test.", Type.A).getRcode());
    }

    @Test
    void missingDenialLeavesOnlyTheSoa() throws Exception {
        Message m = query("nx.missing.test.", Type.A);
        assertEquals(Rcode.NXDOMAIN, m.getRcode());
        assertTrue(records(m, Section.AUTHORITY, NSECRecord.class).isEmpty());
        assertNotNull(records(m, Section.AUTHORITY, org.xbill.DNS.SOARecord.class).get(0));
    }

    @Test
    void wrongNsecDenialIsSignedButCoversNeitherTheNameNorTheWildcard() throws Exception {
        Message m = query("nx.wrong.test.", Type.A);
        assertEquals(Rcode.NXDOMAIN, m.getRcode());
        List<NSECRecord> nsecs = records(m, Section.AUTHORITY, NSECRecord.class);
        assertFalse(nsecs.isEmpty());
        assertFalse(
                nsecs.stream().anyMatch(n -> covers(n, Name.fromConstantString("nx.wrong.test."))),
                nsecs.toString());
        Message nodata = query("www.wrong.test.", Type.MX);
        assertFalse(
                records(nodata, Section.AUTHORITY, NSECRecord.class).stream()
                        .anyMatch(
                                n ->
                                        n.getName()
                                                .equals(
                                                        Name.fromConstantString(
                                                                "www.wrong.test."))));
    }

    @Test
    void wrongNsec3DenialNeitherMatchesNorCoversWhatItShould() throws Exception {
        Message m = query("nx.wrong3.test.", Type.A);
        Name nextCloser = Name.fromString("nx.wrong3.test.");
        List<NSEC3Record> proof = records(m, Section.AUTHORITY, NSEC3Record.class);
        assertFalse(proof.isEmpty(), "a wrong proof is still present");
        for (NSEC3Record r : proof) {
            assertFalse(nsec3Covers(r, nextCloser), r.toString());
        }
    }
}
