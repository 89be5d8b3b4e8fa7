package dev.daneel.validator.unbound;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Limits;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.internal.EngineConfig;
import dev.daneel.validator.internal.TestEngines;
import dev.daneel.validator.internal.Engine;
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
import java.util.stream.Stream;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Runs one Unbound scenario through Daneel's engine and judges it as Unbound's test would, on the
 * parts a stub validator answers for: for each {@code CHECK_ANSWER}, the rcode, the AD bit (Unbound sets
 * it exactly when the answer is Secure) and the answer section's RRsets, without RRSIGs, in any order,
 * TTLs only when the entry says {@code MATCH … ttl}. The authority and additional sections, EDE codes
 * and header bits other than AD are not compared: Daneel returns typed answers, not messages.
 *
 * <p>Daneel's verdicts become Unbound's responses thus: Bogus is SERVFAIL with an empty answer, and so is
 * Indeterminate for a name under a trust anchor (a chain that could not be fetched); Secure sets AD;
 * Insecure and Indeterminate for a name no anchor covers pass the rcode and records on without AD. A query
 * sent with CD gets the recursive's response unvalidated, as Unbound returns it.
 *
 * <p>The engine's clock is {@code val-override-date} plus the scenario's {@code TIME_PASSES}, so that
 * cached answers age as in Unbound; signature windows are judged at that time with Daneel's default skew.
 * The one Unbound option that changes a verdict and has a Daneel counterpart, the NSEC3 iteration count
 * treated as insecure, is taken from the scenario (see {@link #limits}); every other limit is Daneel's
 * default.
 */
final class ScenarioRunner {

    /** Where the third-party scenarios live, relative to the project root (never copied into it). */
    static final String DEFAULT_DIRECTORY = "../shared/testdata/unbound/val";
    /** The system property that overrides {@link #DEFAULT_DIRECTORY}. */
    static final String DIRECTORY_PROPERTY = "daneel.unbound.val";
    /** Unbound's default {@code val-nsec3-keysize-iterations}: 150 for every key size. */
    static final int UNBOUND_NSEC3_ITERATIONS = 150;
    /** Scenarios a stub validator cannot pass, by file name, with the reason. */
    static final String SKIPS_RESOURCE = "/unbound-skips.txt";

    enum Verdict {
        PASS, FAIL, SKIP
    }

    /** The result of one scenario: {@code detail} says why it failed or was skipped, or what passed. */
    record Outcome(String name, Verdict verdict, String detail) {
        String line() {
            return switch (verdict) {
                case PASS -> "PASS " + name;
                case FAIL -> "FAIL " + name + ": " + detail;
                case SKIP -> "SKIP " + name + ": " + detail;
            };
        }
    }

    private ScenarioRunner() {
    }

    /** The scenario directory: the system property, else {@link #DEFAULT_DIRECTORY} from the project root. */
    static Path directory() {
        String property = System.getProperty(DIRECTORY_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        return projectRoot().resolve(DEFAULT_DIRECTORY).normalize();
    }

    /** The reactor root: the nearest directory at or above the working directory whose pom lists the validator module. */
    static Path projectRoot() {
        Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<module>validator</module>")) {
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
            return files.filter(f -> f.getFileName().toString().matches(".*\\.c?rpl")).sorted().toList();
        }
    }

    /** The skip list: file name → reason. Lines are {@code name reason…}; {@code #} starts a comment. */
    static Map<String, String> skips() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = ScenarioRunner.class.getResourceAsStream(SKIPS_RESOURCE)) {
            if (in == null) {
                return out;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
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
    static Outcome run(Path file, Map<String, String> skips) {
        String name = file.getFileName().toString();
        if (skips.containsKey(name)) {
            return new Outcome(name, Verdict.SKIP, skips.get(name));
        }
        try {
            return run(RplScenario.parse(file));
        } catch (IOException | RuntimeException e) {
            return new Outcome(name, Verdict.FAIL, "harness error: " + e);
        }
    }

    /** What Daneel answered, as the parts of Unbound's response that are compared. */
    private record Actual(Name qname, int qtype, int rcode, boolean ad, List<Record> answer, String why) {
    }

    static Outcome run(RplScenario scenario) {
        ScenarioClock clock = new ScenarioClock(startTime(scenario));
        ScenarioIterator iterator = new ScenarioIterator(scenario, clock::elapsed);
        if (scenario.trustAnchors().isEmpty()) {
            return new Outcome(scenario.name(), Verdict.FAIL, "harness error: the scenario has no trust-anchor");
        }
        TrustAnchors anchors = TrustAnchors.of(scenario.trustAnchors());
        // Unbound's fake-sha1 makes RSASHA1/DSA signatures always verify; its scenarios rely on it (their DSA
        // signatures are DER-encoded, which no real implementation accepts), so the harness mirrors the option.
        Engine engine = engine(scenario, iterator, anchors, clock);
        List<Actual> pending = new ArrayList<>();
        List<String> log = new ArrayList<>();
        scenario.notes().forEach(n -> log.add("parser: " + n));
        List<RplScenario.Step> steps = scenario.steps();
        for (int i = 0; i < steps.size(); i++) {
            RplScenario.Step step = steps.get(i);
            switch (step.kind()) {
                case "QUERY" -> {
                    // testbound answers a query while the next step is current: its ranges are in force.
                    iterator.step(i + 1 < steps.size() ? steps.get(i + 1).number() : step.number());
                    RplScenario.Question q = step.entry().question();
                    pending.add(step.entry().flag("CD") ? unvalidated(iterator, q) : validated(engine, anchors, q));
                }
                case "CHECK_ANSWER" -> {
                    String mismatch = check(step, pending, log);
                    if (mismatch != null) {
                        String trace = iterator.trace().isEmpty() ? "" : "; iterator: " + String.join("; ", iterator.trace());
                        String notes = scenario.notes().isEmpty() ? "" : "; parser: " + String.join("; ", scenario.notes());
                        return new Outcome(scenario.name(), Verdict.FAIL, "step " + step.number() + ": " + mismatch + trace + notes);
                    }
                }
                case "TIME_PASSES" -> clock.advance(step.elapse());
                case "TRAFFIC", "NOTHING" -> {
                    // traffic has already flowed: every lookup here completes before the next step
                }
                default -> {
                    return new Outcome(scenario.name(), Verdict.FAIL, "harness error: step " + step.number() + " "
                            + step.kind() + " is not supported");
                }
            }
        }
        if (!iterator.trace().isEmpty()) {
            log.add("iterator: " + String.join("; ", iterator.trace()));
        }
        return new Outcome(scenario.name(), Verdict.PASS, String.join("; ", log));
    }

    /**
     * Daneel's defaults, with the NSEC3 iteration count above which answers are Insecure taken from the
     * scenario's {@code val-nsec3-keysize-iterations} (the count of its first, smallest key size; every
     * key in the suite is that small), else Unbound's default of 150. RFC 9276 leaves the number to the
     * validator; the scenarios were written against Unbound's.
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
        return d.withNsec3IterationsBogusAbove(Math.max(d.nsec3IterationsBogusAbove(), insecureAbove))
                .withNsec3IterationsInsecureAbove(insecureAbove);
    }

    /**
     * The clock's start: {@code val-override-date}; for {@code -1} (Unbound then checks no validity window)
     * the latest RRSIG inception in the scenario, the one time inside every window if the windows overlap.
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

    private static Actual validated(Engine engine, TrustAnchors anchors, RplScenario.Question q) {
        Answer a = engine.lookup(q.name(), q.type());
        dev.daneel.validator.Verdict s = a.verdict();
        List<Record> records = new ArrayList<>(a.chain());
        records.addAll(a.records());
        // Unbound answers SERVFAIL when a chain it needs cannot be built (Daneel: Bogus, or Indeterminate because
        // something was unavailable), but passes data on without AD where no anchor covers a name of the answer
        // or DNSSEC cannot speak to it (Daneel: Indeterminate with cause NO_ANCHOR or NOT_VALIDATABLE).
        boolean passThrough = s instanceof dev.daneel.validator.Verdict.Indeterminate i && i.cause() != dev.daneel.validator.Verdict.Cause.UNAVAILABLE;
        if (s instanceof dev.daneel.validator.Verdict.Bogus || s instanceof dev.daneel.validator.Verdict.Indeterminate && !passThrough) {
            return new Actual(q.name(), q.type(), Rcode.SERVFAIL, false, List.of(), s.toString());
        }
        List<Record> capped = records.stream()
                .map(r -> ServerReply.withTtl(r, Math.min(r.getTTL(), a.ttl()))).toList();
        return new Actual(q.name(), q.type(), a.rcode(), s instanceof dev.daneel.validator.Verdict.Secure, capped, s.toString());
    }

    private static Actual unvalidated(ScenarioIterator iterator, RplScenario.Question q) {
        Message m = iterator.query(q.name(), q.type()).join();
        List<Record> records = new ArrayList<>(m.getSection(Section.ANSWER));
        return new Actual(q.name(), q.type(), m.getRcode(), false, records, "checking disabled (CD)");
    }

    /** Compares the expected answer with the first pending one for its question; null when they agree. */
    private static String check(RplScenario.Step step, List<Actual> pending, List<String> log) {
        RplScenario.Entry expected = step.entry();
        RplScenario.Question q = expected.question();
        Actual actual = null;
        for (Iterator<Actual> it = pending.iterator(); it.hasNext(); ) {
            Actual a = it.next();
            if (q == null || a.qname().equals(q.name()) && a.qtype() == q.type()) {
                actual = a;
                it.remove();
                break;
            }
        }
        if (actual == null) {
            return "no query is waiting for the answer to " + q;
        }
        boolean ttl = expected.match().contains("ttl");
        boolean sigs = actual.qtype() == Type.RRSIG;
        List<String> want = canonical(expected.answer(), ttl, sigs);
        List<String> got = canonical(actual.answer(), ttl, sigs);
        boolean wantAd = expected.flag("AD");
        if (expected.rcode() == actual.rcode() && wantAd == actual.ad() && want.equals(got)) {
            log.add("step " + step.number() + ": " + Rcode.string(actual.rcode()) + (actual.ad() ? " AD" : "") + " ("
                    + actual.why() + ")");
            return null;
        }
        return "expected " + Rcode.string(expected.rcode()) + (wantAd ? " AD" : "") + " " + want + ", got "
                + Rcode.string(actual.rcode()) + (actual.ad() ? " AD" : "") + " " + got + " (" + actual.why() + ")";
    }

    /** The answer RRs, each once, as sorted lower-case text without RRSIGs (unless they were asked for) (and without TTLs unless asked for). */
    private static List<String> canonical(List<Record> records, boolean ttl, boolean sigs) {
        List<String> out = new ArrayList<>();
        for (Record r : new LinkedHashSet<>(records)) { // a DNAME followed twice is in the message once
            if (r.getType() == Type.RRSIG && !sigs) {
                continue;
            }
            out.add((r.getName() + " " + (ttl ? r.getTTL() + " " : "") + Type.string(r.getType()) + " "
                    + r.rdataToString()).toLowerCase(Locale.ROOT));
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

    /**
     * The engine a scenario runs against. Unbound's fake-sha1 makes RSASHA1/DSA signatures always verify;
     * its scenarios rely on it (their DSA signatures are DER-encoded, which no real implementation accepts),
     * so the harness mirrors the option. Unbound's aggressive-nsec (RFC 8198) is on unless a scenario turns it
     * off; Daneel's is opt-in.
     */
    private static Engine engine(RplScenario scenario, ScenarioIterator iterator, TrustAnchors anchors, java.time.Clock clock) {
        EngineConfig config = EngineConfig.of(iterator, anchors, clock).withLimits(limits(scenario))
                .withCacheSize(ValidatingResolver.Builder.DEFAULT_CACHE_SIZE)
                .withAggressiveNsec(!"no".equals(scenario.option("aggressive-nsec")));
        return "yes".equals(scenario.option("fake-sha1")) ? TestEngines.withUnboundFakeSha1(config) : new Engine(config);
    }
}
