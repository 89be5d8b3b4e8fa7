package dev.daneel.validator;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.DenialBreakage;
import dev.daneel.testkit.World;
import dev.daneel.testkit.ZoneBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Daneel's {@link ValidatingResolver} against dnsjava 3.7.1's {@code
 * org.xbill.DNS.dnssec.ValidatingResolver} (a port of Unbound's validator), question by question,
 * over one testkit world with secure NSEC, NSEC3 and NSEC3 opt-out zones, unsigned delegations, a
 * zone for every {@link Breakage}, DS and key fault and {@link DenialBreakage}, high NSEC3
 * iterations and a small KeyTrap; plus a few responses forged from a zone's own signed records,
 * served to both validators alike.
 *
 * <p>Each {@link Probe} states the verdict the RFCs give it. Daneel must give exactly that; dnsjava
 * must agree with Daneel (verdict, and rcode unless Bogus) except on the questions in {@link
 * #INTENTIONAL_DIFFERENCES}, each with the RFC text that decides it.
 *
 * <p>dnsjava reports its verdict through the protocol message: AD set means Secure; SERVFAIL means
 * Bogus, with an RFC 8914 EDE option in the OPT record and a reason TXT record of class {@link
 * org.xbill.DNS.dnssec.ValidatingResolver#VALIDATION_REASON_QCLASS} in the additional section;
 * NOERROR or NXDOMAIN without AD means Insecure (its reason, when it has one, is there too). Daneel
 * keeps the upstream's rcode on a Bogus answer where dnsjava replaces it by SERVFAIL, so rcodes are
 * compared only when neither says Bogus. Both validators judge signatures by the same fixed clock;
 * the output is a table of every question with both verdicts and reasons.
 */
class DnsjavaDifferentialTest {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static final Status S = Status.SECURE;
    private static final Status I = Status.INSECURE;
    private static final Status B = Status.BOGUS;

    /**
     * A question and the verdict the RFCs give it; {@code forged}, when not null, is the response
     * both validators get instead of the world's.
     */
    record Probe(String name, int type, Status expected, Forgery forged) {
        Probe(String name, int type, Status expected) {
            this(name, type, expected, null);
        }

        String key() {
            return (forged != null ? "forged " : "") + name + "/" + Type.string(type);
        }
    }

    /**
     * A response built from a zone's own signed records, as an on-path attacker could build it.
     *
     * @param zone the zone whose keys sign it (Daneel's chain of trust to it is recorded from a
     *     real lookup)
     * @param response builds the response once the world is signed
     */
    record Forgery(String zone, Supplier<Message> response) {}

    /**
     * What one validator said: its verdict, rcode, and reason (RFC 8914 code, if any, and text).
     */
    record Outcome(Status status, int rcode, Integer ede, String reason) {
        String describe() {
            return (ede == null ? "" : "EDE " + ede + " ") + reason;
        }
    }

    /**
     * A question on which dnsjava gives another verdict than Daneel, and the RFC that decides it.
     */
    record Difference(Status dnsjava, String rfc) {}

    /**
     * Where dnsjava 3.7.1 differs from Daneel, keyed by {@link Probe#key()}, with the RFC
     * reasoning. The test fails when dnsjava stops differing, so that the list stays true.
     */
    static final Map<String, Difference> INTENTIONAL_DIFFERENCES =
            Map.of(
                    "nx.wrongdenial.test./A",
                            new Difference(
                                    S,
                                    "RFC 4035 §5.4: NXDOMAIN needs an NSEC covering the name and one denying the wildcard. The"
                                            + " response carries two unrelated (WRONG) NSECs: *.wild.wrongdenial.test. and"
                                            + " mail.wrongdenial.test.; Daneel says Bogus. dnsjava falls back to a NODATA proof, takes the"
                                            + " wildcard NSEC as proving NODATA for any name (ValUtils.nsecProvesNodata returns true when"
                                            + " the name is not below the wildcard's parent, where Unbound returns 0) and checks the"
                                            + " wildcard's closest encloser only against the last NSEC of the section, then rewrites the"
                                            + " rcode to NOERROR and sets AD: a dnsjava bug"),
                    "forged www.nsec.test./A",
                            new Difference(
                                    S,
                                    "RFC 4035 §5.4, with the proofs of §3.1.3.2 and §3.1.3.4: NODATA needs an NSEC at the name"
                                            + " without the type, an empty non-terminal proof, or a wildcard NODATA proof whose wildcard is"
                                            + " *.<closest encloser>. The forged NODATA for an existing A RRset carries only the zone's SOA,"
                                            + " the NSEC of *.wild.nsec.test. and the apex NSEC, all validly signed; Daneel says Bogus."
                                            + " dnsjava sets AD (same nsecProvesNodata bug): with one signed wildcard NSEC an on-path"
                                            + " attacker denies, as Secure, any RRset at a name outside the wildcard's parent"),
                    "www.iter151.test./AAAA",
                            new Difference(
                                    B,
                                    "RFC 9276 §3.2: a validator MAY answer Insecure, and MAY answer SERVFAIL, for NSEC3 with high"
                                            + " iteration counts. Daneel follows BIND, Unbound and Knot: above 150 iterations Insecure with EDE 27,"
                                            + " above 500 Bogus (Limits.nsec3IterationsInsecureAbove/BogusAbove). dnsjava keeps RFC 5155"
                                            + " §10.3's key-size table (150 for keys up to 1024 bits, P-256 included) and fails this NODATA"
                                            + " as Bogus, with EDE 6 where RFC 9276 §3.2 asks for EDE 27. Both conform"));

    private static World world;
    private static ValidatingResolver daneel;
    private static org.xbill.DNS.dnssec.ValidatingResolver dnsjava;

    @BeforeAll
    static void start() throws IOException {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone("nsec.test.", secureZoneRecords("nsec.test.", "www.nsec3.test."))
                        .zone(
                                "nsec3.test.",
                                secureZoneRecords("nsec3.test.", "www.nsec.test.")
                                        .andThen(z -> z.nsec3(0, "", false)))
                        .zone("insecure.nsec3.test.", z -> z.unsigned().record("www A 192.0.2.10"))
                        .zone(
                                "optout.test.",
                                z ->
                                        z.nsec3(0, "", true)
                                                .record("www A 192.0.2.20\n*.wild A 192.0.2.21"))
                        .zone("child.optout.test.", z -> z.unsigned().record("www A 192.0.2.22"))
                        .zone("signed.optout.test.", z -> z.record("www A 192.0.2.23"))
                        .zone(
                                "iter151.test.",
                                z -> z.nsec3(151, "", false).record("www A 192.0.2.24"))
                        .zone(
                                "unsigned.test.",
                                z ->
                                        z.unsigned()
                                                .record(
                                                        "www A 192.0.2.30\ntosecure CNAME www.nsec.test."))
                        .zone("island.test.", z -> z.record("www A 192.0.2.31").withoutDsInParent())
                        .zone("expired.test.", broken(Breakage.EXPIRED_SIGNATURES))
                        .zone("notyet.test.", broken(Breakage.NOT_YET_VALID_SIGNATURES))
                        .zone("tampered.test.", broken(Breakage.TAMPERED_DATA))
                        .zone("nosigs.test.", broken(Breakage.MISSING_RRSIGS))
                        .zone("unknownkey.test.", broken(Breakage.UNKNOWN_SIGNING_KEY))
                        .zone(
                                "expiredkeys.test.",
                                z ->
                                        z.record("www A 192.0.2.40")
                                                .breakRRset(
                                                        "@",
                                                        Type.DNSKEY,
                                                        Breakage.EXPIRED_SIGNATURES))
                        .zone(
                                "allnosigs.test.",
                                z -> z.record("www A 192.0.2.41").breakAll(Breakage.MISSING_RRSIGS))
                        .zone("decoyds.test.", z -> z.record("www A 192.0.2.42").dsPointsToNoKey())
                        .zone("gostds.test.", z -> z.record("www A 192.0.2.43").dsDigests(3))
                        .zone(
                                "unassignedds.test.",
                                z -> z.record("www A 192.0.2.44").dsDigests(200))
                        .zone("mixedds.test.", z -> z.record("www A 192.0.2.45").dsDigests(3, 2))
                        .zone(
                                "alg253.test.",
                                z -> z.record("www A 192.0.2.46").unsupportedAlgorithm(253))
                        .zone(
                                "dsa.test.",
                                z -> z.record("www A 192.0.2.47").unsupportedAlgorithm(3))
                        .zone(
                                "gost.test.",
                                z -> z.record("www A 192.0.2.48").unsupportedAlgorithm(12))
                        .zone("revoked.test.", z -> z.record("www A 192.0.2.49").revokedKsk())
                        .zone("keytrap.test.", z -> z.record("www A 192.0.2.50").keyTrap(3, 3))
                        .zone(
                                "nodenial.test.",
                                z ->
                                        z.record("www A 192.0.2.51\n*.wild A 192.0.2.52")
                                                .denialBreakage(DenialBreakage.MISSING))
                        .zone(
                                "wrongdenial.test.",
                                z ->
                                        z.record(
                                                        "www A 192.0.2.53\n*.wild A 192.0.2.54\nmail A 192.0.2.55\n"
                                                                + "zzz A 192.0.2.56")
                                                .denialBreakage(DenialBreakage.WRONG))
                        .zone(
                                "nsec3nodenial.test.",
                                z ->
                                        z.nsec3(0, "", false)
                                                .record("www A 192.0.2.57\n*.wild A 192.0.2.58")
                                                .denialBreakage(DenialBreakage.MISSING))
                        .zone(
                                "nsec3wrongdenial.test.",
                                z ->
                                        z.nsec3(0, "", false)
                                                .record(
                                                        "www A 192.0.2.59\n*.wild A 192.0.2.60\n"
                                                                + "mail A 192.0.2.61\nzzz A 192.0.2.62")
                                                .denialBreakage(DenialBreakage.WRONG))
                        .start()
                        .signAll();

        daneel =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .timeout(Duration.ofSeconds(2))
                        .build();
        dnsjava = dnsjavaResolver(new SimpleResolver(world.address().getAddress()));
    }

    @AfterAll
    static void stop() {
        if (daneel != null) {
            daneel.close();
        }
        if (world != null) {
            world.close();
        }
    }

    /**
     * dnsjava's validator over {@code head} pointed at the world, with the world's root DS as its
     * anchor.
     */
    private static org.xbill.DNS.dnssec.ValidatingResolver dnsjavaResolver(SimpleResolver head)
            throws IOException {
        head.setPort(world.address().getPort());
        head.setTimeout(Duration.ofSeconds(2));
        org.xbill.DNS.dnssec.ValidatingResolver v =
                new org.xbill.DNS.dnssec.ValidatingResolver(head, CLOCK);
        v.loadTrustAnchors(
                new ByteArrayInputStream(
                        world.trustAnchorText().getBytes(StandardCharsets.US_ASCII)));
        return v;
    }

    /**
     * A secure zone with data, a wildcard with an existing name below it ({@code sub.wild} is an
     * empty non-terminal), an empty non-terminal, and CNAMEs into every kind of zone.
     */
    private static Consumer<ZoneBuilder> secureZoneRecords(String origin, String secureTarget) {
        return z ->
                z.record(
                        "www A 192.0.2.1\n"
                                + "*.wild TXT \"w\"\n"
                                + "x.sub.wild TXT \"x\"\n"
                                + "a.b.ent TXT \"deep\"\n"
                                + "alias CNAME "
                                + secureTarget
                                + "\n"
                                + "dangling CNAME gone."
                                + origin
                                + "\n"
                                + "towild CNAME x.wild."
                                + origin
                                + "\n"
                                + "toinsecure CNAME www.unsigned.test.\n"
                                + "tobogus CNAME www.expired.test.\n");
    }

    /** A zone whose {@code www A} carries {@code breakage} while {@code ok A} stays valid. */
    private static Consumer<ZoneBuilder> broken(Breakage breakage) {
        return z -> z.record("www A 192.0.2.2\nok A 192.0.2.3").breakRRset("www", Type.A, breakage);
    }

    static List<Probe> probes() {
        List<Probe> p = new ArrayList<>();
        for (String z : List.of("nsec.test.", "nsec3.test.")) {
            p.add(new Probe(z, Type.SOA, S));
            p.add(new Probe(z, Type.DNSKEY, S));
            p.add(new Probe(z, Type.DS, S));
            p.add(new Probe("www." + z, Type.A, S));
            p.add(new Probe("www." + z, Type.AAAA, S)); // NODATA
            p.add(new Probe("nx." + z, Type.A, S)); // NXDOMAIN
            p.add(new Probe("deep.nx." + z, Type.A, S)); // NXDOMAIN below a nonexistent name
            p.add(new Probe("ent." + z, Type.A, S)); // empty non-terminal
            p.add(new Probe("b.ent." + z, Type.TXT, S));
            p.add(new Probe("a.b.ent." + z, Type.TXT, S));
            p.add(new Probe("wild." + z, Type.TXT, S)); // the wildcard's parent is an ENT
            p.add(new Probe("foo.wild." + z, Type.TXT, S)); // wildcard expansion
            p.add(new Probe("foo.bar.wild." + z, Type.TXT, S)); // expansion over two labels
            p.add(new Probe("foo.wild." + z, Type.A, S)); // wildcard NODATA
            p.add(new Probe("sub.wild." + z, Type.TXT, S)); // an ENT below the wildcard's parent
            p.add(
                    new Probe(
                            "foo.sub.wild." + z,
                            Type.TXT,
                            S)); // NXDOMAIN: *.wild cannot reach below sub.wild
            p.add(new Probe("alias." + z, Type.A, S)); // CNAME into the other secure zone
            p.add(new Probe("alias." + z, Type.AAAA, S)); // CNAME, then NODATA
            p.add(new Probe("alias." + z, Type.CNAME, S));
            p.add(new Probe("dangling." + z, Type.A, S)); // CNAME, then NXDOMAIN
            p.add(new Probe("towild." + z, Type.TXT, S)); // CNAME to a wildcard expansion
            p.add(new Probe("toinsecure." + z, Type.A, I)); // CNAME into an unsigned zone
            p.add(new Probe("tobogus." + z, Type.A, B)); // CNAME onto an expired signature
        }
        p.add(
                new Probe(
                        "insecure.nsec3.test.",
                        Type.DS,
                        S)); // DS NODATA, proven by a matching NSEC3
        p.add(new Probe("www.insecure.nsec3.test.", Type.A, I));
        p.add(new Probe("www.optout.test.", Type.A, S));
        p.add(
                new Probe(
                        "www.optout.test.",
                        Type.AAAA,
                        S)); // matching NSEC3: no opt-out span involved
        // RFC 5155 §9.2: no AD on a closest encloser proof whose next closer is covered by an
        // opt-out NSEC3,
        // since the name may exist as an unsigned delegation. Unbound and dnsjava answer Insecure.
        p.add(new Probe("nx.optout.test.", Type.A, I));
        p.add(new Probe("deep.nx.optout.test.", Type.A, I));
        p.add(
                new Probe(
                        "foo.wild.optout.test.",
                        Type.A,
                        I)); // wildcard expansion, next closer opted out
        p.add(
                new Probe(
                        "foo.wild.optout.test.",
                        Type.TXT,
                        I)); // wildcard NODATA, next closer opted out
        p.add(new Probe("child.optout.test.", Type.DS, I)); // RFC 5155 §8.6 proof, then §9.2
        p.add(
                new Probe(
                        "www.child.optout.test.",
                        Type.A,
                        I)); // unsigned child inside an opt-out span
        p.add(new Probe("nx.child.optout.test.", Type.A, I));
        p.add(new Probe("signed.optout.test.", Type.DS, S));
        p.add(new Probe("www.signed.optout.test.", Type.A, S));
        p.add(new Probe("nx.signed.optout.test.", Type.A, S));
        p.add(new Probe("www.iter151.test.", Type.A, S));
        p.add(
                new Probe(
                        "www.iter151.test.",
                        Type.AAAA,
                        I)); // RFC 9276 §3.2: above 150 iterations, Insecure (EDE 27)
        p.add(new Probe("nx.iter151.test.", Type.A, I));
        p.add(new Probe("unsigned.test.", Type.DS, S));
        p.add(new Probe("www.unsigned.test.", Type.A, I));
        p.add(new Probe("nx.unsigned.test.", Type.A, I));
        p.add(
                new Probe(
                        "tosecure.unsigned.test.",
                        Type.A,
                        I)); // the first link is already insecure
        p.add(new Probe("www.island.test.", Type.A, I)); // signed, but no DS in the parent
        for (String z :
                List.of(
                        "expired.test.",
                        "notyet.test.",
                        "tampered.test.",
                        "nosigs.test.",
                        "unknownkey.test.")) {
            p.add(new Probe("www." + z, Type.A, B));
            p.add(new Probe("ok." + z, Type.A, S));
            p.add(new Probe("nx." + z, Type.A, S));
        }
        for (String z :
                List.of("expiredkeys.test.", "allnosigs.test.", "decoyds.test.", "revoked.test.")) {
            p.add(new Probe("www." + z, Type.A, B));
            p.add(new Probe("nx." + z, Type.A, B));
        }
        p.add(new Probe("decoyds.test.", Type.DS, S)); // the parent's DS RRset itself verifies
        // RFC 4035 §5.2, RFC 6840 §5.2: no DS with a supported digest and algorithm means an
        // insecure child.
        // Algorithm 3 (DSA) and 12 (GOST) are MUST NOT validate in RFC 8624 §3.1, so unsupported
        // too.
        for (String z :
                List.of(
                        "gostds.test.",
                        "unassignedds.test.",
                        "alg253.test.",
                        "dsa.test.",
                        "gost.test.")) {
            p.add(new Probe(z, Type.DS, S));
            p.add(new Probe("www." + z, Type.A, I));
            p.add(new Probe("nx." + z, Type.A, I));
        }
        p.add(new Probe("www.mixedds.test.", Type.A, S)); // RFC 6840 §5.2: the SHA-256 DS suffices
        p.add(
                new Probe(
                        "www.keytrap.test.",
                        Type.A,
                        S)); // 3 decoy keys, 3 bad RRSIGs: within limits
        p.add(new Probe("nx.keytrap.test.", Type.A, S));
        for (String z :
                List.of(
                        "nodenial.test.",
                        "wrongdenial.test.",
                        "nsec3nodenial.test.",
                        "nsec3wrongdenial.test.")) {
            p.add(new Probe("www." + z, Type.A, S));
            p.add(new Probe("www." + z, Type.AAAA, B));
            p.add(new Probe("nx." + z, Type.A, B));
            p.add(new Probe("foo.wild." + z, Type.A, B));
        }
        // RFC 4035 §5.3.4, RFC 4592 §3.3.1: a wildcard expansion must come with proof that no
        // closer name
        // exists. sub.wild exists, so *.wild cannot answer for foo.sub.wild, yet the NSEC of *.wild
        // covers it.
        p.add(
                new Probe(
                        "foo.sub.wild.nsec.test.",
                        Type.TXT,
                        B,
                        new Forgery(
                                "nsec.test.",
                                () ->
                                        wildcardExpansion(
                                                "nsec.test.",
                                                "foo.sub.wild.nsec.test.",
                                                nsecCovering(
                                                        "nsec.test.",
                                                        "foo.sub.wild.nsec.test.")))));
        // RFC 5155 §8.8: the next closer name of the wildcard's parent (sub.wild) exists, so no
        // NSEC3 covers it.
        p.add(
                new Probe(
                        "foo.sub.wild.nsec3.test.",
                        Type.TXT,
                        B,
                        new Forgery(
                                "nsec3.test.",
                                () ->
                                        wildcardExpansion(
                                                "nsec3.test.",
                                                "foo.sub.wild.nsec3.test.",
                                                nsec3Covering(
                                                        "nsec3.test.",
                                                        "foo.sub.wild.nsec3.test.")))));
        // RFC 4035 §5.4: a wildcard NSEC denies nothing outside the wildcard's parent.
        p.add(
                new Probe(
                        "www.nsec.test.",
                        Type.A,
                        B,
                        new Forgery(
                                "nsec.test.",
                                () -> nodataFromWildcardNsec("nsec.test.", "www.nsec.test."))));
        return p;
    }

    // ---- forged responses
    // ---------------------------------------------------------------------------

    /**
     * {@code name}/TXT answered from the zone's {@code *.wild} TXT RRset and RRSIG, with {@code
     * proof}.
     */
    private static Message wildcardExpansion(String zone, String name, RRset proof) {
        Name qname = Name.fromConstantString(name);
        Message m = response(qname, Type.TXT, Rcode.NOERROR);
        RRset wild = world.zone(zone).rrset("*.wild", Type.TXT).orElseThrow();
        wild.rrs(false).forEach(r -> m.addRecord(r.withName(qname), Section.ANSWER));
        wild.sigs().forEach(r -> m.addRecord(r.withName(qname), Section.ANSWER));
        add(m, proof, Section.AUTHORITY);
        return m;
    }

    /**
     * NODATA for {@code name}/A "proven" by the NSEC of {@code *.wild} followed by the apex NSEC.
     */
    private static Message nodataFromWildcardNsec(String zone, String name) {
        Message m = response(Name.fromConstantString(name), Type.A, Rcode.NOERROR);
        add(m, world.zone(zone).rrset("@", Type.SOA).orElseThrow(), Section.AUTHORITY);
        add(m, world.zone(zone).rrset("*.wild", Type.NSEC).orElseThrow(), Section.AUTHORITY);
        add(m, world.zone(zone).rrset("@", Type.NSEC).orElseThrow(), Section.AUTHORITY);
        return m;
    }

    /** The zone's NSEC RRset whose span covers {@code name}. */
    private static RRset nsecCovering(String zone, String name) {
        Name n = Name.fromConstantString(name);
        RRset found = null;
        for (Record r : world.zone(zone).records()) {
            if (r instanceof NSECRecord nsec
                    && nsec.getName().compareTo(n) < 0
                    && n.compareTo(nsec.getNext()) < 0) {
                found = world.zone(zone).rrset(nsec.getName().toString(), Type.NSEC).orElseThrow();
            }
        }
        assertTrue(found != null, "no NSEC of " + zone + " covers " + name);
        return found;
    }

    /** The zone's NSEC3 RRset whose span covers the hash of {@code name}. */
    private static RRset nsec3Covering(String zone, String name) {
        base32 hex = new base32(base32.Alphabet.BASE32HEX, false, true);
        List<RRset> chain = world.zone(zone).nsec3Chain();
        String hash;
        try {
            hash =
                    hex.toString(
                            ((NSEC3Record) chain.get(0).first())
                                    .hashName(Name.fromConstantString(name)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is on every Java platform", e);
        }
        RRset covering = chain.get(chain.size() - 1); // wraps around the hash space
        for (RRset set : chain) {
            String owner = set.getName().getLabelString(0).toLowerCase();
            assertTrue(!owner.equals(hash), name + " has an NSEC3 of its own in " + zone);
            if (owner.compareTo(hash) < 0) {
                covering = set;
            }
        }
        return covering;
    }

    private static Message response(Name qname, int qtype, int rcode) {
        Message m = new Message();
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RD);
        m.getHeader().setFlag(Flags.RA);
        m.getHeader().setRcode(rcode);
        m.addRecord(Record.newRecord(qname, qtype, DClass.IN), Section.QUESTION);
        m.addRecord(new OPTRecord(1232, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
        return m;
    }

    private static void add(Message m, RRset set, int section) {
        set.rrs(false).forEach(r -> m.addRecord(r, section));
        set.sigs().forEach(r -> m.addRecord(r, section));
    }

    // ---- the two validators
    // -------------------------------------------------------------------------

    static Outcome daneel(Probe probe) {
        if (probe.forged() == null) {
            return verdict(daneel.resolve(probe.name(), probe.type()));
        }
        // The forged response joins the DS and DNSKEY responses of a real lookup in its zone, and
        // the
        // whole is validated by Daneel's engine with no network (verifyOffline), as a live answer
        // would be.
        // A fresh resolver, because an answer built from cached keys does not record them (see the
        // report).
        List<Evidence.Exchange> exchanges;
        try (ValidatingResolver fresh =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .build()) {
            exchanges =
                    new ArrayList<>(
                            fresh.resolve(probe.forged().zone(), Type.SOA).evidence().exchanges());
        }
        Name qname = Name.fromConstantString(probe.name());
        exchanges.add(new Evidence.Exchange(qname, probe.type(), probe.forged().response().get()));
        return verdict(
                ValidatingResolver.verifyOffline(
                        new Evidence(exchanges),
                        qname,
                        probe.type(),
                        TrustAnchors.of(world.trustAnchors()),
                        NOW));
    }

    private static Outcome verdict(Answer a) {
        if (a.verdict() instanceof Verdict.Bogus b) {
            return new Outcome(
                    a.status(), a.rcode(), b.reason().edeCode(), b.reason() + ": " + b.detail());
        }
        if (a.verdict() instanceof Verdict.Insecure i) {
            return new Outcome(
                    a.status(),
                    a.rcode(),
                    null,
                    "insecure at " + i.delegation() + ": " + i.detail());
        }
        if (a.verdict() instanceof Verdict.Indeterminate i) {
            return new Outcome(a.status(), a.rcode(), null, i.detail());
        }
        return new Outcome(a.status(), a.rcode(), null, "");
    }

    static Outcome dnsjava(Probe probe) {
        Message query =
                Message.newQuery(
                        Record.newRecord(
                                Name.fromConstantString(probe.name()), probe.type(), DClass.IN));
        try {
            if (probe.forged() == null) {
                return verdict(dnsjava.send(query));
            }
            Message forged = probe.forged().response().get();
            return verdict(dnsjavaResolver(new ForgingResolver(world, forged)).send(query));
        } catch (IOException e) {
            throw new UncheckedIOException("dnsjava could not resolve " + probe.key(), e);
        }
    }

    private static Outcome verdict(Message response) {
        Integer ede = null;
        OPTRecord opt = response.getOPT();
        if (opt != null) {
            for (EDNSOption o : opt.getOptions()) {
                if (o instanceof ExtendedErrorCodeOption e) {
                    ede = e.getErrorCode();
                }
            }
        }
        StringBuilder reason = new StringBuilder();
        for (Record r : response.getSection(Section.ADDITIONAL)) {
            if (r instanceof TXTRecord txt
                    && r.getDClass()
                            == org.xbill.DNS.dnssec.ValidatingResolver.VALIDATION_REASON_QCLASS) {
                txt.getStrings().forEach(reason::append);
            }
        }
        int rcode = response.getRcode();
        Status status =
                response.getHeader().getFlag(Flags.AD)
                        ? S
                        : rcode == Rcode.SERVFAIL
                                ? B
                                : rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN
                                        ? I
                                        : Status.INDETERMINATE;
        return new Outcome(status, rcode, ede, reason.toString());
    }

    /**
     * dnsjava's head resolver, answering one question with a forged response and the rest from the
     * world.
     */
    private static final class ForgingResolver extends SimpleResolver {
        private final Message forged;

        ForgingResolver(World world, Message forged) {
            super(world.address().getAddress());
            this.forged = forged;
        }

        @Override
        public CompletionStage<Message> sendAsync(Message query, Executor executor) {
            Record q = query.getQuestion();
            Record f = forged.getQuestion();
            if (q.getName().equals(f.getName()) && q.getType() == f.getType()) {
                Message m = forged.clone();
                m.getHeader().setID(query.getHeader().getID());
                return CompletableFuture.completedFuture(m);
            }
            return super.sendAsync(query, executor);
        }
    }

    // ---- the comparison
    // -----------------------------------------------------------------------------

    @Test
    void daneelGivesTheRfcVerdictAndDnsjavaAgreesExceptWhereDocumented() {
        List<Probe> probes = probes();
        List<String> failures = new ArrayList<>();
        int agreements = 0;
        StringBuilder table =
                new StringBuilder(
                        String.format(
                                "%-40s %-6s %-8s %-8s %-8s %-8s %s%n",
                                "name",
                                "type",
                                "daneel",
                                "rcode",
                                "dnsjava",
                                "rcode",
                                "reasons: daneel | dnsjava"));
        for (Probe probe : probes) {
            Outcome d = daneel(probe);
            Outcome j = dnsjava(probe);
            Difference known = INTENTIONAL_DIFFERENCES.get(probe.key());
            boolean agree = d.status() == j.status() && (d.status() == B || d.rcode() == j.rcode());
            if (agree) {
                agreements++;
            }
            table.append(
                    String.format(
                            "%-40s %-6s %-8s %-8s %-8s %-8s %s | %s%s%n",
                            (probe.forged() != null ? "forged " : "") + probe.name(),
                            Type.string(probe.type()),
                            d.status(),
                            Rcode.string(d.rcode()),
                            j.status(),
                            Rcode.string(j.rcode()),
                            d.describe(),
                            j.describe(),
                            agree
                                    ? ""
                                    : known != null
                                            ? "   [documented difference]"
                                            : "   [UNEXPECTED DIFFERENCE]"));
            if (d.status() != probe.expected()) {
                failures.add(
                        probe.key()
                                + ": Daneel says "
                                + d.status()
                                + ", the RFCs say "
                                + probe.expected()
                                + " (dnsjava says "
                                + j.status()
                                + ")"
                                + (d.describe().isEmpty() ? "" : ": " + d.describe()));
            } else if (known == null && !agree) {
                failures.add(probe.key() + ": Daneel " + d + " but dnsjava " + j);
            }
            if (known != null && j.status() != known.dnsjava()) {
                failures.add(
                        probe.key()
                                + ": listed as an intentional difference (dnsjava "
                                + known.dnsjava()
                                + ") but dnsjava now says "
                                + j
                                + "; update INTENTIONAL_DIFFERENCES");
            }
            // dnsjava names a specific RFC 8914 code only for some failures and says 6 (DNSSEC
            // Bogus) for the
            // rest; where it is specific, Daneel must name the same code.
            if (d.status() == B
                    && j.status() == B
                    && j.ede() != null
                    && j.ede() != 6
                    && !j.ede().equals(d.ede())) {
                failures.add(
                        probe.key()
                                + ": dnsjava reports EDE "
                                + j.ede()
                                + ", Daneel EDE "
                                + d.ede());
            }
            if (j.status() == B) {
                assertEquals(
                        Rcode.SERVFAIL,
                        j.rcode(),
                        probe.key() + ": dnsjava reports Bogus as SERVFAIL");
            }
        }
        table.append(
                String.format(
                        "%d questions, %d agreements, %d differences (%d documented)%n",
                        probes.size(),
                        agreements,
                        probes.size() - agreements,
                        INTENTIONAL_DIFFERENCES.size()));
        INTENTIONAL_DIFFERENCES.forEach(
                (key, diff) ->
                        table.append("  ")
                                .append(key)
                                .append(": ")
                                .append(diff.rfc())
                                .append('\n'));
        System.out.print(table);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void everyDocumentedDifferenceNamesAProbedQuestionAndItsRfc() {
        Set<String> keys = probes().stream().map(Probe::key).collect(toSet());
        INTENTIONAL_DIFFERENCES.forEach(
                (key, difference) -> {
                    assertTrue(
                            keys.contains(key),
                            key + " is listed as a difference but is not probed");
                    assertTrue(
                            difference.rfc().contains("RFC"),
                            key + ": a difference must cite its RFC");
                });
    }
}
