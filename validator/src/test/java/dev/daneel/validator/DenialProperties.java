package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.World;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Properties of NSEC3 name error proofs (RFC 5155 §8.3–8.4) over random zones: random owner names
 * one to three labels deep (from a small alphabet, so that names share ancestors and empty
 * non-terminals appear), random iterations 0–20 and a random salt, no opt-out, served by a testkit
 * world on loopback and validated with a fixed clock.
 *
 * <ol>
 *   <li>every NXDOMAIN for a name that does not exist is Secure, with rcode NXDOMAIN and no
 *       records;
 *   <li>every such proof with one NSEC3 RRset taken out of the response (replayed with {@link
 *       ValidatingResolver#verifyOffline}) is Bogus, unless what is left still proves the name
 *       error by RFC 5155 §8.3–8.4, decided by a separate implementation of those sections below.
 * </ol>
 */
class DenialProperties {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Name APEX = Name.fromConstantString("example.");

    /**
     * A zone and the questions asked of it.
     *
     * @param iterations NSEC3 iterations, 0..20
     * @param salt the NSEC3 salt in hex, empty for none
     * @param names owner names relative to the apex, each holding a TXT record
     * @param queries names relative to the apex asked for A; those that exist are not asked
     * @param below which owner name gets a question for {@code x.<owner>} (never an owner: no owner
     *     label holds an {@code x}), so that every zone has a name error below one of its names
     */
    record Plan(int iterations, String salt, List<String> names, List<String> queries, int below) {
        /** Every question: the random ones, then {@code x.<owner>}. */
        List<String> questions() {
            List<String> out = new ArrayList<>(queries);
            out.add("x." + names.get(below % names.size()));
            return out;
        }

        @Override
        public String toString() {
            return "NSEC3("
                    + iterations
                    + ", \""
                    + salt
                    + "\") zone "
                    + APEX
                    + " with "
                    + names
                    + ", asking "
                    + questions();
        }
    }

    private static Arbitrary<String> relativeNames(int maxDepth) {
        Arbitrary<String> label =
                Arbitraries.strings().withChars("ab0").ofMinLength(1).ofMaxLength(2);
        return label.list().ofMinSize(1).ofMaxSize(maxDepth).map(l -> String.join(".", l));
    }

    @Provide
    Arbitrary<Plan> plans() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 20),
                        Arbitraries.bytes()
                                .array(byte[].class)
                                .ofMaxSize(8)
                                .map(HexFormat.of()::formatHex),
                        relativeNames(3).list().uniqueElements().ofMinSize(1).ofMaxSize(8),
                        relativeNames(4).list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.integers().between(0, 7))
                .as(Plan::new);
    }

    /**
     * Every name that exists in the plan's zone: the apex, the owners and the empty non-terminals
     * above them.
     */
    private static Set<Name> existing(Plan plan) {
        Set<Name> out = new LinkedHashSet<>();
        out.add(APEX);
        for (String n : plan.names()) {
            for (Name a = absolute(n); !a.equals(APEX); a = new Name(a, 1)) {
                out.add(a);
            }
        }
        return out;
    }

    /** The plan's questions for names that do not exist. */
    private static List<Name> nonexistent(Plan plan) {
        Set<Name> existing = existing(plan);
        List<Name> out = new ArrayList<>();
        for (String q : plan.questions()) {
            Name n = absolute(q);
            if (!existing.contains(n) && !out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    private static World start(Plan plan) {
        return World.builder()
                .clock(CLOCK)
                .reuseKeysAcrossWorlds()
                .zone(
                        APEX.toString(),
                        z -> {
                            z.nsec3(plan.iterations(), plan.salt(), false);
                            plan.names().forEach(n -> z.record(n + " TXT \"" + n + "\""));
                        })
                .start();
    }

    private static ValidatingResolver resolver(World world) {
        return ValidatingResolver.builder()
                .upstream(world.address())
                .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                .clock(CLOCK)
                .timeout(Duration.ofSeconds(3))
                .build();
    }

    // ---- 1. every name error is Secure
    // ------------------------------------------------------------

    @Property(tries = 30)
    void everyNxdomainForANameThatDoesNotExistIsSecure(@ForAll("plans") Plan plan) {
        List<Name> questions = nonexistent(plan);
        try (World world = start(plan);
                ValidatingResolver resolver = resolver(world)) {
            for (Name q : questions) {
                Answer a = resolver.resolve(q.toString(), Type.A);
                Statistics.label("closest encloser depth")
                        .collect(closestEncloser(existing(plan), q).labels() - APEX.labels());
                assertEquals(Status.SECURE, a.status(), () -> q + " in " + plan + ": " + a);
                assertEquals(Rcode.NXDOMAIN, a.rcode(), () -> q + " in " + plan + ": " + a);
                assertTrue(a.records().isEmpty(), a::toString);
            }
        }
    }

    // ---- 2. one NSEC3 fewer
    // -----------------------------------------------------------------------

    /**
     * Takes each NSEC3 RRset (record and RRSIG) out of a Secure name error's response in turn and
     * replays the chain offline. The expected verdict comes from {@link #provesNameError}, an
     * implementation of RFC 5155 §8.3–8.4 apart from the validator's: the response must hold (1) an
     * NSEC3 matching the closest provable encloser, found by the §8.3 walk (the deepest ancestor of
     * the name with a matching NSEC3, whose child towards the name, the next closer name, is
     * covered), (2) an NSEC3 covering that next closer name, and (3) an NSEC3 covering the wildcard
     * at the closest encloser.
     *
     * <p>The rule: what is left is Secure exactly when it still proves all three, else Bogus with
     * {@link Reason#DNSSEC_BOGUS} (records came, and they do not prove it; RFC 8914 §4.7), or
     * {@link Reason#NSEC_MISSING} when the one record removed was all there was (§4.13). In one
     * zone's single NSEC3 chain each of the three is proven by exactly one record (spans do not
     * overlap, and a name with an NSEC3 of its own is covered by none, so a shallower encloser
     * cannot stand in: its next closer name exists), so a removed record that serves any of the
     * three leaves the proof incomplete; only a record serving none is redundant. The property
     * fails if the validator accepts a proof with a part missing, or rejects a complete one.
     */
    @Property(tries = 30)
    void removingAnNsec3RecordTheProofNeedsMakesTheNxdomainBogus(@ForAll("plans") Plan plan) {
        List<Name> questions = nonexistent(plan);
        Set<Name> existing = existing(plan);
        try (World world = start(plan);
                ValidatingResolver resolver = resolver(world)) {
            TrustAnchors anchors = TrustAnchors.of(world.trustAnchors());
            for (Name q : questions) {
                Answer a = resolver.resolve(q.toString(), Type.A);
                assertEquals(Status.SECURE, a.status(), () -> q + " in " + plan + ": " + a);
                Answer replayed =
                        ValidatingResolver.verifyOffline(a.evidence(), q, Type.A, anchors, NOW);
                assertEquals(
                        Status.SECURE,
                        replayed.status(),
                        () -> "the unchanged chain must replay Secure: " + replayed);

                int index = exchange(a.evidence(), q);
                Message response = a.evidence().exchanges().get(index).response();
                List<RRset> proof =
                        response.getSectionRRsets(Section.AUTHORITY).stream()
                                .filter(s -> s.getType() == Type.NSEC3)
                                .toList();
                assertTrue(
                        provesNameError(nsec3s(proof, null), q),
                        () -> "the served proof itself must be complete: " + proof);
                Statistics.label("NSEC3 RRsets in the proof").collect(proof.size());
                Name ce = closestEncloser(existing, q);
                for (RRset removed : proof) {
                    boolean stillProven = provesNameError(nsec3s(proof, removed), q);
                    Answer after =
                            ValidatingResolver.verifyOffline(
                                    without(a.evidence(), index, removed), q, Type.A, anchors, NOW);
                    Statistics.label("removed")
                            .collect(
                                    roles((NSEC3Record) removed.first(), q, ce)
                                            + " -> "
                                            + after.status());
                    String why =
                            "removing "
                                    + removed.first()
                                    + " from the proof of "
                                    + q
                                    + " in "
                                    + plan
                                    + " (closest encloser "
                                    + ce
                                    + ", still proven by RFC 5155 §8.4: "
                                    + stillProven
                                    + ")\n  got "
                                    + after;
                    if (stillProven) {
                        assertEquals(Status.SECURE, after.status(), why);
                    } else {
                        Verdict.Bogus b =
                                assertInstanceOf(Verdict.Bogus.class, after.verdict(), why);
                        // the last NSEC3 removed: none came at all (RFC 8914 §4.13)
                        assertEquals(
                                proof.size() == 1 ? Reason.NSEC_MISSING : Reason.DNSSEC_BOGUS,
                                b.reason(),
                                why);
                    }
                }
            }
        }
    }

    /** The index of the exchange that answered {@code qname}/A in the chain. */
    private static int exchange(Evidence chain, Name qname) {
        List<Evidence.Exchange> exchanges = chain.exchanges();
        for (int i = 0; i < exchanges.size(); i++) {
            if (exchanges.get(i).name().equals(qname) && exchanges.get(i).type() == Type.A) {
                return i;
            }
        }
        throw new AssertionError("the evidence holds no " + qname + "/A exchange");
    }

    /**
     * The chain with the NSEC3 RRset {@code removed} (its record and RRSIGs) taken out of one
     * response.
     */
    private static Evidence without(Evidence chain, int index, RRset removed) {
        List<Evidence.Exchange> exchanges = new ArrayList<>(chain.exchanges());
        Evidence.Exchange e = exchanges.get(index);
        Message copy = e.response().clone();
        copy.removeAllRecords(Section.AUTHORITY);
        for (Record r : e.response().getSection(Section.AUTHORITY)) {
            int type = r instanceof RRSIGRecord sig ? sig.getTypeCovered() : r.getType();
            if (!(type == Type.NSEC3 && r.getName().equals(removed.getName()))) {
                copy.addRecord(r, Section.AUTHORITY);
            }
        }
        exchanges.set(index, new Evidence.Exchange(e.name(), e.type(), copy));
        return new Evidence(exchanges);
    }

    private static List<NSEC3Record> nsec3s(List<RRset> proof, RRset removed) {
        List<NSEC3Record> out = new ArrayList<>();
        for (RRset s : proof) {
            if (s != removed) {
                s.rrs(false).forEach(r -> out.add((NSEC3Record) r));
            }
        }
        return out;
    }

    // ---- RFC 5155 §8.3-8.4, apart from the validator
    // ----------------------------------------------

    /**
     * RFC 5155 §8.3's closest provable encloser walk, then §8.4's wildcard check: from the name up,
     * a name without a matching NSEC3 sets the flag when an NSEC3 covers it; the first name with a
     * matching NSEC3 is the closest encloser if the flag is set (its next closer name is covered),
     * else the proof fails (the name exists). The wildcard at the closest encloser must be covered.
     */
    static boolean provesNameError(List<NSEC3Record> records, Name qname) {
        boolean flag = false;
        for (Name sname = qname; sname.subdomain(APEX); sname = new Name(sname, 1)) {
            Name s = sname;
            if (records.stream().anyMatch(r -> DenialProofTest.matches(r, s))) {
                return flag
                        && records.stream()
                                .anyMatch(
                                        r ->
                                                DenialProofTest.covers(
                                                        r, DenialProofTest.wildcard(s)));
            }
            flag = records.stream().anyMatch(r -> DenialProofTest.covers(r, s));
            if (sname.equals(APEX)) {
                break;
            }
        }
        return false;
    }

    /** The deepest existing ancestor of {@code qname}. */
    private static Name closestEncloser(Set<Name> existing, Name qname) {
        Name n = qname;
        while (!existing.contains(n)) {
            n = new Name(n, 1);
        }
        return n;
    }

    /**
     * What the record does in the proof of {@code qname}: match the encloser, cover the next closer
     * or wildcard.
     */
    private static String roles(NSEC3Record r, Name qname, Name ce) {
        Name nextCloser = new Name(qname, qname.labels() - ce.labels() - 1);
        StringJoiner j = new StringJoiner("+");
        if (DenialProofTest.matches(r, ce)) {
            j.add("closest encloser");
        }
        if (DenialProofTest.covers(r, nextCloser)) {
            j.add("next closer");
        }
        if (DenialProofTest.covers(r, DenialProofTest.wildcard(ce))) {
            j.add("wildcard");
        }
        return j.length() == 0 ? "none" : j.toString();
    }

    private static Name absolute(String relative) {
        return Name.fromConstantString(relative + "." + APEX);
    }
}
