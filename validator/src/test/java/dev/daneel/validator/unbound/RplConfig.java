package dev.daneel.validator.unbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The configuration block of a replay file (everything before {@code CONFIG_END}), read as
 * testbound ({@code testcode/testbound.c}, {@code setup_config}) and Unbound's configuration lexer
 * read it.
 *
 * <p>testbound handles a few directives itself, at the start of a line: {@code ;} comment lines,
 * {@code COMMANDLINE}, {@code AUTOTRUST_FILE id … AUTOTRUST_END} (a key file that also adds an
 * {@code auto-trust-anchor-file:} option), {@code TEMPFILE_NAME id} (the file's name, written where
 * the lexer expects a value) and {@code TEMPFILE_CONTENTS id … TEMPFILE_END} (with {@code
 * $INCLUDE_TEMPFILE}). Everything else is {@code unbound.conf} text: tokens separated by white
 * space, {@code #} comments, quoted values, and {@code key:} tokens, so that several options may
 * share a line and a value may sit on the line after its key. Each option is kept with its section
 * ({@code server:}, {@code stub-zone:}, …) and its values in order. Immutable once read.
 *
 * <pre>
 * server:
 *     trust-anchor-file:
 * TEMPFILE_NAME example.key
 * TEMPFILE_CONTENTS example.key
 * example.com. DS 2854 3 1 46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b
 * TEMPFILE_END
 *     val-override-date: "20070916134226"
 * stub-zone: name: "." stub-addr: 193.0.14.129
 * CONFIG_END
 * </pre>
 */
final class RplConfig {

    /** An option: the section it was given in, its key without the colon, its values (unquoted). */
    record Option(String section, String key, List<String> values) {
        String value() {
            return values.isEmpty() ? "" : values.get(0);
        }
    }

    /** What a {@code TEMPFILE_NAME} or {@code AUTOTRUST_FILE} puts where the file name goes. */
    static final String TEMPFILE_PREFIX = "tempfile:";

    static final String AUTOTRUST_PREFIX = "autotrust:";

    /**
     * A key token: letters, digits, {@code -} and {@code _}, then a colon ({@code ::1} is not one).
     */
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*:");

    private final List<Option> options;
    private final Map<String, List<String>> tempFiles;
    private final Map<String, List<String>> autotrustFiles;
    private final List<String> commandLine;

    private RplConfig(
            List<Option> options,
            Map<String, List<String>> tempFiles,
            Map<String, List<String>> autotrustFiles,
            List<String> commandLine) {
        this.options = List.copyOf(options);
        this.tempFiles = Map.copyOf(tempFiles);
        this.autotrustFiles = Map.copyOf(autotrustFiles);
        this.commandLine = List.copyOf(commandLine);
    }

    /** Every option in file order. */
    List<Option> options() {
        return options;
    }

    /**
     * The first value of the last {@code key:} given (Unbound: a later single-valued option wins);
     * null if none.
     */
    String option(String key) {
        String out = null;
        for (Option o : options) {
            if (o.key().equals(key)) {
                out = o.value();
            }
        }
        return out;
    }

    /**
     * Every value of every {@code key:}, in order (for list options such as {@code trust-anchor:}).
     */
    List<String> all(String key) {
        List<String> out = new ArrayList<>();
        for (Option o : options) {
            if (o.key().equals(key)) {
                out.addAll(o.values());
            }
        }
        return out;
    }

    /** The {@code AUTOTRUST_FILE} blocks, by id, as lines. */
    Map<String, List<String>> autotrustFiles() {
        return autotrustFiles;
    }

    /**
     * {@code COMMANDLINE} arguments (testbound passes them to the daemon; none change validation).
     */
    List<String> commandLine() {
        return commandLine;
    }

    /**
     * The lines of a file named by an option value: a {@code TEMPFILE_CONTENTS} or {@code
     * AUTOTRUST_FILE} block, else a path, relative to {@code base} (the scenario's folder).
     *
     * @throws IOException when the file is neither spooled nor readable
     */
    List<String> file(String value, Path base) throws IOException {
        if (value.startsWith(TEMPFILE_PREFIX)) {
            List<String> lines = tempFiles.get(value.substring(TEMPFILE_PREFIX.length()));
            if (lines == null) {
                throw new IOException(
                        "TEMPFILE_NAME "
                                + value.substring(TEMPFILE_PREFIX.length())
                                + " has no TEMPFILE_CONTENTS block in the scenario");
            }
            return expandIncludes(lines, 0);
        }
        if (value.startsWith(AUTOTRUST_PREFIX)) {
            return autotrustFiles.get(value.substring(AUTOTRUST_PREFIX.length()));
        }
        Path p = base == null ? Path.of(value) : base.resolve(value);
        if (!Files.isRegularFile(p)) {
            throw new IOException(
                    "the configuration names the file "
                            + value
                            + ", which is neither spooled in the scenario "
                            + "(TEMPFILE_CONTENTS) nor at "
                            + p);
        }
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }

    private List<String> expandIncludes(List<String> lines, int depth) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String t = l.strip();
            if (t.startsWith("$INCLUDE_TEMPFILE")) {
                String id = t.substring("$INCLUDE_TEMPFILE".length()).strip();
                List<String> inner = tempFiles.get(id);
                if (inner == null || depth > 8) {
                    throw new IOException(
                            "$INCLUDE_TEMPFILE "
                                    + id
                                    + ": no such TEMPFILE_CONTENTS (or includes nest too deep)");
                }
                out.addAll(expandIncludes(inner, depth + 1));
            } else {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * Reads the configuration block from {@code lines}, starting at {@code start}; returns the
     * config and sets {@code end[0]} to the index after {@code CONFIG_END}.
     */
    static RplConfig read(List<String> lines, int start, int[] end) throws IOException {
        StringBuilder text = new StringBuilder();
        Map<String, List<String>> temp = new LinkedHashMap<>();
        Map<String, List<String>> auto = new LinkedHashMap<>();
        List<String> cmd = new ArrayList<>();
        int i = start;
        boolean ended = false;
        while (i < lines.size()) {
            String raw = lines.get(i++);
            String t = raw.stripLeading();
            if (t.isEmpty() || t.startsWith(";")) {
                continue;
            }
            if (t.startsWith("CONFIG_END")) {
                ended = true;
                break;
            }
            if (t.startsWith("COMMANDLINE")) {
                for (String w : t.substring("COMMANDLINE".length()).strip().split("\\s+")) {
                    if (!w.isEmpty()) {
                        cmd.add(w);
                    }
                }
            } else if (t.startsWith("AUTOTRUST_FILE")) {
                String id = id(t, "AUTOTRUST_FILE", i);
                List<String> body = new ArrayList<>();
                i = spool(lines, i, "AUTOTRUST_END", body);
                auto.put(id, body);
                text.append(" server: auto-trust-anchor-file: \"")
                        .append(AUTOTRUST_PREFIX)
                        .append(id)
                        .append("\"\n");
            } else if (t.startsWith("TEMPFILE_NAME")) {
                text.append(" \"")
                        .append(TEMPFILE_PREFIX)
                        .append(id(t, "TEMPFILE_NAME", i))
                        .append("\"\n");
            } else if (t.startsWith("TEMPFILE_CONTENTS")) {
                String id = id(t, "TEMPFILE_CONTENTS", i);
                List<String> body = new ArrayList<>();
                i = spool(lines, i, "TEMPFILE_END", body);
                temp.put(id, body);
            } else {
                text.append(raw).append('\n');
            }
        }
        if (!ended) {
            throw new IOException("no CONFIG_END in the scenario (testbound requires it)");
        }
        end[0] = i;
        return new RplConfig(options(tokens(text.toString())), temp, auto, cmd);
    }

    private static String id(String line, String directive, int lineNo) throws IOException {
        String id = line.substring(directive.length()).strip();
        if (id.isEmpty()) {
            throw new IOException("line " + lineNo + ": " + directive + " needs an id");
        }
        return id;
    }

    /**
     * Copies lines up to the one starting (after white space) with {@code endMarker}; returns the
     * index after it.
     */
    private static int spool(List<String> lines, int i, String endMarker, List<String> into)
            throws IOException {
        while (i < lines.size()) {
            String l = lines.get(i++);
            if (l.stripLeading().startsWith(endMarker)) {
                return i;
            }
            into.add(l);
        }
        throw new IOException("no " + endMarker + " in the scenario");
    }

    /**
     * unbound.conf tokens: quoted strings (quotes removed, marked by a leading NUL) and bare words.
     */
    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                int close = text.indexOf(c, i + 1);
                if (close < 0) {
                    close = n;
                }
                out.add("\0" + text.substring(i + 1, close));
                i = close + 1;
            } else {
                int s = i;
                while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '#') {
                    i++;
                }
                String w = text.substring(s, i);
                int colon = w.indexOf(':');
                // "key:value" written without a space: the lexer splits after the colon
                // (an IPv6 address such as fd00::53 is not split: its first group is hex and a
                // colon follows)
                if (colon > 0
                        && colon < w.length() - 1
                        && KEY.matcher(w.substring(0, colon + 1)).matches()
                        && !w.substring(0, colon).matches("[0-9A-Fa-f]{1,4}")
                        && w.charAt(colon + 1) != ':') {
                    out.add(w.substring(0, colon + 1));
                    String v = w.substring(colon + 1);
                    boolean quoted =
                            v.length() >= 2
                                    && (v.charAt(0) == '"' || v.charAt(0) == '\'')
                                    && v.charAt(v.length() - 1) == v.charAt(0);
                    out.add(quoted ? "\0" + v.substring(1, v.length() - 1) : v);
                } else {
                    out.add(w);
                }
            }
        }
        return out;
    }

    /**
     * Groups tokens into options; a key without values opens a section ({@code server:}, {@code
     * stub-zone:}).
     */
    private static List<Option> options(List<String> tokens) {
        List<Option> out = new ArrayList<>();
        String section = "server";
        for (int i = 0; i < tokens.size(); ) {
            String t = tokens.get(i++);
            if (t.startsWith("\0") || !KEY.matcher(t).matches()) {
                continue; // a value without a key: unbound would refuse it; nothing to keep
            }
            String key = t.substring(0, t.length() - 1);
            List<String> values = new ArrayList<>();
            while (i < tokens.size()
                    && (tokens.get(i).startsWith("\0") || !KEY.matcher(tokens.get(i)).matches())) {
                String v = tokens.get(i++);
                values.add(v.startsWith("\0") ? v.substring(1) : v);
            }
            if (values.isEmpty()) {
                section = key;
                out.add(new Option(section, key, List.of()));
            } else {
                out.add(new Option(section, key, values));
            }
        }
        return out;
    }
}
