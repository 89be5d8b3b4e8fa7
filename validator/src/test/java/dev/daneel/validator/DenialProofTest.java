package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.DenialBreakage;
import dev.daneel.testkit.World;
import dev.daneel.testkit.Zone;
import dev.daneel.testkit.ZoneBuilder;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Authenticated denial of existence, proof kind by proof kind, with NSEC (RFC 4035 §5.4, RFC 4592,
 * RFC 6840 §5.3–5.4) and with NSEC3 (RFC 5155 §8): NXDOMAIN, NODATA at a name and at an empty
 * non-terminal, wildcard answers and wildcard NODATA, DS absence at an unsigned delegation, opt-out
 * spans (RFC 5155 §9.2) and the RFC 9276 iteration limits. Each kind is asked of a testkit zone
 * that serves it correctly, and of zones whose proofs are left out ({@link DenialBreakage#MISSING})
 * or replaced by unrelated records of the chain ({@link DenialBreakage#WRONG}).
 *
 * <p>Forgeries the testkit cannot serve are built from a zone's own signed records, as an on-path
 * attacker could build them: a genuine chain is recorded with {@link Answer#evidence()}, one
 * response in it is replaced, and the whole is replayed with {@link
 * ValidatingResolver#verifyOffline}. Each forgery first replays the genuine chain as a control, so
 * that its verdict cannot come from a broken replay.
 */
class DenialProofTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final base32 B32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);

    /**
     * Every proof zone holds data at {@code www}, {@code mail} and {@code zzz}, the empty
     * non-terminals {@code ent} and {@code b.ent}, a wildcard {@code *.wild} below the empty
     * non-terminal {@code wild}, an unsigned delegation {@code child} and (in the correct zones) a
     * signed one, {@code sub}, and a DNAME {@code redir} to it.
     */
    static final String RECORDS =
            "www A 192.0.2.1\nmail A 192.0.2.2\nzzz A 192.0.2.3\na.b.ent TXT \"deep\"\n"
                    + "*.wild TXT \"wild\"\n";

    /** The denial method of a zone. */
    enum Kind {
        NSEC("nsec"),
        NSEC3("nsec3");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The correctly served zone, {@code nsec.test.} or {@code nsec3.test.}. */
        String zone() {
            return label + ".test.";
        }

        /** The zone with this denial breakage, e.g. {@code nsec3-missing.test.}. */
        String zone(DenialBreakage breakage) {
            return label + "-" + breakage.name().toLowerCase() + ".test.";
        }

        void describe(ZoneBuilder z) {
            if (this == NSEC3) {
                z.nsec3(1, "beef", false); // a salt and an iteration, so that both reach the hash
            }
        }
    }

    private static World world;
    private static TrustAnchors anchors;

    @BeforeAll
    static void start() {
        World.Builder b = World.builder().clock(CLOCK).zone("test.");
        for (Kind kind : Kind.values()) {
            b.zone(
                            kind.zone(),
                            z ->
                                    kind.describe(
                                            z.record(RECORDS)
                                                    .record("redir DNAME sub." + kind.zone())))
                    .zone("child." + kind.zone(), z -> z.unsigned().record("www A 192.0.2.10"))
                    .zone(
                            "sub." + kind.zone(),
                            z -> kind.describe(z.record("www A 192.0.2.11\n@ TXT \"child apex\"")));
            for (DenialBreakage breakage : DenialBreakage.values()) {
                b.zone(
                                kind.zone(breakage),
                                z -> kind.describe(z.record(RECORDS).denialBreakage(breakage)))
                        .zone(
                                "child." + kind.zone(breakage),
                                z -> z.unsigned().record("www A 192.0.2.12"));
            }
        }
        b.zone("optout.test.", z -> z.nsec3(0, "", true).record(RECORDS))
                .zone("child.optout.test.", z -> z.unsigned().record("www A 192.0.2.20"))
                .zone("sub.optout.test.", z -> z.record("www A 192.0.2.21"))
                .zone(
                        "optout-missing.test.",
                        z ->
                                z.nsec3(0, "", true)
                                        .record(RECORDS)
                                        .denialBreakage(DenialBreakage.MISSING))
                .zone("child.optout-missing.test.", z -> z.unsigned().record("www A 192.0.2.22"));
        for (int iterations : new int[] {150, 151, 500, 501}) {
            b.zone(
                            "iter" + iterations + ".test.",
                            z -> z.nsec3(iterations, "ab", false).record(RECORDS))
                    .zone(
                            "child.iter" + iterations + ".test.",
                            z -> z.unsigned().record("www A 192.0.2.30"));
        }
        world = b.start().signAll(); // signed up front: lazy signing inside a query would eat into
        // the timeout
        anchors = TrustAnchors.of(world.trustAnchors());
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    /**
     * A cold resolver, so that each answer's evidence holds every response from the anchor down.
     */
    private static Answer resolve(String name, int type) {
        try (ValidatingResolver r =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(anchors)
                        .clock(CLOCK)
                        .timeout(Duration.ofSeconds(3))
                        .build()) {
            return r.resolve(name, type);
        }
    }

    private static void assertSecure(Answer a, int rcode) {
        assertEquals(Status.SECURE, a.status(), a.toString());
        assertEquals(rcode, a.rcode(), a.toString());
    }

    private static void assertProvenAbsent(Answer a, int rcode) {
        assertSecure(a, rcode);
        assertTrue(a.records().isEmpty() && a.nonexistent(), a.toString());
    }

    private static Verdict.Bogus assertBogus(Answer a, Reason reason) {
        Verdict.Bogus b = assertInstanceOf(Verdict.Bogus.class, a.verdict(), a.toString());
        assertEquals(reason, b.reason(), a.toString());
        return b;
    }

    static Stream<Arguments> brokenZones() {
        return Stream.of(Kind.values())
                .flatMap(k -> Stream.of(DenialBreakage.values()).map(b -> Arguments.of(k, b)));
    }

    /**
     * The reason a broken proof gives: no NSEC or NSEC3 at all is NSEC Missing (RFC 8914 §4.13);
     * records that came and prove nothing are DNSSEC Bogus (§4.7), as Unbound reports them.
     */
    static Reason failure(DenialBreakage breakage) {
        return breakage == DenialBreakage.MISSING ? Reason.NSEC_MISSING : Reason.DNSSEC_BOGUS;
    }

    // ---- NXDOMAIN
    // ---------------------------------------------------------------------------------

    /** Names whose closest encloser is the apex, a name with data, and an empty non-terminal. */
    static final List<String> NONEXISTENT = List.of("nope", "deep.nope", "x.www", "x.b.ent");

    @ParameterizedTest
    @EnumSource(Kind.class)
    void nxdomainIsSecureWithRcodeNxdomain(Kind kind) {
        for (String label : NONEXISTENT) {
            assertProvenAbsent(resolve(label + "." + kind.zone(), Type.A), Rcode.NXDOMAIN);
        }
    }

    @ParameterizedTest
    @MethodSource("brokenZones")
    void nxdomainWithoutItsProofOrWithUnrelatedRecordsIsBogus(Kind kind, DenialBreakage breakage) {
        for (String label : NONEXISTENT) {
            assertBogus(resolve(label + "." + kind.zone(breakage), Type.A), failure(breakage));
        }
    }

    // ---- NODATA
    // -----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Kind.class)
    void nodataAtAnExistingNameIsSecure(Kind kind) {
        assertProvenAbsent(resolve("www." + kind.zone(), Type.MX), Rcode.NOERROR);
        assertProvenAbsent(resolve(kind.zone(), Type.TXT), Rcode.NOERROR);
    }

    @ParameterizedTest
    @MethodSource("brokenZones")
    void nodataAtAnExistingNameWithoutAValidProofIsBogus(Kind kind, DenialBreakage breakage) {
        assertBogus(resolve("www." + kind.zone(breakage), Type.MX), failure(breakage));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void nodataAtAnEmptyNonTerminalIsSecure(Kind kind) {
        assertProvenAbsent(resolve("b.ent." + kind.zone(), Type.A), Rcode.NOERROR);
        assertProvenAbsent(resolve("ent." + kind.zone(), Type.TXT), Rcode.NOERROR);
        assertProvenAbsent(resolve("wild." + kind.zone(), Type.TXT), Rcode.NOERROR);
    }

    @ParameterizedTest
    @MethodSource("brokenZones")
    void nodataAtAnEmptyNonTerminalWithoutAValidProofIsBogus(Kind kind, DenialBreakage breakage) {
        assertBogus(resolve("b.ent." + kind.zone(breakage), Type.A), failure(breakage));
    }

    // ---- wildcards
    // --------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Kind.class)
    void wildcardAnswerIsSecureWithProofThatTheNameItselfDoesNotExist(Kind kind) {
        for (String label : List.of("foo.wild", "x.y.wild")) {
            Answer a = resolve(label + "." + kind.zone(), Type.TXT);
            assertSecure(a, Rcode.NOERROR);
            assertEquals(1, a.records().size(), a.toString());
            assertEquals(
                    Name.fromConstantString(label + "." + kind.zone()),
                    a.records().get(0).getName());
            assertEquals(List.of("wild"), ((TXTRecord) a.records().get(0)).getStrings());
        }
    }

    @ParameterizedTest
    @MethodSource("brokenZones")
    void wildcardAnswerWithoutProofThatTheNameDoesNotExistIsBogus(
            Kind kind, DenialBreakage breakage) {
        // the data is there: never NSEC Missing, which RFC 8914 §4.13 keeps for denied data
        assertBogus(resolve("foo.wild." + kind.zone(breakage), Type.TXT), Reason.DNSSEC_BOGUS);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void wildcardNodataIsSecure(Kind kind) {
        assertProvenAbsent(resolve("foo.wild." + kind.zone(), Type.A), Rcode.NOERROR);
    }

    @ParameterizedTest
    @MethodSource("brokenZones")
    void wildcardNodataWithoutAValidProofIsBogus(Kind kind, DenialBreakage breakage) {
        assertBogus(resolve("foo.wild." + kind.zone(breakage), Type.A), failure(breakage));
    }

    // ---- DS absence
    // -------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Kind.class)
    void dsNodataAtAnUnsignedDelegationMakesItsDataInsecureThere(Kind kind) {
        Answer a = resolve("www.child." + kind.zone(), Type.A);
        Verdict.Insecure i = assertInstanceOf(Verdict.Insecure.class, a.verdict(), a.toString());
        assertEquals(Name.fromConstantString("child." + kind.zone()), i.delegation().orElse(null));
        assertEquals(
                InsecureCause.UNSIGNED_DELEGATION,
                i.cause(),
                "a plain unsigned delegation carries no EDE");
        assertEquals(1, a.records().size(), a.toString());
        assertProvenAbsent(resolve("child." + kind.zone(), Type.DS), Rcode.NOERROR);
        assertSecure(resolve("www.sub." + kind.zone(), Type.A), Rcode.NOERROR);
    }

    @ParameterizedTest
    @MethodSource("brokenZones")
    void unprovenDsAbsenceIsBogusNeverInsecure(Kind kind, DenialBreakage breakage) {
        Verdict.Bogus b =
                assertBogus(resolve("www.child." + kind.zone(breakage), Type.A), failure(breakage));
        assertTrue(b.detail().contains("child." + kind.zone(breakage)), b.detail());
        assertBogus(resolve("child." + kind.zone(breakage), Type.DS), failure(breakage));
    }

    // ---- NSEC3 opt-out and iterations
    // -------------------------------------------------------------

    @Test
    void nsec3OptOutSpanMakesWhatItCoversInsecureNeverSecure() {
        Answer child = resolve("www.child.optout.test.", Type.A);
        Verdict.Insecure i =
                assertInstanceOf(Verdict.Insecure.class, child.verdict(), child.toString());
        assertEquals(Name.fromConstantString("child.optout.test."), i.delegation().orElse(null));
        assertTrue(i.detail().contains("opt-out"), i.detail());

        // RFC 5155 §9.2: a name error whose next closer name lies in an opt-out span may hide an
        // unsigned
        // delegation, so the NXDOMAIN is Insecure at the zone, never Secure.
        Answer nx = resolve("nope.optout.test.", Type.A);
        Verdict.Insecure span =
                assertInstanceOf(Verdict.Insecure.class, nx.verdict(), nx.toString());
        assertEquals(Name.fromConstantString("optout.test."), span.delegation().orElse(null));
        assertTrue(span.detail().contains("opt-out"), span.detail());
        assertEquals(Rcode.NXDOMAIN, nx.rcode());

        // Names with an NSEC3 of their own need no span: a signed delegation and a plain NODATA
        // stay Secure.
        assertSecure(resolve("www.sub.optout.test.", Type.A), Rcode.NOERROR);
        assertProvenAbsent(resolve("www.optout.test.", Type.MX), Rcode.NOERROR);
    }

    @Test
    void optOutZoneWithoutItsProofsIsBogusNotInsecure() {
        assertBogus(resolve("www.child.optout-missing.test.", Type.A), Reason.NSEC_MISSING);
        assertBogus(resolve("nope.optout-missing.test.", Type.A), Reason.NSEC_MISSING);
    }

    /**
     * RFC 9276 §3.2, with the limits of BIND, Unbound and Knot: Insecure with EDE 27 above 150
     * iterations, Bogus above 500, for a name error, a NODATA and the DS absence at an unsigned
     * delegation alike.
     */
    @ParameterizedTest(name = "{0} iterations: {1}")
    @CsvSource({"150, SECURE", "151, INSECURE", "500, INSECURE", "501, BOGUS"})
    void nsec3IterationsAboveTheSoftLimitAreInsecureWithEde27AndAboveTheHardLimitBogus(
            int iterations, Status expected) {
        String zone = "iter" + iterations + ".test.";
        for (Answer a :
                List.of(
                        resolve("nope." + zone, Type.A),
                        resolve("www." + zone, Type.MX),
                        resolve("www.child." + zone, Type.A))) {
            boolean delegated = a.name().equals(name("www.child." + zone));
            if (expected == Status.SECURE && delegated) {
                Verdict.Insecure i =
                        assertInstanceOf(Verdict.Insecure.class, a.verdict(), a.toString());
                assertEquals(name("child." + zone), i.delegation().orElse(null), a.toString());
                assertEquals(InsecureCause.UNSIGNED_DELEGATION, i.cause(), a.toString());
                continue;
            }
            assertEquals(expected, a.status(), a.toString());
            switch (expected) {
                case SECURE -> assertTrue(a.nonexistent(), a.toString());
                case INSECURE -> {
                    Verdict.Insecure i = (Verdict.Insecure) a.verdict();
                    assertEquals(InsecureCause.NSEC3_ITERATIONS, i.cause(), a.toString());
                    assertEquals(27, i.cause().edeCode().getAsInt());
                    assertEquals(name(zone), i.delegation().orElse(null), a.toString());
                }
                case BOGUS -> assertBogus(a, Reason.UNSUPPORTED_NSEC3_ITERATIONS);
                default -> throw new AssertionError(expected);
            }
        }
        assertSecure(
                resolve("www." + zone, Type.A), Rcode.NOERROR); // positive answers carry no NSEC3
    }

    // ---- forgeries replayed offline
    // ---------------------------------------------------------------

    /**
     * CVE-2018-1000002 class: the parent's NSEC (NSEC3) at a delegation lists NS and DS but no SOA;
     * it is signed by the parent and its span covers every name below the cut, yet those names live
     * in the child zone. Used as an NXDOMAIN proof for an existing name of the signed child, or as
     * a NODATA proof for the child's apex data, it must be Bogus (RFC 4035 §5.4; RFC 5155 §8.3 last
     * paragraph: the closest encloser's NSEC3 "MUST NOT" be a delegation's, NS without SOA, nor
     * have DNAME).
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void parentSideNsecAtADelegationCannotDenyNamesInTheChildZone(Kind kind) {
        Zone parent = world.zone(kind.zone());
        Name cut = name("sub." + kind.zone());
        Name inChild = name("www.sub." + kind.zone());
        List<RRset> nxProof =
                kind == Kind.NSEC
                        ? List.of(nsecRRset(parent, cut))
                        : List.of(
                                nsec3Matching(parent, cut),
                                nsec3Covering(parent, inChild),
                                nsec3Covering(parent, wildcard(cut)));
        int[] bitmap = denialTypes(nxProof.get(0).first());
        assertTrue(
                has(bitmap, Type.NS) && has(bitmap, Type.DS) && !has(bitmap, Type.SOA),
                "the parent's record at the cut");
        if (kind == Kind.NSEC) {
            NSECRecord atCut = (NSECRecord) nxProof.get(0).first();
            assertTrue(
                    covers(atCut, inChild) && covers(atCut, wildcard(cut)),
                    "its span covers the child's names: " + atCut);
        }

        Answer genuine = replayedControl(inChild, Type.A, Status.SECURE);
        Answer nx =
                forge(
                        genuine,
                        inChild,
                        Type.A,
                        negative(inChild, Type.A, Rcode.NXDOMAIN, parent, nxProof));
        assertBogus(nx, Reason.DNSSEC_BOGUS);

        Answer apexData = replayedControl(cut, Type.TXT, Status.SECURE);
        Answer nodata =
                forge(
                        apexData,
                        cut,
                        Type.TXT,
                        negative(cut, Type.TXT, Rcode.NOERROR, parent, List.of(nxProof.get(0))));
        assertBogus(nodata, Reason.DNSSEC_BOGUS);
    }

    /**
     * A DNAME redirects every name below its owner, so the denial record at a DNAME owner, though
     * signed by the zone, says nothing about them (RFC 6672 §5.3.2; for NSEC3, RFC 5155 §8.3: "The
     * DNAME type bit must not be set" in the closest encloser's NSEC3). A forged name error for a
     * name below the DNAME, which the DNAME makes exist, must be Bogus.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void denialRecordAtADnameCannotDenyNamesBelowIt(Kind kind) {
        Zone zone = world.zone(kind.zone());
        Name dname = name("redir." + kind.zone());
        Name below = name("www.redir." + kind.zone());
        List<RRset> proof =
                kind == Kind.NSEC
                        ? List.of(nsecRRset(zone, dname))
                        : List.of(
                                nsec3Matching(zone, dname),
                                nsec3Covering(zone, below),
                                nsec3Covering(zone, wildcard(dname)));
        assertTrue(
                has(denialTypes(proof.get(0).first()), Type.DNAME),
                "the denial record at the DNAME owner");
        if (kind == Kind.NSEC) {
            NSECRecord atDname = (NSECRecord) proof.get(0).first();
            assertTrue(
                    covers(atDname, below) && covers(atDname, wildcard(dname)),
                    "its span covers the name: " + atDname);
        }
        Answer genuine = replayedControl(below, Type.A, Status.SECURE);
        assertEquals(1, genuine.records().size(), "the DNAME leads to www.sub: " + genuine);
        assertBogus(
                forge(genuine, below, Type.A, negative(below, Type.A, Rcode.NXDOMAIN, zone, proof)),
                Reason.DNSSEC_BOGUS);
    }

    /**
     * The same forgery in an NSEC3 opt-out zone: the parent's NSEC3 at a signed delegation as
     * closest encloser, an opt-out span over the next closer name. Accepting it would downgrade a
     * signed child to Insecure (RFC 5155 §9.2 applies only to a valid closest encloser proof, and
     * §8.3 rules out a delegation's NSEC3 as the closest encloser), so it must be Bogus.
     */
    @Test
    void parentSideNsec3InAnOptOutZoneCannotDowngradeASignedChildToInsecure() {
        Zone parent = world.zone("optout.test.");
        Name cut = name("sub.optout.test.");
        Name inChild = name("www.sub.optout.test.");
        RRset cover = nsec3Covering(parent, inChild);
        assertTrue(
                (((NSEC3Record) cover.first()).getFlags() & 1) != 0,
                "the span over the next closer name is opt-out");
        Answer genuine = replayedControl(inChild, Type.A, Status.SECURE);
        Answer nx =
                forge(
                        genuine,
                        inChild,
                        Type.A,
                        negative(
                                inChild,
                                Type.A,
                                Rcode.NXDOMAIN,
                                parent,
                                List.of(
                                        nsec3Matching(parent, cut),
                                        cover,
                                        nsec3Covering(parent, wildcard(cut)))));
        assertEquals(Status.BOGUS, nx.status(), "a name error: " + nx);
        Answer nodata =
                forge(
                        genuine,
                        inChild,
                        Type.A,
                        negative(
                                inChild,
                                Type.A,
                                Rcode.NOERROR,
                                parent,
                                List.of(nsec3Matching(parent, cut), cover)));
        assertEquals(Status.BOGUS, nodata.status(), "a NODATA (RFC 5155 §8.6 form): " + nodata);
    }

    /**
     * The other side of the cut: the child's apex NSEC (NSEC3) lists SOA and no DS, and is signed
     * by the child. Offered as proof that the parent has no DS for the child, it would turn a
     * signed child into an insecure one; it proves nothing about the parent's side (RFC 4035 §5.4,
     * RFC 6840 §4.4).
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void childApexNsecCannotProveThatTheParentHasNoDs(Kind kind) {
        Zone child = world.zone("sub." + kind.zone());
        Name cut = child.origin();
        RRset apex = kind == Kind.NSEC ? nsecRRset(child, cut) : nsec3Matching(child, cut);
        assertFalse(has(denialTypes(apex.first()), Type.DS));
        Name inChild = name("www.sub." + kind.zone());
        Answer genuine = replayedControl(inChild, Type.A, Status.SECURE);
        Answer downgraded =
                forge(
                        genuine,
                        cut,
                        Type.DS,
                        negative(cut, Type.DS, Rcode.NOERROR, child, List.of(apex)));
        assertBogus(downgraded, Reason.DNSSEC_BOGUS);
    }

    /**
     * A validly signed denial record of the zone that neither matches nor covers the name (nor, for
     * NSEC3, its next closer name) proves nothing about it, for a name error or for NODATA. The
     * rest of the proof (SOA, wildcard denial, closest encloser) is kept genuine, so the wrong
     * record is the only flaw.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void wrongOwnerDenialRecordProvesNothing(Kind kind) {
        Zone zone = world.zone(kind.zone());
        Name apex = zone.origin();
        Name nope = name("nope." + kind.zone());
        Answer genuineNx = replayedControl(nope, Type.A, Status.SECURE);
        List<RRset> nxProof = new ArrayList<>();
        if (kind == Kind.NSEC) {
            RRset wildcardDenial = nsecCoveringRRset(zone, wildcard(apex));
            nxProof.add(wildcardDenial);
            nxProof.add(unrelatedNsec(zone, List.of(nope, wildcard(apex)), wildcardDenial));
        } else {
            RRset encloser = nsec3Matching(zone, apex);
            RRset wildcardDenial = nsec3Covering(zone, wildcard(apex));
            nxProof.addAll(List.of(encloser, wildcardDenial));
            nxProof.add(unrelatedNsec3(zone, List.of(nope), List.of(encloser, wildcardDenial)));
        }
        assertBogus(
                forge(
                        genuineNx,
                        nope,
                        Type.A,
                        negative(nope, Type.A, Rcode.NXDOMAIN, zone, nxProof)),
                Reason.DNSSEC_BOGUS);

        Name www = name("www." + kind.zone());
        Answer genuineNodata = replayedControl(www, Type.MX, Status.SECURE);
        RRset wrong =
                kind == Kind.NSEC
                        ? unrelatedNsec(zone, List.of(www), null)
                        : unrelatedNsec3(zone, List.of(www), List.of());
        assertFalse(
                has(denialTypes(wrong.first()), Type.MX),
                "the wrong record does not list MX either: " + wrong.first());
        assertBogus(
                forge(
                        genuineNodata,
                        www,
                        Type.MX,
                        negative(www, Type.MX, Rcode.NOERROR, zone, List.of(wrong))),
                Reason.DNSSEC_BOGUS);
    }

    /**
     * CVE-2017-15105 class: the NSEC of {@code *.wild}, expanded to the owner {@code !.wild} (its
     * RRSIG's labels field still verifies the expansion), spans from before {@code *.wild} to past
     * every name the wildcard answers for. As an NXDOMAIN proof it would deny {@code b.wild}, which
     * the wildcard makes exist, and the wildcard itself. A wildcard-expanded NSEC proves nothing
     * about other names.
     */
    @Test
    void wildcardExpandedNsecIsNoNxdomainProof() {
        Zone zone = world.zone(Kind.NSEC.zone());
        Name qname = name("b.wild." + Kind.NSEC.zone());
        RRset wild = nsecRRset(zone, name("*.wild." + Kind.NSEC.zone()));
        Name expandedOwner = name("!.wild." + Kind.NSEC.zone());
        List<Record> expanded = new ArrayList<>();
        wild.rrs(false).forEach(r -> expanded.add(r.withName(expandedOwner)));
        wild.sigs().forEach(r -> expanded.add(r.withName(expandedOwner)));
        NSECRecord forged = (NSECRecord) expanded.get(0);
        assertTrue(
                covers(forged, qname) && covers(forged, wild.getName()),
                "the expanded NSEC covers both the name and the wildcard: " + forged);
        assertTrue(
                ((RRSIGRecord) expanded.get(1)).getLabels() < expandedOwner.labels() - 1,
                "signed as a wildcard");

        Answer genuine = replayedControl(qname, Type.TXT, Status.SECURE);
        Message m = response(qname, Type.TXT, Rcode.NXDOMAIN);
        add(m, zone.rrset("@", Type.SOA).orElseThrow());
        expanded.forEach(r -> m.addRecord(r, Section.AUTHORITY));
        assertBogus(forge(genuine, qname, Type.TXT, m), Reason.DNSSEC_BOGUS);
    }

    /**
     * A zone has one NSEC3 chain per answer (RFC 5155 §7.2, §8.2): a proof pieced together from two
     * parameter sets is a forgery. Here the zone was re-signed with other NSEC3 parameters after
     * {@code www} was added; the old chain (signed by the same keys, and still within its validity)
     * covers {@code www}. The closest encloser comes from the current chain, the next closer and
     * wildcard covers from the old one: each record is genuine, the proof is not, and it must be
     * Bogus.
     */
    @Test
    void nsec3RecordsFromTwoParameterSetsNeverFormOneProof() {
        String zoneName = "paramsets.test.";
        try (World current =
                        World.builder()
                                .clock(CLOCK)
                                .reuseKeysAcrossWorlds()
                                .zone("test.")
                                .zone(
                                        zoneName,
                                        z ->
                                                z.nsec3(0, "aa", false)
                                                        .record(
                                                                "www A 192.0.2.1\nmail A 192.0.2.2"))
                                .start();
                World old =
                        World.builder()
                                .clock(CLOCK)
                                .reuseKeysAcrossWorlds()
                                .zone("test.")
                                .zone(
                                        zoneName,
                                        z -> z.nsec3(7, "bb", false).record("mail A 192.0.2.2"))
                                .build()) {
            Zone now = current.zone(zoneName);
            Zone before = old.zone(zoneName);
            assertEquals(
                    now.keys().get(1).dnskey(),
                    before.keys().get(1).dnskey(),
                    "both chains are signed by one key");
            Name apex = now.origin();
            Name www = name("www." + zoneName);
            TrustAnchors currentAnchors = TrustAnchors.of(current.trustAnchors());
            Answer genuine;
            try (ValidatingResolver r =
                    ValidatingResolver.builder()
                            .upstream(current.address())
                            .trustAnchors(currentAnchors)
                            .clock(CLOCK)
                            .build()) {
                genuine = r.resolve(www.toString(), Type.A);
            }
            assertSecure(genuine, Rcode.NOERROR);

            // Control: the old chain alone is one parameter set, validly signed, and is accepted.
            // Signatures
            // cannot tell a stale chain from a current one; only the mixing below is detectable.
            List<RRset> oldOnly =
                    List.of(
                            nsec3Matching(before, apex),
                            nsec3Covering(before, www),
                            nsec3Covering(before, wildcard(apex)));
            Answer stale =
                    ValidatingResolver.verifyOffline(
                            replace(
                                    genuine.evidence(),
                                    www,
                                    Type.A,
                                    negative(www, Type.A, Rcode.NXDOMAIN, now, oldOnly)),
                            www,
                            Type.A,
                            currentAnchors,
                            NOW);
            assertProvenAbsent(stale, Rcode.NXDOMAIN);

            List<RRset> mixed =
                    List.of(
                            nsec3Matching(now, apex),
                            nsec3Covering(before, www),
                            nsec3Covering(before, wildcard(apex)));
            Answer a =
                    ValidatingResolver.verifyOffline(
                            replace(
                                    genuine.evidence(),
                                    www,
                                    Type.A,
                                    negative(www, Type.A, Rcode.NXDOMAIN, now, mixed)),
                            www,
                            Type.A,
                            currentAnchors,
                            NOW);
            assertBogus(a, Reason.DNSSEC_BOGUS);
        }
    }

    // ---- helpers: recording and replaying
    // ---------------------------------------------------------

    /**
     * Resolves {@code name}/{@code type} live, checks the verdict, and checks that its evidence
     * replays to it.
     */
    private static Answer replayedControl(Name name, int type, Status expected) {
        Answer live = resolve(name.toString(), type);
        assertEquals(expected, live.status(), live.toString());
        Answer replayed =
                ValidatingResolver.verifyOffline(live.evidence(), name, type, anchors, NOW);
        assertEquals(
                expected,
                replayed.status(),
                "the genuine chain must replay as it validated: " + replayed);
        return live;
    }

    /**
     * Replays {@code genuine}'s chain with the response to {@code name}/{@code type} replaced by
     * {@code forged}.
     */
    private static Answer forge(Answer genuine, Name name, int type, Message forged) {
        return ValidatingResolver.verifyOffline(
                replace(genuine.evidence(), name, type, forged),
                genuine.name(),
                genuine.type(),
                anchors,
                NOW);
    }

    private static Evidence replace(Evidence chain, Name name, int type, Message forged) {
        List<Evidence.Exchange> exchanges = new ArrayList<>(chain.exchanges());
        for (int i = 0; i < exchanges.size(); i++) {
            if (exchanges.get(i).name().equals(name) && exchanges.get(i).type() == type) {
                exchanges.set(i, new Evidence.Exchange(name, type, forged));
                return new Evidence(exchanges);
            }
        }
        throw new AssertionError(
                "the recorded chain has no "
                        + name
                        + "/"
                        + Type.string(type)
                        + " exchange: "
                        + chain.exchanges().stream()
                                .map(e -> e.name() + "/" + Type.string(e.type()))
                                .toList());
    }

    // ---- helpers: forged responses
    // ----------------------------------------------------------------

    /**
     * A negative response signed by {@code zone}: its SOA and the given denial RRsets, with their
     * RRSIGs.
     */
    private static Message negative(
            Name qname, int qtype, int rcode, Zone zone, List<RRset> proof) {
        Message m = response(qname, qtype, rcode);
        add(m, zone.rrset("@", Type.SOA).orElseThrow());
        proof.forEach(set -> add(m, set));
        return m;
    }

    private static Message response(Name qname, int qtype, int rcode) {
        Message m = new Message();
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RD);
        m.getHeader().setFlag(Flags.RA);
        m.getHeader().setFlag(Flags.CD);
        m.getHeader().setRcode(rcode);
        m.addRecord(Record.newRecord(qname, qtype, DClass.IN), Section.QUESTION);
        m.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        return m;
    }

    private static void add(Message m, RRset set) {
        set.rrs(false).forEach(r -> m.addRecord(r, Section.AUTHORITY));
        set.sigs().forEach(r -> m.addRecord(r, Section.AUTHORITY));
    }

    // ---- helpers: the zones' denial chains, computed apart from the validator
    // ---------------------

    private static List<NSECRecord> nsecChain(Zone zone) {
        return zone.records().stream()
                .filter(r -> r instanceof NSECRecord)
                .map(r -> (NSECRecord) r)
                .toList();
    }

    private static RRset nsecRRset(Zone zone, Name owner) {
        return zone.rrset(owner.toString(), Type.NSEC)
                .orElseThrow(() -> new AssertionError("no NSEC at " + owner));
    }

    private static RRset nsecCoveringRRset(Zone zone, Name name) {
        for (NSECRecord r : nsecChain(zone)) {
            if (covers(r, name)) {
                return nsecRRset(zone, r.getName());
            }
        }
        throw new AssertionError("no NSEC of " + zone.origin() + " covers " + name);
    }

    /**
     * An NSEC of the zone that matches and covers none of {@code names}, other than {@code
     * besides}.
     */
    private static RRset unrelatedNsec(Zone zone, List<Name> names, RRset besides) {
        for (NSECRecord r : nsecChain(zone)) {
            boolean related = names.stream().anyMatch(n -> r.getName().equals(n) || covers(r, n));
            if (!related && (besides == null || !besides.getName().equals(r.getName()))) {
                return nsecRRset(zone, r.getName());
            }
        }
        throw new AssertionError("every NSEC of " + zone.origin() + " is about " + names);
    }

    /**
     * An NSEC3 of the zone that matches and covers none of {@code names}, and is none of {@code
     * besides}.
     */
    private static RRset unrelatedNsec3(Zone zone, List<Name> names, List<RRset> besides) {
        for (RRset set : zone.nsec3Chain()) {
            NSEC3Record r = (NSEC3Record) set.first();
            boolean related = names.stream().anyMatch(n -> matches(r, n) || covers(r, n));
            if (!related && besides.stream().noneMatch(b -> b.getName().equals(set.getName()))) {
                return set;
            }
        }
        throw new AssertionError("every NSEC3 of " + zone.origin() + " is about " + names);
    }

    private static RRset nsec3Matching(Zone zone, Name name) {
        for (RRset set : zone.nsec3Chain()) {
            if (matches((NSEC3Record) set.first(), name)) {
                return set;
            }
        }
        throw new AssertionError("no NSEC3 of " + zone.origin() + " matches " + name);
    }

    private static RRset nsec3Covering(Zone zone, Name name) {
        for (RRset set : zone.nsec3Chain()) {
            if (covers((NSEC3Record) set.first(), name)) {
                return set;
            }
        }
        throw new AssertionError("no NSEC3 of " + zone.origin() + " covers " + name);
    }

    /** RFC 4034 §6.1 order; the chain's last record wraps around to the apex. */
    static boolean covers(NSECRecord r, Name name) {
        boolean last = r.getNext().compareTo(r.getName()) <= 0;
        return r.getName().compareTo(name) < 0 && (last || name.compareTo(r.getNext()) < 0);
    }

    static String hash(NSEC3Record params, Name name) {
        try {
            return B32HEX.toString(params.hashName(name));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is on every Java platform", e);
        }
    }

    /**
     * RFC 5155 §3.1.7: the owner's first label is the hash of the name, with the record's own
     * parameters.
     */
    static boolean matches(NSEC3Record r, Name name) {
        return r.getName().getLabelString(0).equalsIgnoreCase(hash(r, name));
    }

    /**
     * RFC 5155 §1.3 "covers": the hash lies strictly between the owner hash and the next hash,
     * wrapping at the end.
     */
    static boolean covers(NSEC3Record r, Name name) {
        String h = hash(r, name);
        String owner = r.getName().getLabelString(0).toLowerCase();
        String next = B32HEX.toString(r.getNext());
        return owner.compareTo(next) < 0
                ? owner.compareTo(h) < 0 && h.compareTo(next) < 0
                : owner.compareTo(h) < 0 || h.compareTo(next) < 0;
    }

    private static int[] denialTypes(Record r) {
        return r instanceof NSECRecord n ? n.getTypes() : ((NSEC3Record) r).getTypes();
    }

    private static boolean has(int[] types, int type) {
        for (int t : types) {
            if (t == type) {
                return true;
            }
        }
        return false;
    }

    static Name wildcard(Name encloser) {
        return name("*." + encloser);
    }

    static Name name(String s) {
        return Name.fromConstantString(s);
    }
}
