package dev.daneel.validator.unbound;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The trust anchors and insecure domains a scenario configures, read from every option Unbound
 * reads them from: {@code trust-anchor:} (one record), {@code trust-anchor-file:} (zone-file
 * records), {@code auto-trust-anchor-file:} (an RFC 5011 state file, {@code validator/autotrust.c}:
 * {@code autr_read_file}; a key is used when its {@code ;;state=} is VALID or MISSING, or when the
 * file has no {@code ;;id:} header and the key no state; a {@code ;;REVOKED} file gives no anchor),
 * {@code trusted-keys-file:} (BIND's {@code trusted-keys}/{@code trust-anchors} clauses) and {@code
 * domain-insecure:}. Records other than DS and DNSKEY are ignored, as Unbound ignores them. A
 * scenario may configure none: its answers must then carry no AD bit.
 *
 * @param records the DS and DNSKEY anchors
 * @param insecure the {@code domain-insecure:} names
 * @param notes what was read from where
 */
record RplAnchors(List<Record> records, List<Name> insecure, List<String> notes) {

    private static final Pattern STATE = Pattern.compile("state=(\\d)");

    static RplAnchors of(RplScenario scenario) throws IOException {
        RplConfig config = scenario.config();
        List<Record> out = new ArrayList<>();
        List<Name> insecure = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        RplRecords reader = new RplRecords();
        for (String v : config.all("trust-anchor")) {
            keep(reader.record(v, 0), out);
        }
        for (String f : config.all("trust-anchor-file")) {
            for (String line : logicalLines(config.file(f, scenario.directory()))) {
                String t = line.strip();
                if (t.startsWith("$ORIGIN")) {
                    reader.origin(t.substring(7));
                } else if (t.startsWith("$TTL")) {
                    reader.ttl(t.substring(4));
                } else if (!RplRecords.stripComment(t).isBlank()) {
                    keep(reader.record(t, 0), out);
                }
            }
        }
        for (String f : config.all("auto-trust-anchor-file")) {
            autotrust(config.file(f, scenario.directory()), f, out, notes);
        }
        for (String f : config.all("trusted-keys-file")) {
            bindKeys(String.join("\n", config.file(f, scenario.directory())), out);
        }
        for (String d : config.all("domain-insecure")) {
            insecure.add(RplRecords.name(d));
        }
        return new RplAnchors(List.copyOf(out), List.copyOf(insecure), List.copyOf(notes));
    }

    private static void keep(Record r, List<Record> out) {
        if (r instanceof DSRecord || r instanceof DNSKEYRecord) {
            out.add(r);
        }
    }

    /**
     * autotrust.c's {@code read_multiline}: a record in parentheses joined onto one line, comments
     * kept on the last.
     */
    static List<String> logicalLines(List<String> lines) {
        List<String> out = new ArrayList<>();
        StringBuilder acc = new StringBuilder();
        int depth = 0;
        for (String l : lines) {
            String code = RplRecords.stripComment(l);
            for (char c : code.toCharArray()) {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            }
            if (depth > 0) {
                acc.append(code.replace('(', ' ')).append(' ');
                continue;
            }
            acc.append(acc.length() > 0 ? l.replace(')', ' ') : l);
            out.add(acc.toString());
            acc.setLength(0);
            depth = 0;
        }
        if (acc.length() > 0) {
            out.add(acc.toString());
        }
        return out;
    }

    private static void autotrust(
            List<String> lines, String file, List<Record> out, List<String> notes)
            throws IOException {
        RplRecords reader = new RplRecords();
        boolean header = false;
        for (String line : logicalLines(lines)) {
            String t = line.strip();
            if (t.startsWith(";;id: ")) {
                header = true;
                continue;
            }
            if (t.startsWith(";;REVOKED")) {
                notes.add(file + ": a revoked trust point gives no anchor");
                return;
            }
            if (t.startsWith("$ORIGIN")) {
                reader.origin(t.substring(7));
                continue;
            }
            if (RplRecords.stripComment(t).isBlank()) {
                continue;
            }
            Record r = reader.record(t, 0);
            String comment = t.contains(";") ? t.substring(t.indexOf(';')) : "";
            Matcher m = STATE.matcher(comment);
            boolean use;
            if (r instanceof DSRecord) {
                use = true;
            } else if (m.find()) {
                int state = Integer.parseInt(m.group(1));
                use = state == 2 || state == 3; // VALID, MISSING (autotrust.h)
            } else {
                use = !header; // a key without state in a state file is ignored
            }
            if (use) {
                keep(r, out);
            }
        }
    }

    /**
     * BIND's {@code trusted-keys { "name" flags proto alg "key"; };} and {@code
     * trust-anchors}/{@code managed-keys} with {@code static-key}, {@code initial-key}, {@code
     * static-ds} and {@code initial-ds}.
     */
    private static void bindKeys(String text, List<Record> out) throws IOException {
        String body = text.replaceAll("(?m)//.*$|#.*$", "").replaceAll("(?s)/\\*.*?\\*/", "");
        for (String statement : body.split(";")) {
            List<String> w = new ArrayList<>();
            Matcher m = Pattern.compile("\"([^\"]*)\"|([^\\s{}\"]+)").matcher(statement);
            while (m.find()) {
                w.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
            while (!w.isEmpty()
                    && List.of("trusted-keys", "trust-anchors", "managed-keys")
                            .contains(w.get(0))) {
                w.remove(0);
            }
            if (w.size() < 4) {
                continue;
            }
            String name = w.get(0);
            String kind = w.get(1);
            List<String> rest = w.subList(kind.matches("\\d+") ? 1 : 2, w.size());
            boolean ds = kind.endsWith("-ds");
            String line =
                    name
                            + (name.endsWith(".") ? "" : ".")
                            + " IN "
                            + (ds ? "DS " : "DNSKEY ")
                            + String.join(" ", rest);
            keep(new RplRecords().record(line, 0), out);
        }
    }
}
