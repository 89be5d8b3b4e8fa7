package dev.daneel.anchors.internal;

import dev.daneel.anchors.AnchorFormatException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TTL;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * DS and DNSKEY records in master-file presentation format, as {@code dig}, {@code dnssec-keygen},
 * {@code unbound-anchor} and IANA's web page write them.
 *
 * <pre>
 * ; comments, blank lines, $TTL and $ORIGIN are fine
 * .  172800 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5
 *                             emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjy ...
 * .  IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
 * </pre>
 *
 * <p>The key's base64 (and a DS digest's hex) may contain spaces; a record may span lines inside
 * parentheses. An Unbound autotrust state file is read too: a key annotated {@code ;;state=N} is
 * taken only in the trusted states (2 VALID, 3 MISSING), and a file marked {@code ;;REVOKED} is
 * refused.
 */
public final class PresentationParser {

    private static final Pattern UNBOUND_STATE = Pattern.compile(";;state=(\\d+)");
    private static final Logger LOG = System.getLogger("dev.daneel.anchors");

    private final String source;
    private Name origin = Name.root;
    private long defaultTtl = -1;
    private Name lastOwner;

    private PresentationParser(String source) {
        this.source = source;
    }

    /** Parses {@code text}; {@code source} names it in error messages. */
    public static List<LocatedRecord> parse(String source, String text) {
        return new PresentationParser(source).run(text);
    }

    private List<LocatedRecord> run(String text) {
        List<LocatedRecord> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length) {
            int start = i + 1;
            String raw = lines[i];
            if (raw.startsWith(";;REVOKED")) {
                throw new AnchorFormatException(
                        source,
                        start,
                        "this Unbound autotrust file says every key of the zone"
                                + " is revoked (;;REVOKED): it anchors nothing. Configure a current anchor instead");
            }
            String comment = commentOf(raw);
            StringBuilder logical = new StringBuilder(stripComment(raw));
            int depth = depth(logical);
            while (depth > 0) {
                i++;
                if (i >= lines.length) {
                    throw new AnchorFormatException(
                            source,
                            start,
                            "expected ')' to close the record opened here, saw the end of the input");
                }
                logical.append(' ').append(stripComment(lines[i]));
                depth = depth(logical);
            }
            if (depth < 0) {
                throw new AnchorFormatException(
                        source, i + 1, "expected a record, saw ')' without a matching '('");
            }
            i++;
            String line = logical.toString().replace('(', ' ').replace(')', ' ');
            if (line.isBlank()) {
                continue;
            }
            boolean continuesOwner = Character.isWhitespace(line.charAt(0));
            List<String> tokens = tokens(line);
            if (tokens.isEmpty()) {
                continue; // only control characters, which trim() drops but isBlank() keeps
            }
            if (tokens.get(0).startsWith("$")) {
                directive(tokens, start);
                continue;
            }
            Record r = record(tokens, continuesOwner, start);
            Matcher m = UNBOUND_STATE.matcher(comment);
            if (m.find()) {
                int state = Integer.parseInt(m.group(1));
                if (state != 2 && state != 3) {
                    LOG.log(
                            Level.INFO,
                            () ->
                                    source
                                            + ":"
                                            + start
                                            + ": key in Unbound state "
                                            + state
                                            + " (not VALID or MISSING) is not a trust anchor; skipped");
                    continue;
                }
            }
            out.add(new LocatedRecord(r, start));
        }
        return out;
    }

    private void directive(List<String> tokens, int line) {
        String d = tokens.get(0).toUpperCase(Locale.ROOT);
        switch (d) {
            case "$TTL":
                if (tokens.size() != 2) {
                    throw new AnchorFormatException(
                            source,
                            line,
                            "expected '$TTL seconds', saw '" + String.join(" ", tokens) + "'");
                }
                defaultTtl = ttl(tokens.get(1), line);
                return;
            case "$ORIGIN":
                if (tokens.size() != 2) {
                    throw new AnchorFormatException(
                            source,
                            line,
                            "expected '$ORIGIN name.', saw '" + String.join(" ", tokens) + "'");
                }
                origin = name(tokens.get(1), line);
                if (!origin.isAbsolute()) {
                    throw new AnchorFormatException(
                            source,
                            line,
                            "expected an absolute $ORIGIN ending in '.', saw '"
                                    + tokens.get(1)
                                    + "'");
                }
                return;
            default:
                throw new AnchorFormatException(
                        source,
                        line,
                        "expected $TTL or $ORIGIN, saw "
                                + tokens.get(0)
                                + " (an anchor file must be self-contained)");
        }
    }

    private Record record(List<String> tokens, boolean continuesOwner, int line) {
        int at = 0;
        Name owner;
        if (continuesOwner) {
            if (lastOwner == null) {
                throw new AnchorFormatException(
                        source,
                        line,
                        "expected an owner name at the start of the line, saw indentation before any record");
            }
            owner = lastOwner;
        } else {
            owner = name(tokens.get(at++), line);
        }
        long ttl = defaultTtl;
        int dclass = DClass.IN;
        for (int n = 0; n < 2 && at < tokens.size(); n++) {
            String t = tokens.get(at);
            if (Character.isDigit(t.charAt(0))) {
                ttl = ttl(t, line);
                at++;
            } else if (DClass.value(t) >= 0) {
                dclass = DClass.value(t);
                at++;
            }
        }
        if (at >= tokens.size()) {
            throw new AnchorFormatException(
                    source,
                    line,
                    "expected a record type (DS or DNSKEY) after '"
                            + String.join(" ", tokens)
                            + "', saw the end of the line");
        }
        if (dclass != DClass.IN) {
            throw new AnchorFormatException(
                    source, line, "expected class IN, saw " + DClass.string(dclass));
        }
        int type = Type.value(tokens.get(at), true);
        if (type != Type.DS && type != Type.DNSKEY) {
            throw new AnchorFormatException(
                    source,
                    line,
                    "expected a DS or DNSKEY record, saw "
                            + (type < 0
                                    ? "'" + tokens.get(at) + "'"
                                    : "type " + Type.string(type)));
        }
        at++;
        String rdata = String.join(" ", tokens.subList(at, tokens.size()));
        lastOwner = owner;
        return AnchorChecks.record(source, line, owner, type, ttl < 0 ? 0 : ttl, rdata);
    }

    private Name name(String text, int line) {
        try {
            return text.equals("@") ? origin : Name.fromString(text, origin);
        } catch (TextParseException e) {
            throw new AnchorFormatException(
                    source,
                    line,
                    "expected an owner name, saw '" + text + "': " + e.getMessage(),
                    e);
        }
    }

    private long ttl(String text, int line) {
        try {
            return TTL.parseTTL(text);
        } catch (NumberFormatException e) {
            throw new AnchorFormatException(
                    source, line, "expected a TTL (seconds, or like 2d), saw '" + text + "'", e);
        }
    }

    private static int depth(CharSequence s) {
        int d = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                d++;
            } else if (c == ')') {
                d--;
                if (d < 0) {
                    return d;
                }
            }
        }
        return d;
    }

    private static String stripComment(String line) {
        int semi = line.indexOf(';');
        return semi >= 0 ? line.substring(0, semi) : line;
    }

    private static String commentOf(String line) {
        int semi = line.indexOf(';');
        return semi >= 0 ? line.substring(semi) : "";
    }

    private static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        for (String t : line.trim().split("\\s+")) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
