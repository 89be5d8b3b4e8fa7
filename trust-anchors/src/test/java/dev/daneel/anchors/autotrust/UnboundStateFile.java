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
import org.xbill.DNS.TextParseException;

/**
 * An Unbound autotrust file, read as {@code validator/autotrust.c} reads it ({@code
 * autr_read_file}): records in parentheses joined onto one line ({@code read_multiline}); {@code
 * $ORIGIN}; an optional {@code ;;REVOKED} and {@code ;;id: name class} header with {@code ;;name:
 * value} lines; then one RR per key, annotated {@code ;;state=N [ NAME ] ;;count=N ;;lastchange=T}.
 * The trust point is the records' owner (Unbound builds it from the records, whatever the file is
 * called), else the {@code ;;id:} name. Without a header the file is a plain list of configured
 * anchors: a key without {@code ;;state=} is VALID; with a header such a key is ignored, as Unbound
 * ignores it. A state digit Unbound does not know is START. A time of 0 means "never".
 */
final class UnboundStateFile {

    private static final Pattern COUNT = Pattern.compile("count=(\\d+)");
    private static final Pattern LAST_CHANGE = Pattern.compile("lastchange=(\\d+)");

    /** Unbound's state numbers (autotrust.h, autr_state_type). */
    private static final AnchorState[] STATES = {
        AnchorState.START,
        AnchorState.ADD_PEND,
        AnchorState.VALID,
        AnchorState.MISSING,
        AnchorState.REVOKED,
        AnchorState.REMOVED
    };

    private static final List<String> VARS =
            List.of(
                    "last_queried",
                    "last_success",
                    "next_probe_time",
                    "query_failed",
                    "query_interval",
                    "retry_time");

    final boolean header;
    final boolean revoked;
    final Map<String, Long> vars = new HashMap<>();
    final List<TrustPointState.Key> keys = new ArrayList<>();
    private Name id;
    private Name owner;

    private UnboundStateFile(boolean header, boolean revoked) {
        this.header = header;
        this.revoked = revoked;
    }

    static UnboundStateFile parse(List<String> lines) {
        List<String> logical = logicalLines(lines);
        boolean header = logical.stream().anyMatch(l -> l.startsWith(";;id: "));
        boolean revoked = logical.stream().anyMatch(l -> l.startsWith(";;REVOKED"));
        UnboundStateFile f = new UnboundStateFile(header, revoked);
        RecordLines reader = new RecordLines(0); // autr_read_file parses with a default TTL of 0
        for (String l : logical) {
            if (l.startsWith(";;id: ")) {
                String[] w = l.substring(6).strip().split("\\s+");
                try {
                    f.id = Name.fromString(w[0], Name.root);
                } catch (TextParseException e) {
                    throw new IllegalArgumentException(
                            "autotrust file: bad ;;id: line '" + l + "'", e);
                }
                continue;
            }
            String var =
                    VARS.stream()
                            .filter(v -> l.startsWith(";;" + v + ": "))
                            .findFirst()
                            .orElse(null);
            if (var != null) {
                String value = l.substring(var.length() + 4).strip().split("\\s+")[0];
                if (value.matches("\\d+")) {
                    f.vars.put(var, Long.parseLong(value));
                }
                continue;
            }
            String data = RecordLines.stripComment(l);
            if (data.isBlank()) {
                continue;
            }
            if (data.strip().startsWith("$ORIGIN")) {
                reader.origin(data.strip().substring(7));
                continue;
            }
            Record r;
            try {
                r = reader.record(l);
            } catch (IllegalArgumentException e) {
                continue; // autotrust.c: "failed to load trust anchor ... skipping", and reads the
                // rest
            }
            if (!(r instanceof DNSKEYRecord) && !(r instanceof DSRecord)) {
                continue; // only DS and DNSKEY (autotrust.c)
            }
            if (f.owner == null) {
                f.owner = r.getName();
            }
            String comments = l.indexOf(';') >= 0 ? l.substring(l.indexOf(';') + 1) : "";
            int at = comments.indexOf("state=");
            AnchorState state;
            if (at < 0) {
                if (header) {
                    continue; // "trust anchor in state file has no ;;state= annotation, ignoring"
                }
                state = AnchorState.VALID;
            } else {
                int s = at + 6 < comments.length() ? comments.charAt(at + 6) - '0' : -1;
                state = s >= 0 && s < STATES.length ? STATES[s] : AnchorState.START;
            }
            Matcher m = COUNT.matcher(comments);
            int count = m.find() ? Integer.parseInt(m.group(1)) : 0;
            m = LAST_CHANGE.matcher(comments);
            long lastChange = m.find() ? Long.parseLong(m.group(1)) : 0;
            f.keys.add(
                    new TrustPointState.Key(
                            r,
                            r instanceof DSRecord ? AnchorState.VALID : state,
                            count,
                            time(lastChange)));
        }
        return f;
    }

    /** The trust point the file is about: its records' owner, else its {@code ;;id:} name. */
    Optional<Name> zone() {
        return Optional.ofNullable(owner != null ? owner : id);
    }

    /**
     * autotrust.c's {@code read_multiline}: lines inside parentheses joined, comments kept only on
     * the last one.
     */
    static List<String> logicalLines(List<String> lines) {
        List<String> out = new ArrayList<>();
        StringBuilder acc = new StringBuilder();
        int depth = 0;
        for (String raw : lines) {
            String l = raw.strip();
            int d = depth;
            for (char c : RecordLines.stripComment(l).toCharArray()) {
                d += c == '(' ? 1 : c == ')' ? -1 : 0;
            }
            if (d > 0) {
                acc.append(RecordLines.stripComment(raw).replace('(', ' ').replace(')', ' '))
                        .append(' ');
                depth = d;
                continue;
            }
            out.add(
                    depth > 0
                            ? acc + raw.replace('(', ' ').replace(')', ' ')
                            : raw.stripTrailing());
            acc.setLength(0);
            depth = 0;
        }
        if (acc.length() > 0) {
            out.add(acc.toString());
        }
        return out;
    }

    /** The tracker state this file describes, for starting a scenario. */
    TrustPointState toState(Name zone) {
        Duration query = interval(vars.get("query_interval"));
        Duration retry = interval(vars.get("retry_time"));
        return new TrustPointState(
                zone,
                keys,
                time(vars.getOrDefault("last_queried", 0L)),
                time(vars.getOrDefault("last_success", 0L)),
                time(vars.getOrDefault("next_probe_time", 0L)),
                vars.getOrDefault("query_failed", 0L).intValue(),
                query,
                retry,
                revoked);
    }

    private static Duration interval(Long seconds) {
        return seconds == null || seconds <= 0
                ? TrustPointState.MIN_INTERVAL
                : Duration.ofSeconds(seconds);
    }

    static Optional<Instant> time(long epochSeconds) {
        return epochSeconds == 0
                ? Optional.empty()
                : Optional.of(Instant.ofEpochSecond(epochSeconds));
    }

    static long seconds(Optional<Instant> t) {
        return t.map(Instant::getEpochSecond).orElse(0L);
    }
}
