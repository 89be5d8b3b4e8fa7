package dev.daneel.cli;

import dev.daneel.anchors.Anchor;
import dev.daneel.anchors.AnchorFormatException;
import dev.daneel.anchors.AnchorState;
import dev.daneel.anchors.AnchorStore;
import dev.daneel.anchors.AnchorTracker;
import dev.daneel.anchors.TrustAnchors;
import dev.daneel.anchors.TrustPointState;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code daneel anchors}: the trust anchors in use and, with {@code --state}, their RFC 5011 states
 * as the state file records them — for each key its algorithm, tag, state and since when; {@code
 * --refresh} probes every due trust point's DNSKEY RRset first and saves the new states (an RFC
 * 5011 refresh run by hand, for cron or a test clock). Warnings follow the list: keys the root
 * publishes that the configured (or built-in) anchors do not list, a DNSKEY RRset no trusted key
 * validates, keys of algorithms Daneel never trusts (RSAMD5, DSA, GOST).
 *
 * <pre>{@code
 * $ daneel --server 127.0.0.1:5353 anchors --state root.state --refresh
 * ; refresh .: VALIDATED (state changed, next probe 2027-10-02T00:00:00Z)
 * . trust point (next probe 2027-10-02T00:00:00Z, last success 2027-10-01T00:00:00Z)
 *   DNSKEY alg 8 tag 38696 VALID since 2026-11-01T00:00:00Z (RSASHA256)
 *   DNSKEY alg 13 tag 52931 ADD_PEND (seen 1 times) since 2027-10-01T00:00:00Z (ECDSAP256SHA256)
 * ; warning: . publishes key tag 52931 (algorithm 13, ADD_PEND) that the built-in anchors do not list: ...
 * }</pre>
 *
 * <p>Exit codes: 0 shown (and refreshed with every probe validated); 1 unreadable state or a probe
 * that got no answer; 2 a probe whose DNSKEY RRset did not validate.
 */
