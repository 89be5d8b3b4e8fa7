package dev.daneel.anchors.autotrust;

import dev.daneel.anchors.AnchorState;
import dev.daneel.anchors.AnchorTracker;
import dev.daneel.anchors.AnchorTracker.Outcome;
import dev.daneel.anchors.TrustPointState;
import dev.daneel.testkit.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Replays one autotrust scenario through {@link AnchorTracker}: the initial {@code AUTOTRUST_FILE},
 * the probes that Unbound's timer would make when {@code TIME_PASSES}, the trust-anchor primes that
 * {@code QUERY} steps cause, and compares at each {@code CHECK_AUTOTRUST}.
 *
 * <p>What is compared: whether the trust point is revoked; the set of keys Unbound would write
 * (DNSKEYs not in Start or Removed) with each key's state, pending count and last change; the last
 * successful refresh; the RFC 5011 §2.3 query and retry intervals; and every {@code ${range ...}}
 * check on the probe timer. Not compared: {@code last_queried}, {@code next_probe_time} (both
 * follow from the above and Unbound's random 90–100% jitter) and {@code query_failed}, which counts
 * Unbound's internal validation restarts (six per failed probe) where Daneel counts failed
 * refreshes. {@code CHECK_ANSWER} is checked for its security outcome: AD (secure), SERVFAIL
 * (bogus) or neither (insecure).
 *
 * <p>The network is the scenario's canned answers: a query made during step {@code n} is answered
 * from the ranges covering the step after {@code n}, as testbound matches pending queries at the
 * next moment.
 */
final class ScenarioRunner {

    private final RplScenario scenario;
    private final TestClock clock = new TestClock(Instant.EPOCH);
    private final Clock signatureClock;
    private final AnchorTracker tracker;
    private final Macros macros;
    private final List<String> failures = new ArrayList<>();
    private final Map<Name, Cached> keyCache = new HashMap<>();
    private final Map<String, Name> zoneOfFile = new HashMap<>();
    private final java.util.Set<RplScenario.Step> usedReplies = new java.util.HashSet<>();
    private Security lastAnswer;
    private int checks;

    private enum Security {
        SECURE,
        INSECURE,
        BOGUS
    }

    private record Cached(List<DNSKEYRecord> keys, Instant expires) {}

    /** What a run found. */
    record Report(List<String> failures, int checks) {
        boolean passed() {
            return failures.isEmpty();
        }
    }

    private ScenarioRunner(RplScenario scenario) {
        this.scenario = scenario;
        this.signatureClock =
                scenario.valOverrideDate()
                        .map(t -> Clock.fixed(t, ZoneOffset.UTC))
                        .orElse((Clock) clock);
        List<TrustPointState> states = new ArrayList<>();
        // Unbound names the trust point after the file's records, not after the AUTOTRUST_FILE id
        scenario.autotrustFiles()
                .forEach(
                        (id, lines) -> {
                            UnboundStateFile f = UnboundStateFile.parse(lines);
                            Name zone =
                                    f.zone()
                                            .orElseGet(
                                                    () ->
                                                            RecordLines.question(id + " IN DNSKEY")
                                                                    .name());
                            zoneOfFile.put(id, zone);
                            states.add(f.toState(zone));
                        });
        this.tracker =
                AnchorTracker.builder()
                        .clock(clock)
                        .insecureSignatureClock(signatureClock)
                        .resume(states)
                        .build();
        this.macros = new Macros(() -> clock.instant().getEpochSecond(), this::timeout);
    }

    static Report run(RplScenario scenario) {
        ScenarioRunner r = new ScenarioRunner(scenario);
        if (scenario.autotrustFiles().isEmpty()) {
            return new Report(List.of("no AUTOTRUST_FILE in the scenario"), 0);
        }
        List<RplScenario.Step> steps = scenario.steps();
        for (int i = 0; i < steps.size(); i++) {
            RplScenario.Step step = steps.get(i);
            int answerStep = i + 1 < steps.size() ? steps.get(i + 1).number() : step.number();
            try {
                r.step(step, answerStep);
            } catch (RuntimeException e) {
                r.failures.add("step " + step.number() + " " + step.type() + ": " + e);
            }
            for (String p : r.macros.drainProblems()) {
                r.failures.add("step " + step.number() + " " + step.type() + ": " + p);
            }
        }
        return new Report(List.copyOf(r.failures), r.checks);
    }

    private void step(RplScenario.Step step, int answerStep) {
        switch (step.type()) {
            case "TIME_PASSES":
                timePasses(step, answerStep);
                break;
            case "ASSIGN":
                {
                    String[] kv = step.args().split("=", 2);
                    if (kv.length < 2) {
                        throw new IllegalArgumentException("no '=' in ASSIGN " + step.args());
                    }
                    macros.assign(kv[0].strip(), macros.expand(kv[1].strip()));
                    break;
                }
            case "CHECK_AUTOTRUST":
                checkAutotrust(step);
                break;
            case "QUERY":
                query(step, answerStep);
                break;
            case "CHECK_ANSWER":
                checkAnswer(step);
                break;
            case "CHECK_TEMPFILE":
                if (zoneOfFile.containsKey(step.args())) {
                    checkAutotrust(step); // an auto-trust-anchor-file spooled as a temp file
                }
                break;
            case "TRAFFIC", "NOTHING", "REPLY", "TIMEOUT", "ERROR", "INFRA_RTT", "CHECK_OUT_QUERY":
                // traffic has flowed already: every probe completes within its step; REPLY steps
                // answer probes
                // that no range answers (see find); a probe nobody answers has failed. The outgoing
                // queries and
                // temp files are not what this harness compares (the tracker's state is).
                break;
            case "FLUSH_MESSAGE", "EXPIRE_MESSAGE":
                keyCache.clear(); // the cached DNSKEY RRsets the lookups used are gone; the next
                // lookup primes again
                break;
            default:
                failures.add(
                        "step "
                                + step.number()
                                + ": step type "
                                + step.type()
                                + " is not supported by this harness");
        }
    }

    /**
     * {@code TIME_PASSES ELAPSE s} or {@code TIME_PASSES EVAL macro} (read as C's {@code atof});
     * Unbound's probe timer fires once when time passes and each due trust point is probed.
     */
    private void timePasses(RplScenario.Step step, int answerStep) {
        String args = step.args();
        double seconds =
                args.startsWith("EVAL")
                        ? leadingNumber(macros.expand(args.substring(4).strip()))
                        : step.elapse();
        clock.advance(Duration.ofNanos((long) (seconds * 1e9)));
        for (Name zone : tracker.due()) {
            probe(zone, answerStep);
        }
    }

    private static double leadingNumber(String text) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("^\\s*[-+]?[0-9]*\\.?[0-9]+").matcher(text);
        return m.find() ? Double.parseDouble(m.group().strip()) : 0;
    }

    /** Fetches the zone's DNSKEY RRset from the canned answers and hands it to the tracker. */
    private Outcome probe(Name zone, int answerStep) {
        keyCache.remove(zone); // a probe always asks the network (autotrust.c, probe_anchor)
        Optional<RplScenario.Entry> e = find(zone, Type.DNSKEY, answerStep);
        if (e.isEmpty() || e.get().rcode() != Rcode.NOERROR) {
            return tracker.onProbeFailed(zone).outcome();
        }
        RRset rrset = new RRset();
        for (Record r : e.get().records("ANSWER")) {
            if (r.getName().equals(zone) && r.getType() == Type.DNSKEY) {
                rrset.addRR(r);
            }
        }
        if (rrset.size() == 0) {
            return tracker.onProbeFailed(zone).outcome();
        }
        for (Record r : e.get().records("ANSWER")) {
            if (r instanceof RRSIGRecord
                    && ((RRSIGRecord) r).getTypeCovered() == Type.DNSKEY
                    && r.getName().equals(zone)) {
                rrset.addRR((RRSIGRecord) r);
            }
        }
        Outcome o = tracker.onDnskeyResponse(rrset).outcome();
        if (o == Outcome.VALIDATED) {
            List<DNSKEYRecord> keys = new ArrayList<>();
            rrset.rrs().forEach(r -> keys.add((DNSKEYRecord) r));
            keyCache.put(zone, new Cached(keys, clock.instant().plusSeconds(rrset.getTTL())));
        }
        return o;
    }

    private void query(RplScenario.Step step, int answerStep) {
        RecordLines.Question q =
                step.entry()
                        .flatMap(RplScenario.Entry::question)
                        .orElseThrow(
                                () -> new IllegalArgumentException("QUERY without a question"));
        Optional<Name> zone =
                tracker.states().stream()
                        .map(TrustPointState::zone)
                        .filter(z -> q.name().subdomain(z))
                        .max((a, b) -> Integer.compare(a.labels(), b.labels()));
        if (zone.isEmpty() || tracker.anchor(zone.get()).isEmpty()) {
            lastAnswer = Security.INSECURE;
            return;
        }
        Cached cached = keyCache.get(zone.get());
        if (cached == null || !clock.instant().isBefore(cached.expires())) {
            // the validator primes the trust anchor, which feeds autotrust (val_anchor /
            // autr_process_prime)
            Outcome o = probe(zone.get(), answerStep);
            if (o == Outcome.TRUST_POINT_REVOKED) {
                lastAnswer = Security.INSECURE;
                return;
            }
            if (o != Outcome.VALIDATED) {
                lastAnswer = Security.BOGUS;
                return;
            }
            cached = keyCache.get(zone.get());
        }
        Optional<RplScenario.Entry> answer = find(q.name(), q.type(), answerStep);
        if (answer.isEmpty()) {
            lastAnswer = Security.BOGUS;
            return;
        }
        lastAnswer = verifies(answer.get(), q, cached.keys()) ? Security.SECURE : Security.BOGUS;
    }

    private boolean verifies(
            RplScenario.Entry entry, RecordLines.Question q, List<DNSKEYRecord> keys) {
        RRset rrset = new RRset();
        List<RRSIGRecord> sigs = new ArrayList<>();
        for (Record r : entry.records("ANSWER")) {
            if (r.getName().equals(q.name()) && r.getType() == q.type()) {
                rrset.addRR(r);
            } else if (r instanceof RRSIGRecord && ((RRSIGRecord) r).getTypeCovered() == q.type()) {
                sigs.add((RRSIGRecord) r);
            }
        }
        if (rrset.size() == 0) {
            return false;
        }
        for (RRSIGRecord sig : sigs) {
            for (DNSKEYRecord key : keys) {
                if (key.getFootprint() != sig.getFootprint()
                        || key.getAlgorithm() != sig.getAlgorithm()) {
                    continue;
                }
                try {
                    DNSSEC.verify(rrset, sig, key, signatureClock.instant());
                    return true;
                } catch (DNSSEC.DNSSECException e) {
                    // try the next key
                }
            }
        }
        return false;
    }

    private void checkAnswer(RplScenario.Step step) {
        checks++;
        RplScenario.Entry e =
                step.entry()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "CHECK_ANSWER without an entry"));
        Security expected =
                e.rcode() == Rcode.SERVFAIL
                        ? Security.BOGUS
                        : e.flag("AD") ? Security.SECURE : Security.INSECURE;
        if (lastAnswer != expected) {
            failures.add(
                    "step "
                            + step.number()
                            + " CHECK_ANSWER: expected "
                            + expected
                            + " ("
                            + String.join(" ", e.reply())
                            + "), the tracker's anchors give "
                            + lastAnswer);
        }
    }

    private void checkAutotrust(RplScenario.Step step) {
        checks++;
        // CHECK_AUTOTRUST names the AUTOTRUST_FILE id; the trust point is the one that file holds
        Name zone =
                zoneOfFile.getOrDefault(
                        step.args(), RecordLines.question(step.args() + " IN DNSKEY").name());
        List<String> expanded = new ArrayList<>();
        for (String l : step.file()) {
            expanded.add(macros.expand(l));
        }
        UnboundStateFile expected = UnboundStateFile.parse(expanded);
        TrustPointState actual = tracker.state(zone).orElse(null);
        String where = "step " + step.number() + " CHECK_AUTOTRUST " + zone + ": ";
        if (actual == null) {
            failures.add(where + "zone is not tracked");
            return;
        }
        if (expected.revoked != actual.revoked()) {
            failures.add(
                    where
                            + "expected the trust point "
                            + (expected.revoked ? "revoked" : "active")
                            + ", got "
                            + (actual.revoked() ? "revoked" : "active"));
        }
        Map<String, String> want = describe(expected.keys);
        Map<String, String> got = describe(actual.keys());
        if (!want.equals(got)) {
            failures.add(where + "expected keys " + want.values() + ", got " + got.values());
        }
        if (expected.header) {
            long wantSuccess = expected.vars.getOrDefault("last_success", 0L);
            long gotSuccess = UnboundStateFile.seconds(actual.lastSuccess());
            if (wantSuccess != gotSuccess) {
                failures.add(
                        where + "expected last success " + wantSuccess + ", got " + gotSuccess);
            }
            compareInterval(
                    where,
                    "query interval",
                    expected.vars.get("query_interval"),
                    actual.queryInterval());
            compareInterval(
                    where,
                    "retry interval",
                    expected.vars.get("retry_time"),
                    actual.retryInterval());
        }
    }

    private void compareInterval(String where, String what, Long expected, Duration actual) {
        if (expected != null && expected != actual.toSeconds()) {
            failures.add(
                    where
                            + "expected "
                            + what
                            + " "
                            + expected
                            + " s, got "
                            + actual.toSeconds()
                            + " s");
        }
    }

    /**
     * The keys Unbound would write, keyed by their exact DNSKEY RDATA, described for comparison.
     */
    private static Map<String, String> describe(List<TrustPointState.Key> keys) {
        Map<String, String> out = new TreeMap<>();
        for (TrustPointState.Key k : keys) {
            if (k.record() instanceof DSRecord
                    || k.state() == AnchorState.START
                    || k.state() == AnchorState.REMOVED) {
                continue;
            }
            DNSKEYRecord d = (DNSKEYRecord) k.record();
            out.put(
                    d.rdataToString(),
                    "key "
                            + d.getFootprint()
                            + " "
                            + k.state()
                            + " count="
                            + k.pendingCount()
                            + " lastchange="
                            + UnboundStateFile.seconds(k.lastChange()));
        }
        return out;
    }

    /**
     * The first canned answer for (name, type): the first matching entry (testpkts' {@code
     * find_match}) of the first range covering {@code step}, in testbound's search order, else a
     * later {@code STEP REPLY} whose entry matches (each answers one query).
     */
    private Optional<RplScenario.Entry> find(Name name, int type, int step) {
        for (RplScenario.Range range : scenario.ranges()) {
            if (!range.covers(step)) {
                continue;
            }
            for (RplScenario.Entry e : range.entries()) {
                if (e.matches(name, type)) {
                    return Optional.of(e);
                }
            }
        }
        for (RplScenario.Step s : scenario.steps()) {
            if (s.type().equals("REPLY")
                    && s.number() >= step
                    && s.entry().isPresent()
                    && !usedReplies.contains(s)
                    && s.entry().get().matches(name, type)) {
                usedReplies.add(s);
                return s.entry();
            }
        }
        return Optional.empty();
    }

    /** Seconds until the next probe timer, as testbound's {@code ${timeout}} reports it. */
    private long timeout() {
        long now = clock.instant().getEpochSecond();
        long best = 0;
        for (TrustPointState s : tracker.states()) {
            Optional<Instant> next = tracker.nextProbe(s.zone());
            if (next.isPresent()) {
                long left = Math.max(0, next.get().getEpochSecond() - now);
                best = best == 0 ? left : Math.min(best, left);
            }
        }
        return best;
    }
}
