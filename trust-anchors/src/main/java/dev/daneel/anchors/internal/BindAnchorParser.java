package dev.daneel.anchors.internal;

import dev.daneel.anchors.AnchorFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * BIND's anchor clauses, as in {@code bind.keys} and {@code named.conf}:
 *
 * <pre>
 * trust-anchors {
 *     . initial-key 257 3 8 "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3
 *                            +/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5 ...";
 *     . initial-ds 20326 8 2 "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D";
 *     example.net. static-key 257 3 13 "...";     // static-ds too
 * };
 * managed-keys { . initial-key 257 3 8 "..."; };  // BIND 9.11 and older
 * trusted-keys { . 257 3 8 "..."; };              // static keys, older form
 * </pre>
 *
 * <p>Comments ({@code //}, {@code #}, {@code /* *}{@code /}) are skipped; a file may hold several
 * clauses and nothing else. Static and initial anchors both become anchors here: whether to track
 * an initial one with RFC 5011 is {@link dev.daneel.anchors.AnchorTracker}'s business.
 */
public final class BindAnchorParser {

    /** The clause names that introduce anchors. */
    public static final Set<String> CLAUSES =
            Set.of("trust-anchors", "managed-keys", "trusted-keys");

    private static final Set<String> KEY_KINDS = Set.of("static-key", "initial-key");
    private static final Set<String> DS_KINDS = Set.of("static-ds", "initial-ds");

    private final String source;
    private final List<Token> tokens;
    private int pos;

    private BindAnchorParser(String source, String text) {
        this.source = source;
        this.tokens = tokenize(source, text);
    }

    /** Parses {@code text}; {@code source} names it in error messages. */
    public static List<LocatedRecord> parse(String source, String text) {
        return new BindAnchorParser(source, text).run();
    }

    /** The first word of the text after comments, to tell a BIND file from master-file lines. */
    public static String firstWord(String source, String text) {
        List<Token> t = tokenize(source, text);
        return t.isEmpty() ? "" : t.get(0).text;
    }

    private List<LocatedRecord> run() {
        List<LocatedRecord> out = new ArrayList<>();
        while (pos < tokens.size()) {
            Token clause = next("a 'trust-anchors {' clause");
            String kind = clause.text.toLowerCase(Locale.ROOT);
            if (clause.quoted || !CLAUSES.contains(kind)) {
                throw error(
                        clause,
                        "expected 'trust-anchors {', 'managed-keys {' or 'trusted-keys {', saw '"
                                + clause.text
                                + "'");
            }
            expect("{");
            while (!peekIs("}")) {
                out.add(entry(kind));
            }
            expect("}");
            expect(";");
        }
        return out;
    }

    private LocatedRecord entry(String clause) {
        Token nameToken = next("a zone name");
        if (!nameToken.quoted && "{};".contains(nameToken.text)) {
            throw error(nameToken, "expected a zone name, saw '" + nameToken.text + "'");
        }
        Name zone;
        try {
            zone = Name.fromString(nameToken.text, Name.root);
        } catch (TextParseException e) {
            throw error(
                    nameToken,
                    "expected a zone name, saw '" + nameToken.text + "': " + e.getMessage());
        }
        Token kindToken = next("static-key, initial-key, static-ds or initial-ds");
        String kind = kindToken.text.toLowerCase(Locale.ROOT);
        List<String> numbers = new ArrayList<>();
        if (clause.equals("trusted-keys") && isNumber(kindToken)) {
            numbers.add(kindToken.text); // trusted-keys { NAME FLAGS PROTO ALG "KEY"; }
            kind = "static-key";
        } else if (kindToken.quoted || !(KEY_KINDS.contains(kind) || DS_KINDS.contains(kind))) {
            throw error(
                    kindToken,
                    "expected static-key, initial-key, static-ds or initial-ds after '"
                            + nameToken.text
                            + "', saw '"
                            + kindToken.text
                            + "'");
        }
        while (numbers.size() < 3) {
            numbers.add(number(next("a number")));
        }
        Token data =
                next(DS_KINDS.contains(kind) ? "the quoted hex digest" : "the quoted base64 key");
        if (!data.quoted) {
            throw error(
                    data,
                    "expected the "
                            + (DS_KINDS.contains(kind) ? "digest" : "key")
                            + " in double quotes, saw '"
                            + AnchorChecks.abbreviate(data.text)
                            + "'");
        }
        expect(";");
        int type = DS_KINDS.contains(kind) ? Type.DS : Type.DNSKEY;
        String rdata = String.join(" ", numbers) + " " + data.text.replaceAll("\\s+", "");
        return new LocatedRecord(
                AnchorChecks.record(source, nameToken.line, zone, type, 0, rdata), nameToken.line);
    }

    private String number(Token t) {
        if (!isNumber(t)) {
            throw error(t, "expected a number, saw '" + t.text + "'");
        }
        return t.text;
    }

    private static boolean isNumber(Token t) {
        return !t.quoted && !t.text.isEmpty() && t.text.chars().allMatch(Character::isDigit);
    }

    private Token next(String expected) {
        if (pos >= tokens.size()) {
            int line = tokens.isEmpty() ? 0 : tokens.get(tokens.size() - 1).line;
            throw new AnchorFormatException(
                    source, line, "expected " + expected + ", saw the end of the input");
        }
        return tokens.get(pos++);
    }

    private void expect(String punctuation) {
        Token t = next("'" + punctuation + "'");
        if (t.quoted || !t.text.equals(punctuation)) {
            throw error(
                    t,
                    "expected '"
                            + punctuation
                            + "', saw '"
                            + AnchorChecks.abbreviate(t.text)
                            + "'");
        }
    }

    private boolean peekIs(String punctuation) {
        if (pos >= tokens.size()) {
            next("'" + punctuation + "'");
        }
        Token t = tokens.get(pos);
        return !t.quoted && t.text.equals(punctuation);
    }

    private AnchorFormatException error(Token t, String problem) {
        return new AnchorFormatException(source, t.line, problem);
    }

    private record Token(String text, boolean quoted, int line) {}

    private static List<Token> tokenize(String source, String text) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#' || (c == '/' && i + 1 < n && text.charAt(i + 1) == '/')) {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int start = line;
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new AnchorFormatException(
                            source,
                            start,
                            "expected '*/' to close the comment opened here, saw the end of the input");
                }
                line += count(text, i, end, '\n');
                i = end + 2;
            } else if (c == '"') {
                int start = line;
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && text.charAt(i) != '"') {
                    char q = text.charAt(i);
                    if (q == '\\' && i + 1 < n) {
                        q = text.charAt(++i);
                    }
                    if (q == '\n') {
                        line++;
                    }
                    sb.append(q);
                    i++;
                }
                if (i >= n) {
                    throw new AnchorFormatException(
                            source,
                            start,
                            "expected a closing '\"' for the string opened here, saw the end of the input");
                }
                i++;
                out.add(new Token(sb.toString(), true, start));
            } else if (c == '{' || c == '}' || c == ';') {
                out.add(new Token(String.valueOf(c), false, line));
                i++;
            } else {
                int start = i;
                while (i < n
                        && !Character.isWhitespace(text.charAt(i))
                        && "{};\"".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Token(text.substring(start, i), false, line));
            }
        }
        return out;
    }

    private static int count(String s, int from, int to, char c) {
        int k = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                k++;
            }
        }
        return k;
    }
}
