package dev.daneel.anchors.internal;

import dev.daneel.anchors.AnchorFormatException;
import dev.daneel.anchors.AnchorState;
import dev.daneel.anchors.TrustPointState;
import dev.daneel.anchors.TrustPointState.Key;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The text of an anchor state file (the format is documented on {@link
 * dev.daneel.anchors.AnchorStore}). Reading is strict: anything unexpected — an unknown line, a
 * missing field, no {@code end-of-state} — is an error naming the line, because a state file that
 * is silently half-read could drop a trusted key.
 */
public final class StateFileCodec {

    /** The first line's keyword. */
    public static final String MAGIC = "daneel-anchor-state";

    /** The format version this code writes and reads. */
    public static final int VERSION = 1;

    /** The last line; its absence means the file was cut short. */
    public static final String END_OF_STATE = "end-of-state";

    private static final List<String> FIELDS =
            List.of(
                    "status",
                    "last-queried",
                    "last-success",
                    "next-probe",
                    "query-failed",
                    "query-interval",
                    "retry-interval");

    private StateFileCodec() {}

    /** The file text for these states. */
    public static String write(List<TrustPointState> states) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "# Daneel RFC 5011 trust-anchor state; format: dev.daneel.anchors.AnchorStore. Written atomically,\n");
        sb.append("# edit only while no resolver uses it.\n");
        sb.append(MAGIC).append(' ').append(VERSION).append('\n');
        for (TrustPointState s : states) {
            sb.append("zone ").append(s.zone()).append('\n');
            sb.append("status ").append(s.revoked() ? "revoked" : "active").append('\n');
            sb.append("last-queried ").append(time(s.lastQueried())).append('\n');
            sb.append("last-success ").append(time(s.lastSuccess())).append('\n');
            sb.append("next-probe ").append(time(s.nextProbe())).append('\n');
            sb.append("query-failed ").append(s.queryFailed()).append('\n');
            sb.append("query-interval ").append(s.queryInterval().toSeconds()).append('\n');
            sb.append("retry-interval ").append(s.retryInterval().toSeconds()).append('\n');
            for (Key k : s.keys()) {
                sb.append("key ")
                        .append(k.state())
                        .append(' ')
                        .append(k.pendingCount())
                        .append(' ')
                        .append(time(k.lastChange()))
                        .append(' ')
                        .append(recordText(k.record()))
                        .append('\n');
            }
            sb.append("end\n");
        }
        sb.append(END_OF_STATE).append('\n');
        return sb.toString();
    }

    /** The states in {@code text}; {@code source} names it in error messages. */
    public static List<TrustPointState> read(String source, String text) {
        String[] lines = text.split("\n", -1);
        List<TrustPointState> out = new ArrayList<>();
        Set<Name> zones = new HashSet<>();
        boolean header = false;
        boolean ended = false;
        Name zone = null;
        int zoneLine = 0;
        Map<String, String> fields = new HashMap<>();
        Map<String, Integer> fieldLines = new HashMap<>();
        List<Key> keys = new ArrayList<>();
        int lastLine = 0;
        for (int i = 0; i < lines.length; i++) {
            int n = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            lastLine = n;
            if (ended) {
                throw new AnchorFormatException(
                        source,
                        n,
                        "expected nothing after '" + END_OF_STATE + "', saw '" + cut(line) + "'");
            }
            String[] t = line.split("\\s+", 2);
            String word = t[0];
            String rest = t.length > 1 ? t[1] : "";
            if (!header) {
                if (!word.equals(MAGIC)) {
                    throw new AnchorFormatException(
                            source,
                            n,
                            "expected '"
                                    + MAGIC
                                    + " "
                                    + VERSION
                                    + "' (a Daneel anchor state file),"
                                    + " saw '"
                                    + cut(line)
                                    + "'");
                }
                if (!rest.equals(Integer.toString(VERSION))) {
                    throw new AnchorFormatException(
                            source,
                            n,
                            "expected format version "
                                    + VERSION
                                    + ", saw '"
                                    + rest
                                    + "': written by another Daneel version");
                }
                header = true;
                continue;
            }
            if (zone == null) {
                if (word.equals(END_OF_STATE) && rest.isEmpty()) {
                    ended = true;
                } else if (word.equals("zone")) {
                    zone = name(source, n, rest);
                    zoneLine = n;
                    if (!zones.add(zone)) {
                        throw new AnchorFormatException(
                                source, n, "expected each zone once, saw '" + zone + "' again");
                    }
                    fields.clear();
                    fieldLines.clear();
                    keys.clear();
                } else {
                    throw new AnchorFormatException(
                            source,
                            n,
                            "expected 'zone NAME' or '"
                                    + END_OF_STATE
                                    + "', saw '"
                                    + cut(line)
                                    + "'");
                }
                continue;
            }
            if (word.equals("end") && rest.isEmpty()) {
                out.add(trustPoint(source, zone, zoneLine, n, fields, fieldLines, keys));
                zone = null;
            } else if (word.equals("key")) {
                keys.add(key(source, n, zone, rest));
            } else if (FIELDS.contains(word)) {
                if (fields.put(word, rest) != null) {
                    throw new AnchorFormatException(
                            source,
                            n,
                            "expected '" + word + "' once for zone " + zone + ", saw it again");
                }
                fieldLines.put(word, n);
            } else {
                throw new AnchorFormatException(
                        source,
                        n,
                        "expected one of " + FIELDS + ", 'key' or 'end', saw '" + cut(line) + "'");
            }
        }
        if (!header) {
            throw new AnchorFormatException(
                    source, 0, "expected '" + MAGIC + " " + VERSION + "', saw an empty file");
        }
        if (!ended) {
            throw new AnchorFormatException(
                    source,
                    lastLine,
                    "expected '"
                            + (zone != null ? "end" : END_OF_STATE)
                            + "', saw the end of the file: the file is cut short");
        }
        return out;
    }

    private static TrustPointState trustPoint(
            String source,
            Name zone,
            int zoneLine,
            int endLine,
            Map<String, String> f,
            Map<String, Integer> lines,
            List<Key> keys) {
        for (String field : FIELDS) {
            if (!f.containsKey(field)) {
                throw new AnchorFormatException(
                        source,
                        endLine,
                        "expected a '"
                                + field
                                + "' line for zone "
                                + zone
                                + " (block from line "
                                + zoneLine
                                + "), saw none");
            }
        }
        String status = f.get("status");
        if (!status.equals("active") && !status.equals("revoked")) {
            throw new AnchorFormatException(
                    source,
                    lines.get("status"),
                    "expected 'status active' or 'status revoked', saw '" + status + "'");
        }
        try {
            return new TrustPointState(
                    zone,
                    keys,
                    time(source, lines.get("last-queried"), f.get("last-queried")),
                    time(source, lines.get("last-success"), f.get("last-success")),
                    time(source, lines.get("next-probe"), f.get("next-probe")),
                    (int) number(source, lines.get("query-failed"), f.get("query-failed")),
                    Duration.ofSeconds(
                            number(source, lines.get("query-interval"), f.get("query-interval"))),
                    Duration.ofSeconds(
                            number(source, lines.get("retry-interval"), f.get("retry-interval"))),
                    status.equals("revoked"));
        } catch (AnchorFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new AnchorFormatException(
                    source, zoneLine, "zone " + zone + " is inconsistent: " + e.getMessage(), e);
        }
    }

    private static Key key(String source, int n, Name zone, String rest) {
        String[] t = rest.split("\\s+", 4);
        if (t.length < 4) {
            throw new AnchorFormatException(
                    source,
                    n,
                    "expected 'key STATE PENDING-COUNT LAST-CHANGE RECORD', saw 'key "
                            + cut(rest)
                            + "'");
        }
        AnchorState state;
        try {
            state = AnchorState.valueOf(t[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AnchorFormatException(
                    source,
                    n,
                    "expected a state (START, ADD_PEND, VALID, MISSING, REVOKED, REMOVED), saw '"
                            + t[0]
                            + "'",
                    e);
        }
        int count = (int) number(source, n, t[1]);
        Optional<Instant> lastChange = time(source, n, t[2]);
        Record r = record(source, n, t[3]);
        if (!r.getName().equals(zone)) {
            throw new AnchorFormatException(
                    source,
                    n,
                    "expected a record owned by " + zone + ", saw one owned by " + r.getName());
        }
        try {
            return new Key(r, state, count, lastChange);
        } catch (IllegalArgumentException e) {
            throw new AnchorFormatException(source, n, e.getMessage(), e);
        }
    }

    private static Record record(String source, int n, String text) {
        String[] t = text.split("\\s+", 5);
        if (t.length < 5 || !t[2].equalsIgnoreCase("IN")) {
            throw new AnchorFormatException(
                    source, n, "expected 'OWNER TTL IN DNSKEY|DS RDATA', saw '" + cut(text) + "'");
        }
        int type = Type.value(t[3], true);
        if (type != Type.DNSKEY && type != Type.DS) {
            throw new AnchorFormatException(
                    source, n, "expected a DNSKEY or DS record, saw type '" + t[3] + "'");
        }
        try {
            Name owner = Name.fromString(t[0], Name.root);
            return Record.fromString(
                    owner, type, DClass.IN, number(source, n, t[1]), t[4], Name.root);
        } catch (IOException | RuntimeException e) {
            throw new AnchorFormatException(
                    source,
                    n,
                    "expected a valid "
                            + t[3]
                            + " record, saw '"
                            + cut(text)
                            + "': "
                            + e.getMessage(),
                    e);
        }
    }

    private static Name name(String source, int n, String text) {
        try {
            Name name = Name.fromString(text);
            if (!name.isAbsolute()) {
                throw new TextParseException("not absolute");
            }
            return name;
        } catch (TextParseException e) {
            throw new AnchorFormatException(
                    source,
                    n,
                    "expected an absolute zone name ending in '.', saw '" + text + "'",
                    e);
        }
    }

    private static long number(String source, int n, String text) {
        try {
            long v = Long.parseLong(text.strip());
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new AnchorFormatException(
                    source, n, "expected a non-negative whole number, saw '" + text + "'", e);
        }
    }

    private static Optional<Instant> time(String source, int n, String text) {
        String v = text.strip();
        if (v.equals("-")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(v));
        } catch (DateTimeParseException e) {
            throw new AnchorFormatException(
                    source,
                    n,
                    "expected a UTC time like 2026-10-11T00:00:00Z or '-', saw '" + v + "'",
                    e);
        }
    }

    private static String time(Optional<Instant> t) {
        return t.map(Instant::toString).orElse("-");
    }

    /**
     * Presentation form built here, not by dnsjava's toString, so that no global option can fold it
     * over lines.
     */
    static String recordText(Record r) {
        String head = r.getName() + " " + r.getTTL() + " IN ";
        if (r instanceof DNSKEYRecord) {
            DNSKEYRecord k = (DNSKEYRecord) r;
            return head
                    + "DNSKEY "
                    + k.getFlags()
                    + " "
                    + k.getProtocol()
                    + " "
                    + k.getAlgorithm()
                    + " "
                    + Base64.getEncoder().encodeToString(k.getKey());
        }
        DSRecord ds = (DSRecord) r;
        return head
                + "DS "
                + ds.getFootprint()
                + " "
                + ds.getAlgorithm()
                + " "
                + ds.getDigestID()
                + " "
                + HexFormat.of().withUpperCase().formatHex(ds.getDigest());
    }

    private static String cut(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
