package dev.daneel.sshfp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads OpenSSH {@code known_hosts} lines (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"). */
public final class KnownHostsParser {

    /** One usable entry: its plain host patterns and its key line ({@code TYPE BASE64}). */
    public record Entry(int lineNumber, List<String> hosts, String keyLine) {}

    /** Entries and one note per line that was skipped, saying why. */
    public record Parsed(List<Entry> entries, List<String> notes) {}

    private KnownHostsParser() {}

    public static Parsed parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int n = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f[0].startsWith("@")) {
                notes.add(
                        "line "
                                + n
                                + ": "
                                + f[0]
                                + " entry skipped (SSHFP publishes host keys, not "
                                + (f[0].equals("@revoked")
                                        ? "revocations"
                                        : "certificate authorities")
                                + ")");
                continue;
            }
            if (f.length < 3) {
                notes.add("line " + n + ": skipped, expected \"HOSTS TYPE BASE64 [comment]\"");
                continue;
            }
            if (f[0].startsWith("|1|")) {
                notes.add(
                        "line "
                                + n
                                + ": hashed host name skipped (HashKnownHosts hides the name the record"
                                + " needs; take the key from the host's .pub file instead)");
                continue;
            }
            List<String> hosts = new ArrayList<>();
            for (String h : f[0].split(",")) {
                hosts.add(h);
            }
            entries.add(new Entry(n, hosts, f[1] + " " + f[2]));
        }
        return new Parsed(entries, notes);
    }

    /**
     * Whether an entry's patterns name {@code host}: a literal pattern (or {@code [host]:port})
     * equal to it ignoring case and a final dot, and no negated pattern ({@code !host}) naming it.
     * Wildcards never match: an SSHFP record needs one definite name.
     */
    public static boolean names(Entry e, String host) {
        String want = canonical(host);
        boolean hit = false;
        for (String p : e.hosts()) {
            boolean negated = p.startsWith("!");
            String literal = canonical(negated ? p.substring(1) : p);
            if (literal.equals(want)) {
                if (negated) {
                    return false;
                }
                hit = true;
            }
        }
        return hit;
    }

    /** The host of a pattern, without {@code [ ]:port}, lower case, without a final dot. */
    public static String canonical(String pattern) {
        String p = pattern;
        if (p.startsWith("[") && p.contains("]")) {
            p = p.substring(1, p.indexOf(']'));
        }
        p = p.toLowerCase(Locale.ROOT);
        return p.endsWith(".") ? p.substring(0, p.length() - 1) : p;
    }

    /** Whether a pattern is a wildcard or negation (not a name a record can be published at). */
    public static boolean isLiteral(String pattern) {
        return !pattern.startsWith("!") && pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
    }
}
