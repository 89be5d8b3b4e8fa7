package dev.daneel.anchors.autotrust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * One Unbound replay scenario ({@code testcode/replay.h}, {@code testcode/testpkts.h}) as far as the
 * autotrust scenarios use it: the config block with {@code AUTOTRUST_FILE} and {@code val-override-date},
 * the canned answers ({@code RANGE_BEGIN}/{@code ENTRY_BEGIN}) and the steps.
 *
 * @param name the file name
 * @param valOverrideDate Unbound's {@code val-override-date}: the time signatures are checked at
 * @param autotrustFiles the initial autotrust file of each trust point, by zone, line by line
 * @param ranges canned answers by step range
 * @param steps the scenario's steps in file order
 */
record RplScenario(String name, Optional<Instant> valOverrideDate, Map<Name, List<String>> autotrustFiles,
        List<Range> ranges, List<Step> steps) {

    /** Canned answers for the steps {@code start..end}. */
    record Range(int start, int end, String address, List<Entry> entries) {
        boolean covers(int step) {
            return start <= step && step <= end;
        }
    }

    /** One {@code ENTRY_BEGIN ... ENTRY_END}: what it matches and the message it holds. */
    record Entry(int line, List<String> match, List<String> reply, Map<String, List<String>> sections) {

        /** The rcode named on the REPLY line (NOERROR if none). */
        int rcode() {
            for (String r : reply) {
                int v = Rcode.value(r);
                if (v >= 0 && !r.equals("QR") && !r.equals("AA")) {
                    return v;
                }
            }
            return Rcode.NOERROR;
        }

        boolean flag(String f) {
            return reply.contains(f);
        }

        /** The records of a section; the QUESTION section's lines are questions (owner, class, type). */
        List<Record> records(String section) {
            List<Record> out = new ArrayList<>();
            for (String l : sections.getOrDefault(section, List.of())) {
                out.add(RecordLines.parse(l));
            }
            return out;
        }

        Optional<RecordLines.Question> question() {
            List<String> q = sections.getOrDefault("QUESTION", List.of());
            return q.isEmpty() ? Optional.empty() : Optional.of(RecordLines.question(q.get(0)));
        }
    }

    /**
     * One {@code STEP n TYPE args}, with the {@code ENTRY} or {@code FILE_BEGIN ... FILE_END} block after it.
     */
    record Step(int number, String type, String args, Optional<Entry> entry, List<String> file, int line) {
    }

    static RplScenario read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return new Parser(file.getFileName().toString(), lines).parse();
    }

    private static final class Parser {
        private final String name;
        private final List<String> lines;
        private int i;

        Parser(String name, List<String> lines) {
            this.name = name;
            this.lines = lines;
        }

        RplScenario parse() {
            Optional<Instant> override = Optional.empty();
            Map<Name, List<String>> autotrust = new LinkedHashMap<>();
            // config block
            while (i < lines.size()) {
                String l = lines.get(i++);
                String t = l.strip();
                if (t.equals("CONFIG_END")) {
                    break;
                }
                if (t.startsWith("val-override-date:")) {
                    String v = t.substring(t.indexOf(':') + 1).strip().replace("'", "").replace("\"", "");
                    override = Optional.of(LocalDateTime.parse(v, DateTimeFormatter.ofPattern("yyyyMMddHHmmss")).toInstant(ZoneOffset.UTC));
                } else if (t.startsWith("AUTOTRUST_FILE")) {
                    Name zone = name(t.substring("AUTOTRUST_FILE".length()).strip());
                    List<String> content = new ArrayList<>();
                    while (i < lines.size() && !lines.get(i).strip().equals("AUTOTRUST_END")) {
                        content.add(lines.get(i++));
                    }
                    i++;
                    autotrust.put(zone, content);
                }
            }
            List<Range> ranges = new ArrayList<>();
            List<Step> steps = new ArrayList<>();
            while (i < lines.size()) {
                int lineNo = i + 1;
                String t = stripComment(lines.get(i++)).strip();
                if (t.isEmpty() || t.startsWith("SCENARIO_BEGIN") || t.equals("SCENARIO_END")) {
                    continue;
                }
                String[] w = t.split("\\s+", 4);
                if (w[0].equals("RANGE_BEGIN")) {
                    ranges.add(range(Integer.parseInt(w[1]), Integer.parseInt(w[2])));
                } else if (w[0].equals("STEP")) {
                    steps.add(step(Integer.parseInt(w[1]), w[2], w.length > 3 ? w[3] : "", lineNo));
                } else {
                    throw new IllegalArgumentException(name + ":" + lineNo + ": unexpected '" + t + "'");
                }
            }
            return new RplScenario(name, override, autotrust, ranges, steps);
        }

        private Range range(int start, int end) {
            String address = "";
            List<Entry> entries = new ArrayList<>();
            while (i < lines.size()) {
                int lineNo = i + 1;
                String t = stripComment(lines.get(i++)).strip();
                if (t.equals("RANGE_END")) {
                    return new Range(start, end, address, entries);
                } else if (t.startsWith("ADDRESS")) {
                    address = t.substring(7).strip();
                } else if (t.equals("ENTRY_BEGIN")) {
                    entries.add(entry(lineNo));
                } else if (!t.isEmpty()) {
                    throw new IllegalArgumentException(name + ":" + lineNo + ": unexpected '" + t + "' in a range");
                }
            }
            throw new IllegalArgumentException(name + ": RANGE_BEGIN without RANGE_END");
        }

        private Entry entry(int startLine) {
            List<String> match = new ArrayList<>();
            List<String> reply = new ArrayList<>();
            Map<String, List<String>> sections = new LinkedHashMap<>();
            String section = null;
            while (i < lines.size()) {
                String t = stripComment(lines.get(i++)).strip();
                if (t.equals("ENTRY_END")) {
                    return new Entry(startLine, match, reply, sections);
                }
                if (t.isEmpty()) {
                    continue;
                }
                String[] w = t.split("\\s+");
                switch (w[0]) {
                    case "MATCH":
                        match.addAll(List.of(w).subList(1, w.length));
                        break;
                    case "REPLY":
                        reply.addAll(List.of(w).subList(1, w.length));
                        break;
                    case "ADJUST":
                        break;
                    case "SECTION":
                        section = w[1].toUpperCase(Locale.ROOT);
                        sections.computeIfAbsent(section, s -> new ArrayList<>());
                        break;
                    default:
                        if (section == null) {
                            throw new IllegalArgumentException(name + ":" + i + ": record outside a SECTION: " + t);
                        }
                        sections.get(section).add(t);
                }
            }
            throw new IllegalArgumentException(name + ": ENTRY_BEGIN without ENTRY_END");
        }

        private Step step(int number, String type, String rawArgs, int lineNo) {
            String args = stripComment(rawArgs).strip();
            Optional<Entry> entry = Optional.empty();
            List<String> file = new ArrayList<>();
            // an ENTRY or FILE block may follow, possibly after comments
            int save = i;
            while (i < lines.size()) {
                String t = stripComment(lines.get(i)).strip();
                if (t.isEmpty()) {
                    i++;
                    continue;
                }
                if (t.equals("ENTRY_BEGIN")) {
                    i++;
                    entry = Optional.of(entry(i));
                    return new Step(number, type, args, entry, file, lineNo);
                }
                if (t.equals("FILE_BEGIN")) {
                    i++;
                    while (i < lines.size() && !lines.get(i).strip().equals("FILE_END")) {
                        file.add(lines.get(i++));
                    }
                    i++;
                    return new Step(number, type, args, entry, file, lineNo);
                }
                break;
            }
            i = save;
            return new Step(number, type, args, entry, file, lineNo);
        }

        private static String stripComment(String l) {
            // a ';' starts a comment in replay files, except inside FILE blocks (handled separately)
            int semi = l.indexOf(';');
            return semi >= 0 ? l.substring(0, semi) : l;
        }

        private static Name name(String s) {
            try {
                return Name.fromString(s, Name.root);
            } catch (TextParseException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