@Command(
        name = "anchors",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Show the trust anchors in use and their RFC 5011 states; --refresh probes them first.")
final class AnchorsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand Daneel parent;

    @Option(
            names = "--state",
            paramLabel = "FILE",
            description = "The RFC 5011 state file (created by --refresh when missing).")
    Path state;

    @Option(
            names = "--refresh",
            description =
                    "Probe every due trust point now and save the new states (needs --state).")
    boolean refresh;

    @Override
    public Integer call() throws IOException {
        if (refresh && state == null) {
            throw new UsageError(
                    "--refresh needs --state FILE, where the RFC 5011 states are kept");
        }
        if (state != null
                && state.toAbsolutePath().getParent() != null
                && !Files.isDirectory(state.toAbsolutePath().getParent())) {
            throw new UsageError("--state: the directory of " + state + " does not exist");
        }
        TrustAnchors configured =
                parent.global.anchor != null
                        ? GlobalOptions.loadAnchors(parent.global.anchor)
                        : TrustAnchors.builtIn();
        List<String> lines = new ArrayList<>();
        List<Map<String, Object>> refreshed = new ArrayList<>();
        List<AnchorTracker.Result> refreshResults = new ArrayList<>();
        ExitCode exit = ExitCode.SUCCESS;
        if (refresh) {
            try (ValidatingResolver resolver =
                    parent.global
                            .resolverBuilder()
                            .trustAnchors(configured)
                            .trackAnchors(AnchorStore.at(state), false)
                            .build()) {
                for (AnchorTracker.Result r : resolver.refreshAnchors()) {
                    refreshResults.add(r);
                    String next = r.nextProbe().map(Object::toString).orElse("never");
                    lines.add(
                            "; refresh "
                                    + r.zone()
                                    + ": "
                                    + r.outcome()
                                    + " ("
                                    + (r.changed() ? "state changed" : "no change")
                                    + ", next probe "
                                    + next
                                    + ")");
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("zone", r.zone().toString());
                    m.put("outcome", r.outcome().name());
                    m.put("changed", r.changed());
                    m.put("nextProbe", next);
                    refreshed.add(m);
                    if (r.outcome() == AnchorTracker.Outcome.NOT_VALIDATED) {
                        exit = ExitCode.BOGUS_OR_MISMATCH;
                    } else if (r.outcome() == AnchorTracker.Outcome.NO_ANSWER
                            && exit == ExitCode.SUCCESS) {
                        exit = ExitCode.ERROR;
                    }
                }
            }
        }
        List<TrustPointState> states = states(configured);
        String source =
                parent.global.anchor != null
                        ? "configured (" + parent.global.anchor + ")"
                        : "built-in";
        List<String> warnings = warnings(configured, source, states, refreshResults);
        List<Map<String, Object>> json = new ArrayList<>();
        for (TrustPointState s : states) {
            lines.add(
                    s.zone()
                            + " trust point"
                            + (s.revoked() ? " REVOKED (no longer anchored)" : "")
                            + " (next probe "
                            + s.nextProbe().map(Object::toString).orElse("now")
                            + ", last success "
                            + s.lastSuccess().map(Object::toString).orElse("never")
                            + ")");
            List<Map<String, Object>> keys = new ArrayList<>();
            for (TrustPointState.Key k : s.keys()) {
                String what = k.isDs() ? "DS" : "DNSKEY";
                String since = k.lastChange().map(Object::toString).orElse("configured");
                lines.add(
                        "  "
                                + what
                                + " alg "
                                + k.algorithm()
                                + " tag "
                                + k.keyTag()
                                + " "
                                + k.state()
                                + (k.pendingCount() > 0
                                        ? " (seen " + k.pendingCount() + " times)"
                                        : "")
                                + " since "
                                + since
                                + " ("
                                + DNSSEC.Algorithm.string(k.algorithm())
                                + ")");
                Map<String, Object> km = new LinkedHashMap<>();
                km.put("type", what);
                km.put("algorithm", k.algorithm());
                km.put("algorithmName", DNSSEC.Algorithm.string(k.algorithm()));
                km.put("since", k.lastChange().map(Object::toString).orElse(null));
                km.put("tag", k.keyTag());
                km.put("state", k.state().name());
                km.put("record", k.record().toString());
                keys.add(km);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("zone", s.zone().toString());
            m.put("revoked", s.revoked());
            m.put("nextProbe", s.nextProbe().map(Object::toString).orElse(null));
            m.put("lastSuccess", s.lastSuccess().map(Object::toString).orElse(null));
            m.put("keys", keys);
            json.add(m);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (parent.global.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(
                    "source",
                    parent.global.anchor != null ? parent.global.anchor.toString() : "built-in");
            m.put("state", state == null ? null : state.toString());
            if (refresh) {
                m.put("refreshed", refreshed);
            }
            m.put("trustPoints", json);
            m.put("warnings", warnings);
            out.println(Json.write(m));
        } else {
            out.println(
                    "; anchors from "
                            + (parent.global.anchor != null
                                    ? parent.global.anchor
                                    : "the built-in IANA root anchors")
                            + (state == null ? "" : ", RFC 5011 state in " + state));
            lines.forEach(out::println);
            warnings.forEach(w -> out.println("; warning: " + w));
        }
        out.flush();
        return exit.code();
    }

    /**
     * What an operator should know about the root's keys: keys the root publishes (as the state
     * learnt them) that the configured or built-in anchors do not list — those anchors are older
     * than the root's keys; a refresh that no trusted key validated; keys of algorithms Daneel
     * never trusts.
     */
    private static List<String> warnings(
            TrustAnchors configured,
            String source,
            List<TrustPointState> states,
            List<AnchorTracker.Result> refreshed) {
        List<String> out = new ArrayList<>();
        for (AnchorTracker.Result r : refreshed) {
            if (r.outcome() == AnchorTracker.Outcome.NOT_VALIDATED) {
                out.add(
                        r.zone()
                                + ": no trusted key validates its DNSKEY RRset: the anchors and RFC 5011 state are older"
                                + " than the zone's keys (or the upstream forges them). For the root, recover with the root anchor"
                                + " bootstrap (IANA's root-anchors.xml, signature checked against ICANN's CA) or install a current"
                                + " root-anchors.xml with --anchor; do not trust unverified keys");
            }
            for (DNSKEYRecord k : r.unsupportedKeys()) {
                out.add(
                        r.zone()
                                + " publishes key tag "
                                + k.getFootprint()
                                + " of algorithm "
                                + k.getAlgorithm()
                                + " ("
                                + DNSSEC.Algorithm.string(k.getAlgorithm())
                                + "), which Daneel does not validate: it is never trusted");
            }
        }
        for (TrustPointState s : states) {
            Optional<Anchor> anchor = configured.forZone(s.zone());
            if (anchor.isEmpty()) {
                continue;
            }
            for (TrustPointState.Key k : s.keys()) {
                if (k.isDs()
                        || !(k.record() instanceof DNSKEYRecord key)
                        || (key.getFlags() & DNSKEYRecord.Flags.SEP_KEY) == 0
                        || k.state() == AnchorState.REVOKED
                        || k.state() == AnchorState.REMOVED
                        || named(anchor.get(), key)) {
                    continue;
                }
                out.add(
                        s.zone()
                                + " publishes key tag "
                                + k.keyTag()
                                + " (algorithm "
                                + k.algorithm()
                                + ", "
                                + k.state()
                                + ") that the "
                                + source
                                + " anchors do not list: those anchors are older than the zone's"
                                + " keys. Keep the RFC 5011 state current (--state with --refresh, or trackAnchors in the library),"
                                + " or update Daneel or the anchor file");
            }
        }
        return out;
    }

    /** Whether the anchor lists this key, as a DNSKEY or through a DS digest. */
    private static boolean named(Anchor anchor, DNSKEYRecord key) {
        for (DNSKEYRecord k : anchor.keys()) {
            if (k.getAlgorithm() == key.getAlgorithm() && Arrays.equals(k.getKey(), key.getKey())) {
                return true;
            }
        }
        for (DSRecord ds : anchor.ds()) {
            if (ds.getFootprint() != key.getFootprint()
                    || ds.getAlgorithm() != key.getAlgorithm()) {
                continue;
            }
            try {
                DSRecord computed =
                        new DSRecord(key.getName(), DClass.IN, 0, ds.getDigestID(), key);
                if (Arrays.equals(computed.getDigest(), ds.getDigest())) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // a digest type dnsjava cannot compute names nothing we can check
            }
        }
        return false;
    }

    /**
     * The saved states, or the configured anchors as fresh trust points when nothing is saved yet.
     */
    private List<TrustPointState> states(TrustAnchors configured) throws IOException {
        if (state != null) {
            try {
                Optional<List<TrustPointState>> saved = AnchorStore.at(state).load();
                if (saved.isPresent()) {
                    return saved.get();
                }
            } catch (AnchorFormatException e) {
                throw new UsageError("--state: " + e.getMessage());
            }
        }
        List<TrustPointState> out = new ArrayList<>();
        for (Name zone : configured.zones()) {
            configured.forZone(zone).ifPresent(a -> out.add(TrustPointState.initial(a)));
        }
        return out;
    }
}
