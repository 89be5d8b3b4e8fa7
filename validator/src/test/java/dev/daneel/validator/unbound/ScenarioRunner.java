package dev.daneel.validator.unbound;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Limits;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.internal.Engine;
import dev.daneel.validator.internal.EngineConfig;
import dev.daneel.validator.internal.Fetcher;
import dev.daneel.validator.internal.TestEngines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Runs one Unbound scenario through Daneel's engine and judges it as testbound would, on the parts
 * a stub validator answers for. Each {@code QUERY} is answered as Unbound answers it (see {@link
 * #respond}): its RD, CD, AD and DO bits count. Each {@code CHECK_ANSWER} takes the first pending
 * answer its {@code MATCH} keywords accept, as testbound's {@code answer_check_it} does: {@code
 * all} compares the header bits (QR, RA, RD and CD copied, AD, TC), the rcode, the question, EDNS
 * and the answer section's RRsets (without RRSIGs unless they were asked for, in any order, TTLs
 * only with {@code ttl}); {@code rcode}, {@code answer}, {@code DO}, {@code noedns}, {@code ede=}
 * and the question keywords compare their part. The authority and additional sections are not
 * compared: Daneel returns typed answers, not messages. An answer no {@code CHECK_ANSWER} takes
 * fails the scenario, as in testbound.
 *
 * <p>Daneel's verdicts become Unbound's responses thus: Bogus is SERVFAIL with an empty answer (and
 * the Bogus reason's RFC 8914 code when {@code ede: yes}), and so is Indeterminate for a chain that
 * could not be fetched; Secure sets AD when the query had DO or AD; Insecure and Indeterminate for
 * a name no anchor covers pass the rcode and records on without AD. A scenario without any trust
 * anchor gets an engine without anchors, so no answer may carry AD.
 *
 * <p>The engine's clock is {@code val-override-date} plus the scenario's {@code TIME_PASSES}
 * ({@code ELAPSE} seconds, or {@code EVAL} macros over {@code ASSIGN}ed variables), so that cached
 * answers age as in Unbound; signature windows are judged at that time with Daneel's default skew.
 * The one Unbound option that changes a verdict and has a Daneel counterpart, the NSEC3 iteration
 * count treated as insecure, is taken from the scenario (see {@link #limits}); every other limit is
 * Daneel's default. The engine is built in one place, {@link #engine}.
 */
final class ScenarioRunner {

    /**
     * Where the third-party scenarios live, relative to the project root (never copied into it).
     */
    static final String DEFAULT_DIRECTORY = "../shared/testdata/unbound/val";

    /** The system property that overrides {@link #DEFAULT_DIRECTORY}. */
    static final String DIRECTORY_PROPERTY = "daneel.unbound.val";

    /** Unbound's default {@code val-nsec3-keysize-iterations}: 150 for every key size. */
    static final int UNBOUND_NSEC3_ITERATIONS = 150;

    /** Scenarios a stub validator cannot pass, by file name, with the reason. */
    static final String SKIPS_RESOURCE = "/unbound-skips.txt";

    /**
     * PASS; FAIL (Daneel's answer differs); CANNOT_RUN (the harness could not read or run the
     * scenario: a harness bug); KNOWN (fails as {@code unbound-known-failures.txt} says, a
     * validator difference on record); SKIP (needs a resolver option Daneel deliberately lacks,
     * {@code unbound-skips.txt}).
     */
    enum Verdict {
        PASS,
        FAIL,
        CANNOT_RUN,
        KNOWN,
        SKIP
    }

    /**
     * The result of one scenario: {@code detail} says why it failed or was skipped, or what passed.
     */
    record Outcome(String name, Verdict verdict, String detail) {
        String line() {
            return switch (verdict) {
                case PASS -> "PASS " + name;
                case FAIL -> "FAIL " + name + ": " + detail;
                case CANNOT_RUN -> "CANNOT_RUN " + name + ": " + detail;
                case KNOWN -> "KNOWN " + name + ": " + detail;
                case SKIP -> "SKIP " + name + ": " + detail;
            };
        }
    }

    /**
     * Scenarios whose failure is a known validator difference, by file name, with the difference.
     */
    static final String KNOWN_FAILURES_RESOURCE = "/unbound-known-failures.txt";

    private ScenarioRunner() {}

    /**
     * The scenario directory: the system property, else {@link #DEFAULT_DIRECTORY} from the project
     * root.
     */
    static Path directory() {
        String property = System.getProperty(DIRECTORY_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        return projectRoot().resolve(DEFAULT_DIRECTORY).normalize();
    }

    /**
     * The reactor root: the nearest directory at or above the working directory whose pom lists the
     * validator module.
     */
    static Path projectRoot() {
        Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom)
                        && Files.readString(pom).contains("<module>validator</module>")) {
                    return p;
                }
            } catch (IOException e) {
                // unreadable pom: keep looking upwards
            }
        }
        return cwd;
    }

    /** The {@code .rpl} and {@code .crpl} files of {@code dir}, by name. */
    static List<Path> scenarios(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.c?rpl"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * The skip list: file name → reason. Lines are {@code name reason…}; {@code #} starts a
     * comment.
     */
    static Map<String, String> skips() throws IOException {
        return list(SKIPS_RESOURCE);
    }

    /**
     * The known validator differences: file name → what Daneel does instead. Same format as the
     * skip list.
     */
    static Map<String, String> knownFailures() throws IOException {
        return list(KNOWN_FAILURES_RESOURCE);
    }

    private static Map<String, String> list(String resource) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = ScenarioRunner.class.getResourceAsStream(resource)) {
            if (in == null) {
                return out;
            }
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] w = line.split("\\s+", 2);
                out.put(w[0], w.length > 1 ? w[1] : "(no reason given)");
            }
        }
        return out;
    }

    /** Runs (or skips) one scenario file; never throws. */
    static Outcome run(Path file, Map<String, String> skips, Map<String, String> known) {
        String name = file.getFileName().toString();
        if (skips.containsKey(name)) {
            return new Outcome(name, Verdict.SKIP, skips.get(name));
        }
        Outcome o;
        try {
            o = run(RplScenario.parse(file));
        } catch (IOException | RuntimeException e) {
            o = new Outcome(name, Verdict.FAIL, "harness error: " + e);
        }
        if (o.verdict() == Verdict.FAIL && o.detail().startsWith("harness error")) {
            return new Outcome(name, Verdict.CANNOT_RUN, o.detail());
        }
        if (known.containsKey(name)) {
            return o.verdict() == Verdict.PASS
                    ? new Outcome(
                            name,
                            Verdict.FAIL,
                            "passes but is listed in unbound-known-failures.txt ("
                                    + known.get(name)
                                    + "): remove it from the list")
                    : new Outcome(name, Verdict.KNOWN, known.get(name) + " [" + o.detail() + "]");
        }
        return o;
    }

    /**
     * Unbound's response to one client query, as far as the harness can know it: the question, the
     * header bits Unbound would set, the EDNS DO bit it echoes, the rcode, the answer section, the
     * EDE code (null when Daneel's verdict does not name one) and the verdict, for messages.
     */
    private record Actual(
            RplScenario.Query query,
            Set<String> flags,
            int rcode,
            List<Record> answer,
            Integer ede,
            String why) {
        boolean ad() {
            return flags.contains("AD");
        }
    }

    static Outcome run(RplScenario scenario) {
        ScenarioClock clock = new ScenarioClock(startTime(scenario));
        ScenarioIterator iterator = new ScenarioIterator(scenario, clock::elapsed);
        RplAnchors anchors;
        try {
            anchors = RplAnchors.of(scenario);
        } catch (IOException | RuntimeException e) {
            return new Outcome(
                    scenario.name(),
                    Verdict.FAIL,
                    "harness error: trust anchors: " + e.getMessage());
        }
        List<String> log = new ArrayList<>();
        Engine engine = engine(scenario, iterator, anchors, clock, log);
        RplMacros macros = new RplMacros(() -> clock.instant().getEpochSecond(), () -> 0);
        List<Actual> pending = new ArrayList<>();
        scenario.notes().forEach(n -> log.add("parser: " + n));
        anchors.notes().forEach(n -> log.add("anchors: " + n));
        boolean ede = "yes".equals(scenario.option("ede"));
        List<RplScenario.Step> steps = scenario.steps();
        for (int i = 0; i < steps.size(); i++) {
            RplScenario.Step step = steps.get(i);
            String failure = null;
            switch (step.kind()) {
                case "QUERY" -> {
                    // testbound answers a query while the next step is current: its ranges are in
                    // force.
                    iterator.step(i + 1 < steps.size() ? steps.get(i + 1).number() : step.number());
                    if (step.entry() == null || step.entry().question() == null) {
                        failure = "harness error: STEP " + step.number() + " QUERY has no question";
                    } else {
                        pending.add(respond(engine, iterator, query(step.entry()), ede));
                    }
                }
                case "CHECK_ANSWER" -> failure = check(step, pending, log);
                case "CHECK_OUT_QUERY" -> failure = checkOutQuery(step, iterator, log);
                case "TIME_PASSES" -> {
                    double seconds =
                            step.args().isEmpty()
                                    ? step.elapse()
                                    : leadingNumber(macros.expand(step.args()));
                    clock.advance(seconds);
                }
                case "ASSIGN" -> macros.assign(step.variable(), macros.expand(step.args()));
                case "FLUSH_MESSAGE", "EXPIRE_MESSAGE" -> {
                    // Unbound drops the message from its message cache; the simulated recursive's
                    // cache is that one.
                    List<String> w = List.of(step.args().split("\\s+"));
                    try {
                        iterator.forgetMessage(
                                RplRecords.name(w.get(0)),
                                w.size() > 1 ? Type.value(w.get(1)) : Type.A);
                    } catch (IOException e) {
                        failure =
                                "harness error: "
                                        + step.kind()
                                        + " "
                                        + step.args()
                                        + ": "
                                        + e.getMessage();
                    }
                    log.add(
                            "step "
                                    + step.number()
                                    + ": "
                                    + step.kind()
                                    + " "
                                    + step.args()
                                    + " (the recursive's message cache; Daneel's own answer cache keeps its entry)");
                }
                case "CHECK_AUTOTRUST", "CHECK_TEMPFILE" ->
                        log.add(
                                "step "
                                        + step.number()
                                        + ": "
                                        + step.kind()
                                        + " is checked by the autotrust harness, not here");
                case "INFRA_RTT" -> {
                    List<String> w = List.of(step.args().split("\\s+"));
                    if (w.size() >= 3) {
                        iterator.infraRtt(w.get(0), Integer.parseInt(w.get(2)));
                    }
                }
                case "REPLY", "TRAFFIC", "NOTHING", "TIMEOUT", "ERROR" -> {
                    // REPLY steps answer the recursive's queries (ScenarioIterator); traffic has
                    // already flowed:
                    // every lookup here completes before the next step; a query nobody answers
                    // times out.
                }
                default ->
                        failure =
                                "harness error: step "
                                        + step.number()
                                        + " "
                                        + step.kind()
                                        + " is not supported";
            }
            if (failure != null) {
                String trace =
                        iterator.trace().isEmpty()
                                ? ""
                                : "; iterator: " + String.join("; ", iterator.trace());
                String notes =
                        scenario.notes().isEmpty()
                                ? ""
                                : "; parser: " + String.join("; ", scenario.notes());
                String prefix =
                        failure.startsWith("harness error") ? "" : "step " + step.number() + ": ";
                return new Outcome(scenario.name(), Verdict.FAIL, prefix + failure + trace + notes);
            }
        }
        if (!pending.isEmpty()) {
            // testbound: "there are unmatched answers"
            return new Outcome(
                    scenario.name(),
                    Verdict.FAIL,
                    "no CHECK_ANSWER matched the answer to "
                            + pending.get(0).query().name()
                            + " "
                            + Type.string(pending.get(0).query().type()));
        }
        if (!iterator.trace().isEmpty()) {
            log.add("iterator: " + String.join("; ", iterator.trace()));
        }
        return new Outcome(scenario.name(), Verdict.PASS, String.join("; ", log));
    }

    /**
     * The one place the harness builds Daneel's engine. Unbound's fake-sha1 makes RSASHA1/DSA
     * signatures always verify; the scenarios that set it rely on it (their DSA signatures are
     * DER-encoded, which no real implementation accepts), so the harness mirrors the option.
     * Unbound's aggressive-nsec (RFC 8198) is on unless a scenario turns it off; Daneel's is
     * opt-in. No anchor configured: the engine has none, and every answer must come without AD.
     * {@code domain-insecure:} names become negative trust anchors.
     */
    private static Engine engine(
            RplScenario scenario,
            Fetcher source,
            RplAnchors anchors,
            Clock clock,
            List<String> log) {
        TrustAnchors trust =
                anchors.records().isEmpty() ? null : TrustAnchors.of(anchors.records());
        EngineConfig config =
                EngineConfig.of(source, trust, clock)
                        .withLimits(limits(scenario))
                        .withCacheSize(ValidatingResolver.Builder.DEFAULT_CACHE_SIZE)
                        .withAggressiveNsec(!"no".equals(scenario.option("aggressive-nsec")))
                        .withHardenAlgorithmDowngrade(
                                "yes".equals(scenario.option("harden-algo-downgrade")))
                        // Unbound's domain-insecure: is a negative trust anchor without an expiry
                        // (RFC 7646).
                        .withNegativeAnchors(
                                anchors.insecure().stream()
                                        .map(
                                                n ->
                                                        new dev.daneel.validator
                                                                .NegativeTrustAnchor(
                                                                n, java.time.Instant.MAX))
                                        .toList());
        Engine engine =
                "yes".equals(scenario.option("fake-sha1"))
                        ? TestEngines.withUnboundFakeSha1(config)
                        : new Engine(config);
        return engine;
    }

    /**
     * The client query of a QUERY entry: its question and REPLY bits (RD, CD, AD, DO), TCP if it
     * MATCHes TCP.
     */
    static RplScenario.Query query(RplScenario.Entry e) {
        RplScenario.Question q = e.question();
        Set<String> flags = new LinkedHashSet<>();
        for (String f : List.of("RD", "CD", "AD")) {
            if (e.flag(f)) {
                flags.add(f);
            }
        }
        return new RplScenario.Query(
                q.name(),
                q.type(),
                q.dclass(),
                flags,
                e.first().edns(),
                e.flag("DO"),
                e.match().contains("TCP"));
    }

    /**
     * Unbound's response ({@code daemon/worker.c}, {@code services/mesh.c}, {@code
     * util/data/msgencode.c}): the query is validated whatever its CD bit; a Secure answer has AD
     * only when the query had DO or AD; a failed validation is SERVFAIL, except with CD, where the
     * unvalidated response is passed on. A query without RD that the cache cannot answer gets the
     * closest cached delegation (a referral), with AD when its NS RRset validates and SERVFAIL when
     * it is bogus ({@code answer_norec_from_cache}); into a forward zone it is SERVFAIL (the
     * iterator refuses to forward it); without any cached delegation it is resolved as usual. The
     * reply copies RD and CD from the query, sets QR and RA, and echoes the DO bit.
     */
    private static Actual respond(
            Engine engine, ScenarioIterator iterator, RplScenario.Query q, boolean ede) {
        Set<String> flags = new LinkedHashSet<>(List.of("QR", "RA"));
        flags.addAll(q.flags());
        flags.remove("AD");
        boolean adWanted = q.dnssecOk() || q.flag("AD");
        if (!q.flag("RD") && !iterator.hasCached(q.name(), q.type())) {
            ServerReply.RRs ns = iterator.cachedDelegation(q.name(), q.type());
            if (ns != null) {
                return referral(engine, iterator, q, ns, flags, adWanted, ede);
            }
            if (iterator.forwarded(q.name())) {
                // iterator.c: "cannot forward RD=0 query, to stop query loops"
                return new Actual(
                        q,
                        flags,
                        Rcode.SERVFAIL,
                        List.of(),
                        null,
                        "an RD=0 query into a forward zone");
            }
        }
        Answer a = engine.lookup(q.name(), q.type());
        dev.daneel.validator.Verdict s = a.verdict();
        if (failed(s)) {
            if (q.flag("CD")) {
                Message m = iterator.query(q.name(), q.type()).join();
                return new Actual(
                        q,
                        flags,
                        m.getRcode(),
                        new ArrayList<>(m.getSection(Section.ANSWER)),
                        null,
                        "checking disabled (CD), " + s);
            }
            return new Actual(
                    q, flags, Rcode.SERVFAIL, List.of(), ede ? edeOf(s) : null, s.toString());
        }
        List<Record> records = new ArrayList<>(a.chain());
        records.addAll(a.records());
        List<Record> capped =
                records.stream()
                        .map(r -> ServerReply.withTtl(r, Math.min(r.getTTL(), a.ttl())))
                        .toList();
        if (s instanceof dev.daneel.validator.Verdict.Secure && adWanted) {
            flags.add("AD");
        }
        if (truncated(iterator.cachedResponse(q.name(), q.type()), q)) {
            flags.add("TC");
        }
        return new Actual(q, flags, a.rcode(), capped, null, s.toString());
    }

    /**
     * Unbound's {@code max-udp-size} default, which is also the EDNS size testpkts' queries offer.
     */
    static final int UDP_SIZE = 1232;

    /**
     * Whether Unbound's reply would carry TC ({@code reply_info_encode}): over UDP, when the answer
     * and authority sections (RRSIGs only with DO) do not fit the client's size, 512 octets without
     * EDNS; the additional section never sets it. Measured on the recursive's cached response,
     * compressed.
     */
    private static boolean truncated(Message response, RplScenario.Query q) {
        if (response == null || q.tcp()) {
            return false;
        }
        Message m = new Message();
        m.addRecord(Record.newRecord(q.name(), q.type(), q.dclass()), Section.QUESTION);
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (Record r : response.getSection(section)) {
                boolean sigWanted = q.dnssecOk() || q.type() == Type.RRSIG || q.type() == Type.ANY;
                if (r.getType() != Type.RRSIG || sigWanted) {
                    m.addRecord(r, section);
                }
            }
        }
        int opt = q.edns() ? 11 : 0;
        return m.toWire().length + opt > (q.edns() ? UDP_SIZE : 512);
    }

    private static Actual referral(
            Engine engine,
            ScenarioIterator iterator,
            RplScenario.Query q,
            ServerReply.RRs ns,
            Set<String> flags,
            boolean adWanted,
            boolean ede) {
        String why = "referral to " + ns.name + " from the cache (no RD)";
        if (ns.sigs.isEmpty()) {
            return new Actual(
                    q, flags, Rcode.NOERROR, List.of(), null, why + ", its NS RRset unsigned");
        }
        iterator.answerNsFromCache(true);
        dev.daneel.validator.Verdict s;
        try {
            s = engine.lookup(ns.name, Type.NS).verdict();
        } finally {
            iterator.answerNsFromCache(false);
        }
        if (s instanceof dev.daneel.validator.Verdict.Bogus && !q.flag("CD")) {
            return new Actual(
                    q, flags, Rcode.SERVFAIL, List.of(), ede ? edeOf(s) : null, why + ", " + s);
        }
        if (s instanceof dev.daneel.validator.Verdict.Secure && adWanted) {
            flags.add("AD");
        }
        return new Actual(q, flags, Rcode.NOERROR, List.of(), null, why + ", its NS RRset " + s);
    }

    /**
     * Unbound answers SERVFAIL when a chain it needs cannot be built (Daneel: Bogus, or
     * Indeterminate because something was unavailable), but passes data on without AD where no
     * anchor covers a name of the answer or DNSSEC cannot speak to it (Daneel: Indeterminate with
     * cause NO_ANCHOR or NOT_VALIDATABLE).
     */
    private static boolean failed(dev.daneel.validator.Verdict s) {
        return s instanceof dev.daneel.validator.Verdict.Bogus
                || s instanceof dev.daneel.validator.Verdict.Indeterminate i
                        && i.cause() == dev.daneel.validator.Verdict.Cause.UNAVAILABLE;
    }

    /**
     * The RFC 8914 code of a verdict, when it names one (a Bogus reason, or an Indeterminate
     * cause's); null otherwise.
     */
    private static Integer edeOf(dev.daneel.validator.Verdict s) {
        if (s instanceof dev.daneel.validator.Verdict.Bogus b) {
            return b.reason().edeCode();
        }
        if (s instanceof dev.daneel.validator.Verdict.Indeterminate i
                && i.cause().edeCode().isPresent()) {
            return i.cause().edeCode().getAsInt();
        }
        return null;
    }

    private static double leadingNumber(String text) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("^\\s*[-+]?[0-9]*\\.?[0-9]+").matcher(text);
        return m.find() ? Double.parseDouble(m.group().strip()) : 0; // C's atof
    }

    /**
     * Daneel's defaults, with the NSEC3 iteration count above which answers are Insecure taken from
     * the scenario's {@code val-nsec3-keysize-iterations} (the count of its first, smallest key
     * size; every key in the suite is that small), else Unbound's default of 150. RFC 9276 leaves
     * the number to the validator; the scenarios were written against Unbound's.
     */
    static Limits limits(RplScenario scenario) {
        String table = scenario.option("val-nsec3-keysize-iterations");
        int insecureAbove = UNBOUND_NSEC3_ITERATIONS;
        if (table != null) {
            String[] w = table.trim().split("\\s+");
            if (w.length >= 2) {
                insecureAbove = Integer.parseInt(w[1]);
            }
        }
        Limits d = Limits.DEFAULT;
        return d.withNsec3IterationsBogusAbove(
                        Math.max(d.nsec3IterationsBogusAbove(), insecureAbove))
                .withNsec3IterationsInsecureAbove(insecureAbove);
    }

    /**
     * The clock's start: {@code val-override-date}; for {@code -1} (Unbound then checks no validity
     * window) the latest RRSIG inception in the scenario, the one time inside every window if the
     * windows overlap.
     */
    static Instant startTime(RplScenario scenario) {
        if (scenario.overrideDate() != null) {
            return scenario.overrideDate();
        }
        Instant latest = Instant.EPOCH;
        for (RplScenario.Range range : scenario.ranges()) {
            for (RplScenario.Entry e : range.entries()) {
                for (List<Record> section : List.of(e.answer(), e.authority(), e.additional())) {
                    for (Record r : section) {
                        if (r instanceof RRSIGRecord sig && sig.getTimeSigned().isAfter(latest)) {
                            latest = sig.getTimeSigned();
                        }
                    }
                }
            }
        }
        return latest;
    }

    /**
     * testbound's {@code answer_check_it}: the first pending answer that the entry matches is
     * taken; each {@code MATCH} keyword compares one part (see {@link #mismatch}). Null when one
     * matched.
     */
    private static String check(RplScenario.Step step, List<Actual> pending, List<String> log) {
        RplScenario.Entry expected = step.entry();
        if (expected == null) {
            return "harness error: STEP " + step.number() + " CHECK_ANSWER has no entry";
        }
        String first = null;
        for (Iterator<Actual> it = pending.iterator(); it.hasNext(); ) {
            Actual a = it.next();
            String why = mismatch(expected, a);
            if (why == null) {
                it.remove();
                log.add(
                        "step "
                                + step.number()
                                + ": "
                                + Rcode.string(a.rcode())
                                + (a.ad() ? " AD" : "")
                                + " ("
                                + a.why()
                                + ")");
                return null;
            }
            if (first == null
                    || expected.question() != null
                            && expected.question().name().equals(a.query().name())
                            && expected.question().type() == a.query().type()) {
                first = why;
            }
        }
        return first == null
                ? "no query is waiting for the answer to " + expected.question()
                : first;
    }

    /**
     * How {@code a} differs from the expected entry in the parts its {@code MATCH} keywords name
     * (testpkts' {@code find_match}); null when it does not. {@code all} compares the header bits,
     * rcode, question, answer section and EDNS presence; the authority and additional sections are
     * not compared, since Daneel returns typed answers, not messages. {@code ttl} makes TTLs count.
     * Answer RRSIGs are left out unless RRSIGs were asked for. {@code serial}, {@code CO}, {@code
     * ednsdata} and the cookies are not compared (nothing of Daneel's answer carries them).
     */
    private static String mismatch(RplScenario.Entry e, Actual a) {
        RplScenario.Packet p = e.first();
        RplScenario.Question q = e.question();
        RplScenario.Query asked = a.query();
        boolean ttl = e.match().contains("ttl");
        boolean sigs = asked.type() == Type.RRSIG;
        List<String> want = canonical(p.answer(), ttl, sigs);
        List<String> got = canonical(a.answer(), ttl, sigs);
        String expectedText =
                Rcode.string(p.rcode())
                        + " "
                        + new TreeSet<>(withDo(p.flags(), p.dnssecOk()))
                        + " "
                        + want;
        String gotText =
                Rcode.string(a.rcode())
                        + " "
                        + new TreeSet<>(withDo(a.flags(), asked.dnssecOk()))
                        + " "
                        + got
                        + " ("
                        + a.why()
                        + ")";
        for (String m : e.match()) {
            String why =
                    switch (m) {
                        case "opcode" ->
                                p.opcode() == Opcode.QUERY
                                        ? null
                                        : "the entry's opcode is not QUERY";
                        case "qname" ->
                                q != null && q.name().equals(asked.name())
                                        ? null
                                        : "another question";
                        case "qtype" ->
                                q != null && q.type() == asked.type() ? null : "another question";
                        case "subdomain" ->
                                q != null && asked.name().subdomain(q.name())
                                        ? null
                                        : "another question";
                        case "question" ->
                                q != null
                                                && q.name().equals(asked.name())
                                                && q.type() == asked.type()
                                        ? null
                                        : "another question";
                        case "rcode" -> p.rcode() == a.rcode() ? null : "rcode";
                        case "answer" -> want.equals(got) ? null : "answer section";
                        case "DO" -> asked.dnssecOk() ? null : "no DO bit";
                        case "noedns" -> asked.edns() ? "EDNS present" : null;
                        case "UDP" -> asked.tcp() ? "TCP" : null;
                        case "TCP" -> asked.tcp() ? null : "UDP";
                        case "ede" ->
                                e.ede() == -1
                                        ? (a.ede() != null ? null : "no EDE")
                                        : e.ede().equals(a.ede())
                                                ? null
                                                : "EDE "
                                                        + e.ede()
                                                        + " expected, "
                                                        + (a.ede() == null ? "none" : a.ede())
                                                        + " given";
                        case "all", "all_noedns" -> {
                            boolean header = p.flags().equals(a.flags()) && p.rcode() == a.rcode();
                            boolean edns =
                                    m.equals("all_noedns")
                                            || p.edns() == asked.edns()
                                                    && p.dnssecOk() == asked.dnssecOk();
                            boolean question =
                                    q != null
                                            && q.name().equals(asked.name())
                                            && q.type() == asked.type();
                            yield header && edns && question && want.equals(got) ? null : "message";
                        }
                        default -> null;
                    };
            if (why != null) {
                return "expected " + expectedText + ", got " + gotText + " [" + why + "]";
            }
        }
        return null;
    }

    private static Set<String> withDo(Set<String> flags, boolean dnssecOk) {
        Set<String> out = new LinkedHashSet<>(flags);
        if (dnssecOk) {
            out.add("DO");
        }
        return out;
    }

    /**
     * testbound's {@code CHECK_OUT_QUERY}: a query the recursive sent matches the entry (and is
     * taken).
     */
    private static String checkOutQuery(
            RplScenario.Step step, ScenarioIterator iterator, List<String> log) {
        for (Iterator<ScenarioIterator.Sent> it = iterator.sent().iterator(); it.hasNext(); ) {
            ScenarioIterator.Sent s = it.next();
            if ((step.address() == null
                            || step.address().equals(RplScenario.canonicalAddress(s.server())))
                    && step.entry() != null
                    && step.entry().matches(s.query())) {
                it.remove();
                log.add(
                        "step "
                                + step.number()
                                + ": the recursive asked "
                                + s.server()
                                + " for "
                                + s.query().name()
                                + " "
                                + Type.string(s.query().type()));
                return null;
            }
        }
        return "no query the recursive sent matches the CHECK_OUT_QUERY entry of line "
                + (step.entry() == null ? "?" : step.entry().line());
    }

    /**
     * The answer RRs, each once, as sorted lower-case text without RRSIGs (unless they were asked
     * for) (and without TTLs unless asked for).
     */
    private static List<String> canonical(List<Record> records, boolean ttl, boolean sigs) {
        List<String> out = new ArrayList<>();
        for (Record r :
                new LinkedHashSet<>(records)) { // a DNAME followed twice is in the message once
            if (r.getType() == Type.RRSIG && !sigs) {
                continue;
            }
            out.add(
                    (r.getName()
                                    + " "
                                    + (ttl ? r.getTTL() + " " : "")
                                    + Type.string(r.getType())
                                    + " "
                                    + r.rdataToString())
                            .toLowerCase(Locale.ROOT));
        }
        out.sort(null);
        return out;
    }

    /** {@code val-override-date} plus the seconds the scenario's {@code TIME_PASSES} steps add. */
    static final class ScenarioClock extends Clock {
        private final Instant start;
        private double elapsed;

        ScenarioClock(Instant start) {
            this.start = start;
        }

        void advance(double seconds) {
            elapsed += seconds;
        }

        double elapsed() {
            return elapsed;
        }

        @Override
        public Instant instant() {
            return start.plusNanos((long) (elapsed * 1e9));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
