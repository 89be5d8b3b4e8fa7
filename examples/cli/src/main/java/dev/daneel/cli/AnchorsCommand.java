package dev.daneel.cli;

import dev.daneel.anchors.AnchorFormatException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code daneel anchors}: the trust anchors in use and, with {@code --state}, their RFC 5011 states as the
 * state file records them; {@code --refresh} probes every due trust point's DNSKEY RRset first and saves
 * the new states (an RFC 5011 refresh run by hand, for cron or a test clock).
 *
 * <pre>{@code
 * $ daneel --server 127.0.0.1:5353 --anchor root.ds anchors --state root.state --refresh
 * ; refresh .: VALIDATED (state changed, next probe 2026-11-22T08:00:00Z)
 * . trust point (next probe 2026-11-22T08:00:00Z, last success 2026-11-21T08:00:00Z)
 *   DNSKEY 257 alg 13 tag 20326 VALID
 * }</pre>
 *
 * <p>Exit codes: 0 shown (and refreshed with every probe validated); 1 unreadable state or a probe that got
 * no answer; 2 a probe whose DNSKEY RRset did not validate.
 */
@Command(name = "anchors", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the trust anchors in use and their RFC 5011 states; --refresh probes them first.")
final class AnchorsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Daneel parent;

    @Option(names = "--state", paramLabel = "FILE",
            description = "The RFC 5011 state file (created by --refresh when missing).")
    Path state;

    @Option(names = "--refresh", description = "Probe every due trust point now and save the new states (needs --state).")
    boolean refresh;

    @Override
    public Integer call() throws IOException {
        if (refresh && state == null) {
            throw new UsageError("--refresh needs --state FILE, where the RFC 5011 states are kept");
        }
        if (state != null && state.toAbsolutePath().getParent() != null
                && !Files.isDirectory(state.toAbsolutePath().getParent())) {
            throw new UsageError("--state: the directory of " + state + " does not exist");
        }
        TrustAnchors configured = parent.global.anchor != null ? GlobalOptions.loadAnchors(parent.global.anchor)
                : TrustAnchors.builtIn();
        List<String> lines = new ArrayList<>();
        List<Map<String, Object>> refreshed = new ArrayList<>();
        ExitCode exit = ExitCode.SUCCESS;
        if (refresh) {
            try (ValidatingResolver resolver = parent.global.resolverBuilder().trustAnchors(configured)
                    .trackAnchors(AnchorStore.at(state), false).build()) {
                for (AnchorTracker.Result r : resolver.refreshAnchors()) {
                    String next = r.nextProbe().map(Object::toString).orElse("never");
                    lines.add("; refresh " + r.zone() + ": " + r.outcome() + " (" + (r.changed() ? "state changed" : "no change")
                            + ", next probe " + next + ")");
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("zone", r.zone().toString());
                    m.put("outcome", r.outcome().name());
                    m.put("changed", r.changed());
                    m.put("nextProbe", next);
                    refreshed.add(m);
                    if (r.outcome() == AnchorTracker.Outcome.NOT_VALIDATED) {
                        exit = ExitCode.BOGUS_OR_MISMATCH;
                    } else if (r.outcome() == AnchorTracker.Outcome.NO_ANSWER && exit == ExitCode.SUCCESS) {
                        exit = ExitCode.ERROR;
                    }
                }
            }
        }
        List<TrustPointState> states = states(configured);
        List<Map<String, Object>> json = new ArrayList<>();
        for (TrustPointState s : states) {
            lines.add(s.zone() + " trust point" + (s.revoked() ? " REVOKED (no longer anchored)" : "")
                    + " (next probe " + s.nextProbe().map(Object::toString).orElse("now")
                    + ", last success " + s.lastSuccess().map(Object::toString).orElse("never") + ")");
            List<Map<String, Object>> keys = new ArrayList<>();
            for (TrustPointState.Key k : s.keys()) {
                String what = k.isDs() ? "DS" : "DNSKEY";
                lines.add("  " + what + " alg " + k.algorithm() + " tag " + k.keyTag() + " " + k.state()
                        + (k.pendingCount() > 0 ? " (seen " + k.pendingCount() + " times)" : "")
                        + k.lastChange().map(t -> " since " + t).orElse(""));
                Map<String, Object> km = new LinkedHashMap<>();
                km.put("type", what);
                km.put("algorithm", k.algorithm());
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
            m.put("source", parent.global.anchor != null ? parent.global.anchor.toString() : "built-in");
            m.put("state", state == null ? null : state.toString());
            if (refresh) {
                m.put("refreshed", refreshed);
            }
            m.put("trustPoints", json);
            out.println(Json.write(m));
        } else {
            out.println("; anchors from " + (parent.global.anchor != null ? parent.global.anchor : "the built-in IANA root anchors")
                    + (state == null ? "" : ", RFC 5011 state in " + state));
            lines.forEach(out::println);
        }
        out.flush();
        return exit.code();
    }

    /** The saved states, or the configured anchors as fresh trust points when nothing is saved yet. */
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
