package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import dev.daneel.testkit.ZoneBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Properties of {@link ValidatingResolver} over generated inputs, all against testkit worlds on
 * loopback and a fixed clock:
 *
 * <ol>
 *   <li>one changed octet anywhere in the signed data, its RRSIG, the DNSKEY and DS RRsets or a
 *       denial proof of a recorded Secure chain never re-verifies Secure (and the unchanged chain
 *       does);
 *   <li>a world signed with random algorithms, key layouts, NSEC or NSEC3 parameters and unsigned
 *       children validates every name exactly as its zones say: Secure data, Secure NXDOMAIN and
 *       NODATA, Insecure below the highest unsigned delegation (and for a name error over an NSEC3
 *       opt-out span, RFC 5155 §9.2), never Bogus;
 *   <li>the evidence of every answer, from a resolver whose caches are warm, re-verifies offline to
 *       the same verdict ({@link Answer#evidence()} promises every response the verdict used);
 *   <li>a testkit {@link Breakage} of one RRset makes that RRset non-Secure and leaves every RRset
 *       that does not depend on it Secure, through the same resolver and its caches.
 * </ol>
 */
class ValidatorProperties {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static ValidatingResolver resolver(World world) {
        return ValidatingResolver.builder()
                .upstream(world.address())
                .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                .clock(CLOCK)
                .build();
    }

    // ---- 1. one changed octet in a recorded chain
    // ------------------------------------------------

    /** The part of a recorded chain a mutation hits. */
    enum Target {
        /** A record of the answered RRset. */
        ANSWER_DATA,
        /** The RRSIG of the answered RRset. */
        ANSWER_RRSIG,
        /** A key of a DNSKEY RRset on the chain. */
        DNSKEY_DATA,
        /** The RRSIG of a DNSKEY RRset on the chain. */
        DNSKEY_RRSIG,
        /** A DS record on the chain. */
        DS_DATA,
        /** The RRSIG of a DS RRset on the chain. */
        DS_RRSIG,
        /** An NSEC, NSEC3 or SOA record of a negative answer. */
        DENIAL_DATA,
        /** The RRSIG of an NSEC, NSEC3 or SOA RRset of a negative answer. */
        DENIAL_RRSIG
    }

    /** One record of one response in the chain of one recorded answer. */
    record Site(Target target, int answer, int exchange, int section, int index) {
        @Override
        public String toString() {
            Answer a = Recorded.ANSWERS.get(answer);
            Evidence.Exchange e = a.evidence().exchanges().get(exchange);
            return target
                    + " of "
                    + a.name()
                    + "/"
                    + Type.string(a.type())
                    + ": "
                    + Section.string(section)
                    + "["
                    + index
                    + "] of the "
                    + e.name()
                    + "/"
                    + Type.string(e.type())
                    + " response, "
                    + e.response().getSection(section).get(index);
        }
    }

    /** XOR of one RDATA octet (taken modulo the RDATA length) with a non-zero value. */
    record Mutation(Site site, int offset, int xor) {}

    /** A record as recorded and as changed. */
    record Change(Record before, Record after) {}

    /** A question asked in every zone of the recorded world. */
    record Asked(String label, int type) {}

    /** The recorded world's trust anchor and its Secure answers. */
    record Recording(TrustAnchors anchors, List<Answer> answers) {}

    /**
     * Secure answers from a world with every signing algorithm the validator supports, both denial
     * methods and both key layouts, recorded once. Each answer comes from a cold resolver so that
     * its chain holds every response from the anchor down.
     */
    private static final class Recorded {
        static final String RECORDS =
                "www A 192.0.2.1\nwww A 192.0.2.9\nwww AAAA 2001:db8::1\nmail MX 10 www\n"
                        + "txt TXT \"hello\" \"world\"\na.b A 192.0.2.2\n";
        static final List<String> ZONES =
                List.of(
                        "rsasha256.test.",
                        "rsasha512.test.",
                        "p256.test.",
                        "p384.test.",
                        "ed25519.test.",
                        "ed448.test.");
        static final String OPT_OUT_ZONE = "p384.test.";
        static final List<Asked> QUESTIONS =
                List.of(
                        new Asked("www", Type.A),
                        new Asked("www", Type.AAAA),
                        new Asked("mail", Type.MX),
                        new Asked("txt", Type.TXT),
                        new Asked("nx", Type.A),
                        new Asked("www", Type.TXT),
                        new Asked("b", Type.A),
                        new Asked("nope.www", Type.A));

        static final Recording RECORDING = record();
        static final TrustAnchors ANCHORS = RECORDING.anchors();
        static final List<Answer> ANSWERS = RECORDING.answers();
        static final Map<Target, List<Site>> SITES = sites(ANSWERS);

        /**
         * Each recorded chain re-verified unchanged, once: the control that keeps the properties
         * from passing vacuously.
         */
        static final Map<Integer, Answer> REPLAYED = new ConcurrentHashMap<>();

        private static Recording record() {
            try (World world =
                    World.builder()
                            .clock(CLOCK)
                            .reuseKeysAcrossWorlds()
                            .zone("test.", z -> z.nsec3(1, "ab", false))
                            .zone(
                                    "rsasha256.test.",
                                    z ->
                                            z.algorithm(8)
                                                    .rsaKeyBits(1024)
                                                    .singleKey()
                                                    .record(RECORDS))
                            .zone(
                                    "rsasha512.test.",
                                    z ->
                                            z.algorithm(10)
                                                    .rsaKeyBits(1024)
                                                    .nsec3(3, "beef", false)
                                                    .record(RECORDS))
                            .zone("p256.test.", z -> z.algorithm(13).record(RECORDS))
                            .zone(
                                    OPT_OUT_ZONE,
                                    z ->
                                            z.algorithm(14)
                                                    .singleKey()
                                                    .nsec3(0, "", true)
                                                    .record(RECORDS))
                            .zone(
                                    "ed25519.test.",
                                    z -> z.algorithm(15).dsDigests(2, 4).record(RECORDS))
                            .zone(
                                    "ed448.test.",
                                    z -> z.algorithm(16).nsec3(10, "00ff", false).record(RECORDS))
                            .start()) {
                List<Answer> out = new ArrayList<>();
                for (String zone : ZONES) {
                    for (Asked q : QUESTIONS) {
                        try (ValidatingResolver cold = resolver(world)) {
                            Answer a = cold.resolve(q.label() + "." + zone, q.type());
                            if (a.status() == Status.SECURE) {
                                out.add(a);
                            } else if (!(zone.equals(OPT_OUT_ZONE)
                                    && a.rcode() == Rcode.NXDOMAIN
                                    && a.verdict() instanceof Verdict.Insecure)) {
                                throw new IllegalStateException(
                                        "the recorded world must validate, got " + a);
                            } // else a name error over an opt-out span, Insecure by RFC 5155 §9.2:
                            // nothing to break
                        }
                    }
                }
                return new Recording(TrustAnchors.of(world.trustAnchors()), List.copyOf(out));
            }
        }

        private static Map<Target, List<Site>> sites(List<Answer> answers) {
            Map<Target, List<Site>> out = new EnumMap<>(Target.class);
            for (Target t : Target.values()) {
                out.put(t, new ArrayList<>());
            }
            for (int a = 0; a < answers.size(); a++) {
                Answer answer = answers.get(a);
                List<Evidence.Exchange> exchanges = answer.evidence().exchanges();
                for (int e = 0; e < exchanges.size(); e++) {
                    Evidence.Exchange x = exchanges.get(e);
                    boolean answered = x.name().equals(answer.name()) && x.type() == answer.type();
                    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
                        List<Record> records = x.response().getSection(section);
                        for (int i = 0; i < records.size(); i++) {
                            Target t = classify(answer, x, answered, section, records.get(i));
                            if (t != null) {
                                out.get(t).add(new Site(t, a, e, section, i));
                            }
                        }
                    }
                }
            }
            out.forEach(
                    (t, s) -> {
                        if (s.isEmpty()) {
                            throw new IllegalStateException(
                                    "the recorded chains have nothing to mutate for " + t);
                        }
                    });
            return out;
        }

        private static Target classify(
                Answer answer, Evidence.Exchange x, boolean answered, int section, Record r) {
            boolean sig = r instanceof RRSIGRecord;
            int type = sig ? ((RRSIGRecord) r).getTypeCovered() : r.getType();
            if (section == Section.ANSWER && x.type() == Type.DNSKEY && type == Type.DNSKEY) {
                return sig ? Target.DNSKEY_RRSIG : Target.DNSKEY_DATA;
            }
            if (section == Section.ANSWER && x.type() == Type.DS && type == Type.DS) {
                return sig ? Target.DS_RRSIG : Target.DS_DATA;
            }
            if (!answered) {
                return null;
            }
            if (section == Section.ANSWER && !answer.nonexistent() && type == answer.type()) {
                return sig ? Target.ANSWER_RRSIG : Target.ANSWER_DATA;
            }
            if (section == Section.AUTHORITY
                    && answer.nonexistent()
                    && (type == Type.NSEC || type == Type.NSEC3 || type == Type.SOA)) {
                return sig ? Target.DENIAL_RRSIG : Target.DENIAL_DATA;
            }
            return null;
        }
    }

    private static Arbitrary<Mutation> mutations(Target... targets) {
        Arbitrary<Site> sites =
                Arbitraries.of(targets).flatMap(t -> Arbitraries.of(Recorded.SITES.get(t)));
        return Combinators.combine(
                        sites,
                        Arbitraries.integers().between(0, 4095),
                        Arbitraries.integers().between(1, 255))
                .as(Mutation::new);
    }

    @Provide
    Arbitrary<Mutation> answerData() {
        return mutations(Target.ANSWER_DATA);
    }

    @Provide
    Arbitrary<Mutation> signatures() {
        return mutations(
                Target.ANSWER_RRSIG, Target.DNSKEY_RRSIG, Target.DS_RRSIG, Target.DENIAL_RRSIG);
    }

    @Provide
    Arbitrary<Mutation> keys() {
        return mutations(Target.DNSKEY_DATA);
    }

    @Provide
    Arbitrary<Mutation> delegationsAndDenials() {
        return mutations(Target.DS_DATA, Target.DENIAL_DATA);
    }

    @Property(tries = 200)
    void changedOctetInSignedDataNeverVerifiesSecure(@ForAll("answerData") Mutation m) {
        assertMutationNeverSecure(m);
    }

    @Property(tries = 400)
    void changedOctetInAnRrsigNeverVerifiesSecure(@ForAll("signatures") Mutation m) {
        assertMutationNeverSecure(m);
    }

    @Property(tries = 200)
    void changedOctetInADnskeyNeverVerifiesSecure(@ForAll("keys") Mutation m) {
        assertMutationNeverSecure(m);
    }

    @Property(tries = 200)
    void changedOctetInADsOrADenialProofNeverVerifiesSecure(
            @ForAll("delegationsAndDenials") Mutation m) {
        assertMutationNeverSecure(m);
    }

    private static void assertMutationNeverSecure(Mutation m) {
        Answer recorded = Recorded.ANSWERS.get(m.site().answer());
        Answer replayed =
                Recorded.REPLAYED.computeIfAbsent(
                        m.site().answer(), i -> verifyOffline(recorded.evidence(), recorded));
        assertEquals(
                Status.SECURE,
                replayed.status(),
                () ->
                        "the unchanged chain must re-verify Secure, or this property proves nothing: "
                                + replayed);
        Optional<Change> change = mutate(recorded.evidence(), m.site(), m.offset(), m.xor());
        Assume.that(
                change.isPresent()); // the changed octet made the RDATA malformed or only changed
        // a name's case
        Evidence mutated = replace(recorded.evidence(), m.site(), change.get().after());
        Answer a = verifyOffline(mutated, recorded);
        Statistics.label("target").collect(m.site().target());
        Statistics.label("verdict")
                .collect(
                        a.verdict() instanceof Verdict.Bogus b
                                ? b.reason().name()
                                : a.status().name());
        assertNotEquals(
                Status.SECURE,
                a.status(),
                () ->
                        "changing "
                                + change.get().before()
                                + "\n  into "
                                + change.get().after()
                                + "\n  ("
                                + m.site()
                                + ") still verified: "
                                + a);
    }

    private static Answer verifyOffline(Evidence chain, Answer recorded) {
        return ValidatingResolver.verifyOffline(
                chain, recorded.name(), recorded.type(), Recorded.ANCHORS, NOW);
    }

    /**
     * The site's record and the record with one RDATA octet changed, or empty when the change does
     * not parse or is canonically the same record (a case change in a name that RFC 4034 §6.2
     * lowercases before signing, such as an RRSIG's signer or an MX target, legitimately still
     * verifies).
     */
    private static Optional<Change> mutate(Evidence chain, Site site, int offset, int xor) {
        Record original =
                chain.exchanges()
                        .get(site.exchange())
                        .response()
                        .getSection(site.section())
                        .get(site.index());
        byte[] wire =
                original.toWire(
                        Section.ANSWER); // uncompressed: owner, type, class, TTL, RDLENGTH, RDATA
        byte[] rdata = Arrays.copyOfRange(wire, original.getName().length() + 10, wire.length);
        rdata[offset % rdata.length] ^= (byte) xor;
        Record changed;
        try {
            changed =
                    Record.newRecord(
                            original.getName(),
                            original.getType(),
                            original.getDClass(),
                            original.getTTL(),
                            rdata);
        } catch (RuntimeException e) {
            changed = null;
        }
        if (changed == null
                || Arrays.equals(changed.rdataToWireCanonical(), original.rdataToWireCanonical())) {
            return Optional.empty();
        }
        return Optional.of(new Change(original, changed));
    }

    /**
     * The chain with the site's record replaced, every other record and response left as recorded.
     */
    private static Evidence replace(Evidence chain, Site site, Record changed) {
        List<Evidence.Exchange> exchanges = new ArrayList<>(chain.exchanges());
        Evidence.Exchange e = exchanges.get(site.exchange());
        Message copy = e.response().clone();
        List<Record> records = e.response().getSection(site.section());
        copy.removeAllRecords(site.section());
        for (int i = 0; i < records.size(); i++) {
            copy.addRecord(i == site.index() ? changed : records.get(i), site.section());
        }
        exchanges.set(site.exchange(), new Evidence.Exchange(e.name(), e.type(), copy));
        return new Evidence(exchanges);
    }

    // ---- 2. random worlds validate as described ------------------------------------------------

    /**
     * Records every generated zone may hold; {@code b}, {@code z} and {@code y.z} become empty
     * non-terminals.
     */
    static final List<String> CATALOGUE =
            List.of(
                    "www A 192.0.2.1",
                    "www AAAA 2001:db8::1",
                    "mail MX 10 www",
                    "mail A 192.0.2.3",
                    "txt TXT \"hello\"",
                    "a.b A 192.0.2.2",
                    "x.y.z TXT \"deep\"");

    /** NSEC (then the other fields are unused) or NSEC3 with these parameters. */
    record DenialPlan(boolean nsec3, int iterations, String salt, boolean optOut) {
        @Override
        public String toString() {
            return nsec3
                    ? "NSEC3("
                            + iterations
                            + ", \""
                            + salt
                            + "\", "
                            + (optOut ? "opt-out" : "no opt-out")
                            + ")"
                    : "NSEC";
        }
    }

    /** How one zone is signed (when it is) and what it holds. */
    record ZonePlan(
            boolean signed,
            int algorithm,
            boolean singleKey,
            DenialPlan denial,
            Set<String> records) {
        @Override
        public String toString() {
            return (signed
                            ? "alg " + algorithm + (singleKey ? " CSK " : " KSK+ZSK ") + denial
                            : "unsigned")
                    + " "
                    + records;
        }
    }

    /** A child of {@code test.}, and maybe a grandchild {@code g.} below it. */
    record ChildPlan(ZonePlan zone, boolean withGrandchild, ZonePlan grandchild) {
        @Override
        public String toString() {
            return zone + (withGrandchild ? " with g: " + grandchild : "");
        }
    }

    /** The root, {@code test.} and its children {@code c0.test.}, {@code c1.test.}, … */
    record WorldPlan(ZonePlan root, ZonePlan tld, List<ChildPlan> children) {
        /** Every zone by apex, parents first. */
        Map<Name, ZonePlan> zones() {
            Map<Name, ZonePlan> out = new LinkedHashMap<>();
            out.put(Name.root, root);
            out.put(name("test."), tld);
            for (int i = 0; i < children.size(); i++) {
                out.put(name("c" + i + ".test."), children.get(i).zone());
                if (children.get(i).withGrandchild()) {
                    out.put(name("g.c" + i + ".test."), children.get(i).grandchild());
                }
            }
            return out;
        }

        /**
         * The highest unsigned zone at or above {@code apex}, or null when the whole chain is
         * signed.
         */
        Name unsignedAbove(Name apex) {
            Map<Name, ZonePlan> zones = zones();
            for (int labels = 1; labels <= apex.labels(); labels++) {
                Name n = new Name(apex, apex.labels() - labels);
                ZonePlan p = zones.get(n);
                if (p != null && !p.signed()) {
                    return n;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return zones().entrySet().stream()
                    .map(e -> "\n  " + e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining());
        }
    }

    private static Arbitrary<DenialPlan> denials() {
        return Combinators.combine(
                        Arbitraries.of(false, true),
                        Arbitraries.integers().between(0, 20),
                        Arbitraries.bytes()
                                .array(byte[].class)
                                .ofMaxSize(8)
                                .map(HexFormat.of()::formatHex),
                        Arbitraries.of(false, true))
                .as(DenialPlan::new);
    }

    private static Arbitrary<ZonePlan> zones(boolean mayBeUnsigned) {
        return Combinators.combine(
                        mayBeUnsigned ? Arbitraries.of(true, false) : Arbitraries.just(true),
                        Arbitraries.of(8, 10, 13, 14, 15, 16),
                        Arbitraries.of(false, true),
                        denials(),
                        Arbitraries.subsetOf(CATALOGUE).ofMinSize(1))
                .as(ZonePlan::new);
    }

    @Provide
    Arbitrary<WorldPlan> worlds() {
        Arbitrary<ChildPlan> child =
                Combinators.combine(zones(true), Arbitraries.of(false, true), zones(true))
                        .as(ChildPlan::new);
        return Combinators.combine(
                        zones(false), zones(false), child.list().ofMinSize(1).ofMaxSize(3))
                .as(WorldPlan::new);
    }

    private static void describe(ZoneBuilder z, ZonePlan p) {
        if (p.signed()) {
            z.algorithm(p.algorithm()).rsaKeyBits(1024);
            if (p.singleKey()) {
                z.singleKey();
            }
            if (p.denial().nsec3()) {
                z.nsec3(p.denial().iterations(), p.denial().salt(), p.denial().optOut());
            }
        } else {
            z.unsigned();
        }
        for (String line : p.records()) {
            z.record(line);
        }
    }

    /**
     * What a question should get: data, a proven empty name or type, or a proven nonexistent name.
     */
    enum Outcome {
        DATA,
        NODATA,
        NXDOMAIN
    }

    /**
     * A question and its expected answer.
     *
     * @param insecureAt the delegation an Insecure answer must name, or null when the answer must
     *     be Secure
     */
    record Question(Name name, int type, Outcome outcome, Set<String> records, Name insecureAt) {
        @Override
        public String toString() {
            return name
                    + "/"
                    + Type.string(type)
                    + " expecting "
                    + (insecureAt == null ? "Secure " : "Insecure at " + insecureAt + " ")
                    + outcome
                    + (records.isEmpty() ? "" : " " + records);
        }

        void assertAnswered(Answer a, String why) {
            if (insecureAt == null) {
                assertEquals(Status.SECURE, a.status(), why);
            } else {
                Verdict.Insecure insecure =
                        assertInstanceOf(Verdict.Insecure.class, a.verdict(), why);
                assertEquals(insecureAt, insecure.delegation().orElse(null), why);
            }
            assertEquals(
                    outcome == Outcome.NXDOMAIN ? Rcode.NXDOMAIN : Rcode.NOERROR, a.rcode(), why);
            assertEquals(records, rdata(a.records()), why);
            assertTrue(a.chain().isEmpty(), why);
        }
    }

    private static World start(WorldPlan plan) {
        World.Builder builder = World.builder().clock(CLOCK).reuseKeysAcrossWorlds();
        plan.zones().forEach((apex, zone) -> builder.zone(apex.toString(), z -> describe(z, zone)));
        return builder.start();
    }

    @Property(tries = 20)
    void randomWorldsValidateEveryNameAsTheirZonesSay(@ForAll("worlds") WorldPlan plan) {
        try (World world = start(plan);
                ValidatingResolver resolver = resolver(world)) {
            plan.zones()
                    .forEach(
                            (apex, zone) -> {
                                for (Question q : questions(apex, zone, plan.unsignedAbove(apex))) {
                                    Answer a = resolver.resolve(q.name().toString(), q.type());
                                    Statistics.label("verdict")
                                            .collect(a.status().name() + " " + q.outcome());
                                    q.assertAnswered(
                                            a, q + " in a world of" + plan + "\n  got " + a);
                                }
                            });
        }
    }

    /**
     * One resolver for the whole world: later lookups take keys from its cache, and their evidence
     * must still hold them.
     */
    @Property(tries = 6)
    void everyAnswersEvidenceReverifiesOfflineToTheSameVerdict(@ForAll("worlds") WorldPlan plan) {
        try (World world = start(plan);
                ValidatingResolver resolver = resolver(world)) {
            TrustAnchors anchors = TrustAnchors.of(world.trustAnchors());
            plan.zones()
                    .forEach(
                            (apex, zone) -> {
                                for (Question q : questions(apex, zone, plan.unsignedAbove(apex))) {
                                    Answer a = resolver.resolve(q.name().toString(), q.type());
                                    Answer again =
                                            ValidatingResolver.verifyOffline(
                                                    a.evidence(), a.name(), a.type(), anchors, NOW);
                                    Statistics.label("offline")
                                            .collect(a.status() + " -> " + again.status());
                                    assertEquals(
                                            a.verdict().getClass(),
                                            again.verdict().getClass(),
                                            () ->
                                                    q
                                                            + " in a world of"
                                                            + plan
                                                            + "\n  online:  "
                                                            + a
                                                            + "\n  offline: "
                                                            + again
                                                            + "\n  evidence: "
                                                            + a.evidence().exchanges().stream()
                                                                    .map(
                                                                            e ->
                                                                                    e.name()
                                                                                            + "/"
                                                                                            + Type
                                                                                                    .string(
                                                                                                            e
                                                                                                                    .type()))
                                                                    .toList());
                                }
                            });
        }
    }

    /**
     * Every RRset of the zone, a missing type at each owner, each empty non-terminal, two missing
     * names and the SOA. Answers are Insecure below {@code unsignedAbove}, the highest unsigned
     * zone on the chain; in a signed NSEC3 opt-out zone a name error is Insecure at the zone, since
     * the opt-out span covering the next closer name could hide an unsigned delegation (RFC 5155
     * §9.2).
     */
    private static List<Question> questions(Name apex, ZonePlan zone, Name unsignedAbove) {
        boolean optOut = zone.signed() && zone.denial().nsec3() && zone.denial().optOut();
        Name nameErrorsInsecureAt = unsignedAbove != null ? unsignedAbove : optOut ? apex : null;
        Map<Name, Map<Integer, Set<String>>> data = new LinkedHashMap<>();
        for (String line : zone.records()) {
            Record r = parse(line, apex);
            data.computeIfAbsent(r.getName(), n -> new LinkedHashMap<>())
                    .computeIfAbsent(r.getType(), t -> new TreeSet<>())
                    .add(show(r));
        }
        List<Question> out = new ArrayList<>();
        Set<Name> emptyNonTerminals = new LinkedHashSet<>();
        data.forEach(
                (owner, sets) -> {
                    sets.forEach(
                            (type, records) ->
                                    out.add(
                                            new Question(
                                                    owner,
                                                    type,
                                                    Outcome.DATA,
                                                    records,
                                                    unsignedAbove)));
                    out.add(new Question(owner, Type.SRV, Outcome.NODATA, Set.of(), unsignedAbove));
                    for (Name n = new Name(owner, 1);
                            n.labels() > apex.labels();
                            n = new Name(n, 1)) {
                        if (!data.containsKey(n)) {
                            emptyNonTerminals.add(n);
                        }
                    }
                });
        for (Name ent : emptyNonTerminals) {
            out.add(new Question(ent, Type.A, Outcome.NODATA, Set.of(), unsignedAbove));
        }
        out.add(
                new Question(
                        name("nx", apex),
                        Type.A,
                        Outcome.NXDOMAIN,
                        Set.of(),
                        nameErrorsInsecureAt));
        out.add(
                new Question(
                        name("nope", data.keySet().iterator().next()),
                        Type.TXT,
                        Outcome.NXDOMAIN,
                        Set.of(),
                        nameErrorsInsecureAt));
        out.add(new Question(apex, Type.SOA, Outcome.DATA, Set.of("SOA"), unsignedAbove));
        return out;
    }

    /**
     * The records as comparable text; any SOA is shown only as its type, its serial being the
     * testkit's.
     */
    private static Set<String> rdata(List<Record> records) {
        Set<String> out = new TreeSet<>();
        for (Record r : records) {
            out.add(r.getType() == Type.SOA ? "SOA" : show(r));
        }
        return out;
    }

    private static String show(Record r) {
        return Type.string(r.getType()) + " " + r.rdataToString();
    }

    private static Record parse(String line, Name origin) {
        String[] f = line.split(" ", 3);
        try {
            return Record.fromString(
                    name(f[0], origin), Type.value(f[1]), DClass.IN, 3600, f[2], origin);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(line, e);
        }
    }

    private static Name name(String s) {
        return name(s, Name.root);
    }

    private static Name name(String s, Name origin) {
        try {
            return Name.fromString(s, origin);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    // ---- 3. one broken RRset breaks only itself
    // --------------------------------------------------

    /** The RRset of {@code v.test.} (or, for its DS, of {@code test.}) that is broken. */
    enum Victim {
        WWW_A("www", Type.A),
        MAIL_MX("mail", Type.MX),
        TXT_TXT("txt", Type.TXT),
        APEX_NS("@", Type.NS),
        APEX_SOA("@", Type.SOA),
        APEX_DNSKEY("@", Type.DNSKEY),
        DS_IN_PARENT("v.test.", Type.DS);

        final String owner;
        final int type;

        Victim(String owner, int type) {
            this.owner = owner;
            this.type = type;
        }

        /** Whether every answer from {@code v.test.} depends on this RRset. */
        boolean breaksTheZone() {
            return this == APEX_DNSKEY || this == DS_IN_PARENT;
        }
    }

    record BreakPlan(Breakage breakage, Victim victim, ZonePlan zone) {}

    @Provide
    Arbitrary<BreakPlan> breakages() {
        Arbitrary<ZonePlan> signed =
                Combinators.combine(
                                Arbitraries.of(8, 13, 15), Arbitraries.of(false, true), denials())
                        .as(
                                (alg, csk, denial) ->
                                        new ZonePlan(
                                                true,
                                                alg,
                                                csk,
                                                denial,
                                                Set.of(
                                                        "www A 192.0.2.1",
                                                        "mail MX 10 www",
                                                        "txt TXT \"hello\"")));
        return Combinators.combine(
                        Arbitraries.of(Breakage.class), Arbitraries.of(Victim.class), signed)
                .as(BreakPlan::new);
    }

    @Property(tries = 25)
    void aBrokenRRsetIsNeverSecureAndBreaksNothingThatDoesNotDependOnIt(
            @ForAll("breakages") BreakPlan plan) {
        ZonePlan sibling =
                new ZonePlan(
                        true,
                        13,
                        false,
                        new DenialPlan(false, 0, "", false),
                        Set.of("www A 192.0.2.1", "mail MX 10 www", "txt TXT \"hello\""));
        World.Builder builder =
                World.builder()
                        .clock(CLOCK)
                        .reuseKeysAcrossWorlds()
                        .zone(
                                "test.",
                                z -> {
                                    if (plan.victim() == Victim.DS_IN_PARENT) {
                                        z.breakRRset(
                                                plan.victim().owner,
                                                plan.victim().type,
                                                plan.breakage());
                                    }
                                })
                        .zone(
                                "v.test.",
                                z -> {
                                    describe(z, plan.zone());
                                    if (plan.victim() != Victim.DS_IN_PARENT) {
                                        z.breakRRset(
                                                plan.victim().owner,
                                                plan.victim().type,
                                                plan.breakage());
                                    }
                                })
                        .zone("s.test.", z -> describe(z, sibling));
        try (World world = builder.start();
                ValidatingResolver resolver = resolver(world)) {
            Name victimName =
                    plan.victim().owner.equals("@")
                            ? name("v.test.")
                            : name(plan.victim().owner, name("v.test."));
            Answer broken = resolver.resolve(victimName.toString(), plan.victim().type);
            Statistics.label("broken RRset")
                    .collect(
                            broken.verdict() instanceof Verdict.Bogus b
                                    ? b.reason().name()
                                    : broken.status().name());
            assertNotEquals(Status.SECURE, broken.status(), () -> plan + ": " + broken);

            List<Question> unaffected = new ArrayList<>(questions(name("s.test."), sibling, null));
            if (!plan.victim().breaksTheZone()) {
                for (Question q : questions(name("v.test."), plan.zone(), null)) {
                    boolean isVictim =
                            q.name().equals(victimName) && q.type() == plan.victim().type;
                    boolean usesSoa = q.outcome() != Outcome.DATA || q.type() == Type.SOA;
                    if (!isVictim && !(plan.victim() == Victim.APEX_SOA && usesSoa)) {
                        unaffected.add(q);
                    }
                }
            }
            for (Question q : unaffected) {
                Answer a = resolver.resolve(q.name().toString(), q.type());
                q.assertAnswered(a, q + " after " + plan + "\n  got " + a);
            }
        }
    }
}
