package dev.daneel.anchors.autotrust;

import dev.daneel.anchors.AnchorState;
import dev.daneel.anchors.TrustPointState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * An Unbound autotrust file ({@code validator/autotrust.c}, {@code autr_write_contents}): optional
 * {@code ;;REVOKED} and {@code ;;id:} header with {@code ;;name: value} lines, then one RR per key, annotated
 * {@code ;;state=N [ NAME ] ;;count=N ;;lastchange=T}. Without a header it is a plain list of configured
 * anchors (all VALID, never seen). A time of 0 means "never" in Unbound's files.
 */
final class UnboundStateFile {

    private static final Pattern STATE = Pattern.compile(";;state=(\\d+)");
    private static final Pattern COUNT = Pattern.compile(";;count=(\\d+)");
    private static final Pattern LAST_CHANGE = Pattern.compile(";;lastchange=(\\d+)");
    /** Unbound's state numbers (autotrust.h, autr_state_type). */
    private static final AnchorState[] STATES = {AnchorState.START, AnchorState.ADD_PEND, AnchorState.VALID,
        AnchorState.MISSING, AnchorState.REVOKED, AnchorState.REMOVED};

    final boolean header;
    final boolean revoked;
    final Map<String, Long> vars = new HashMap<>();
    final List<TrustPointState.Key> keys = new ArrayList<>();

    private UnboundStateFile(boolean header, boolean revoked) {
        this.header = header;
        this.revoked = revoked;
    }

    static UnboundStateFile parse(List<String> lines) {
        boolean header = lines.stream().anyMatch(l -> l.startsWith(";;id:"));
        boolean revoked = lines.stream().anyMatch(l -> l.strip().equals(";;REVOKED"));
        UnboundStateFile f = new UnboundStateFile(header, revoked);
        for (String l : lines) {
            String t = l.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith(";;") && !t.startsWith(";;id:") && t.contains(":")) {
                String name = t.substring(2, t.indexOf(':'));
                String value = t.substring(t.indexOf(':') + 1).strip().split("\\s+")[0];
                if (value.matches("\\d+")) {
                    f.vars.put(name, Long.parseLong(value));
                }
                continue;
            }
            if (t.startsWith(";")) {
                continue;
            }
            Record r = RecordLines.parse(t);
            if (!(r instanceof DNSKEYRecord) && !(r instanceof DSRecord)) {
                continue;
            }
            AnchorState state = AnchorState.VALID;
            int count = 0;
            long lastChange = 0;
            Matcher m = STATE.matcher(t);
            if (m.find()) {
                int s = Integer.parseInt(m.group(1));
                state = s < STATES.length ? STATES[s] : AnchorState.START;
            }
            m = COUNT.matcher(t);
            if (m.find()) {
                count = Integer.parseInt(m.group(1));
            }
            m = LAST_CHANGE.matcher(t);
            if (m.find()) {
                lastChange = Long.parseLong(m.group(1));
            }
            f.keys.add(new TrustPointState.Key(r, r instanceof DSRecord ? AnchorState.VALID : state, count, time(lastChange)));
        }
        return f;
    }

    /** The tracker state this file describes, for starting a scenario. */
    TrustPointState toState(Name zone) {
        Duration query = interval(vars.get("query_interval"));
        Duration retry = interval(vars.get("retry_time"));
        return new TrustPointState(zone, keys, time(vars.getOrDefault("last_queried", 0L)),
                time(vars.getOrDefault("last_success", 0L)), time(vars.getOrDefault("next_probe_time", 0L)),
                vars.getOrDefault("query_failed", 0L).intValue(), query, retry, revoked);
    }

    private static Duration interval(Long seconds) {
        return seconds == null || seconds <= 0 ? TrustPointState.MIN_INTERVAL : Duration.ofSeconds(seconds);
    }

    static Optional<Instant> time(long epochSeconds) {
        return epochSeconds == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(epochSeconds));
    }

    static long seconds(Optional<Instant> t) {
        return t.map(Instant::getEpochSecond).orElse(0L);
    }
}
