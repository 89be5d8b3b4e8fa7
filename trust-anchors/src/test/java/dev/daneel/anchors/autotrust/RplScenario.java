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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * One Unbound replay scenario read with the grammar of Unbound's own reader ({@code
 * testcode/replay.c}, {@code testcode/testpkts.c}, {@code testcode/testbound.c}), for the parts the
 * autotrust scenarios use.
 *
 * <p>The config block: {@code ;} comment lines, {@code AUTOTRUST_FILE id … AUTOTRUST_END} (the id
 * names the file only: the trust point is what the file's records say, see {@link
 * UnboundStateFile}), {@code TEMPFILE_CONTENTS … TEMPFILE_END}, {@code COMMANDLINE}, and {@code
 * unbound.conf} tokens, of which {@code val-override-date:} is read wherever its value sits. The
 * scenario: lines that are no keyword are ignored as testbound ignores them; ranges are kept in the
 * order testbound searches them, the last in the file first; entries take every {@code MATCH},
 * {@code REPLY} and {@code ADJUST} word testpkts knows (an unknown one is refused, as testpkts
 * refuses it), {@code ;}/{@code #} comments, {@code $ORIGIN}/{@code $TTL} for the rest of the file,
 * {@code EXTRA_PACKET} and {@code HEX_*} blocks; a record before any {@code SECTION} is a question;
 * steps take {@code ADDRESS} and {@code ELAPSE} after their event, and {@code CHECK_AUTOTRUST} its
 * {@code FILE_BEGIN … FILE_END} block.
 *
 * @param name the file name
 * @param valOverrideDate Unbound's {@code val-override-date}: the time signatures are checked at
 * @param autotrustFiles the initial autotrust files, by the id of their {@code AUTOTRUST_FILE}
 *     line, line by line
 * @param ranges canned answers by step range, in testbound's search order
 * @param steps the scenario's steps in file order
 * @param notes lines ignored as testbound ignores them
 */
record RplScenario(
        String name,
        Optional<Instant> valOverrideDate,
        Map<String, List<String>> autotrustFiles,
        List<Range> ranges,
        List<Step> steps,
        List<String> notes) {

    /** Canned answers for the steps {@code start..end}. */
    record Range(int start, int end, String address, List<Entry> entries) {
        boolean covers(int step) {
            return start <= step && step <= end;
        }
    }

    /** One {@code ENTRY_BEGIN ... ENTRY_END}: what it matches and the (first) message it holds. */
    record Entry(
            int line,
            List<String> match,
            List<String> reply,
            Map<String, List<Record>> sections,
            List<RecordLines.Question> questions) {

        /** The rcode named on the REPLY line (NOERROR if none). */
        int rcode() {
            int rcode = Rcode.NOERROR;
            for (String r : reply) {
                if (Parser.RCODES.contains(r)) {
                    rcode = Rcode.value(r);
                }
            }
            return rcode;
        }

        boolean flag(String f) {
            return reply.contains(f);
        }

        /** The records of a section. */
        List<Record> records(String section) {
            return sections.getOrDefault(section, List.of());
        }

        Optional<RecordLines.Question> question() {
            return questions.isEmpty() ? Optional.empty() : Optional.of(questions.get(0));
        }

        /**
         * Whether Unbound's probe or lookup for {@code name}/{@code type} (UDP, EDNS with DO)
         * matches, as testpkts' {@code find_match} decides keyword by keyword; an entry without
         * MATCH words matches all.
         */
        boolean matches(Name name, int type) {
            Optional<RecordLines.Question> q = question();
            for (String m : match) {
                boolean ok =
                        switch (m) {
                            case "qname" -> q.isPresent() && q.get().name().equals(name);
                            case "qtype" -> q.isPresent() && q.get().type() == type;
                            case "subdomain" -> q.isPresent() && name.subdomain(q.get().name());
                            case "question" ->
                                    q.isPresent()
                                            && q.get().name().equals(name)
                                            && q.get().type() == type;
                            case "rcode" -> rcode() == Rcode.NOERROR;
                            case "answer" -> records("ANSWER").isEmpty();
                            case "opcode" ->
                                    !reply.contains("IQUERY")
                                            && !reply.contains("STATUS")
                                            && !reply.contains("NOTIFY")
                                            && !reply.contains("UPDATE");
                            case "TCP",
                                    "noedns",
                                    "CO",
                                    "ednsdata",
                                    "client_cookie",
                                    "server_cookie",
                                    "ede",
                                    "all",
                                    "all_noedns" ->
                                    false;
                            default -> true; // UDP, DO, ttl, serial (0 in a query)
                        };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * One {@code STEP n TYPE args}, with the {@code ENTRY} or {@code FILE_BEGIN ... FILE_END} block
     * after it and the seconds of an {@code ELAPSE}.
     */
    record Step(
            int number,
            String type,
            String args,
            Optional<Entry> entry,
            List<String> file,
            int line,
            double elapse) {}

    static RplScenario read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        return parse(file.getFileName().toString(), lines);
    }

    static RplScenario parse(String name, List<String> lines) {
        return new Parser(name, lines).parse();
    }

    private static final class Parser {
        private static final List<String> EVENTS =
                List.of(
                        "NOTHING",
                        "QUERY",
                        "CHECK_ANSWER",
                        "CHECK_OUT_QUERY",
                        "REPLY",
                        "TIMEOUT",
                        "TIME_PASSES",
                        "CHECK_AUTOTRUST",
                        "CHECK_TEMPFILE",
                        "ERROR",
                        "TRAFFIC",
                        "ASSIGN",
                        "INFRA_RTT",
                        "FLUSH_MESSAGE",
                        "EXPIRE_MESSAGE");
        private static final Set<String> WITH_ENTRY =
                Set.of("QUERY", "CHECK_ANSWER", "CHECK_OUT_QUERY", "REPLY");
        private static final List<String> MATCH_WORDS =
                List.of(
                        "opcode",
                        "qtype",
                        "qname",
                        "rcode",
                        "question",
                        "answer",
                        "subdomain",
                        "all_noedns",
                        "all",
                        "ttl",
                        "DO",
                        "CO",
                        "noedns",
                        "ednsdata",
                        "client_cookie",
                        "server_cookie",
                        "UDP",
                        "TCP",
                        "serial",
                        "ede");
        private static final List<String> ADJUST_WORDS =
                List.of(
                        "copy_id",
                        "copy_query",
                        "copy_ednsdata_assume_clientsubnet",
                        "increment_ecs_scope",
                        "sleep=",
                        "packet_sleep=");

        /**
         * What a TEMPFILE_NAME puts where the file name goes (testbound writes the temp file's path
         * there).
         */
        private static final String TEMPFILE = "tempfile:";

        static final List<String> RCODES =
                List.of(
                        "NOERROR",
                        "FORMERR",
                        "SERVFAIL",
                        "NXDOMAIN",
                        "NOTIMPL",
                        "REFUSED",
                        "YXDOMAIN",
                        "YXRRSET",
                        "NXRRSET",
                        "NOTAUTH",
                        "NOTZONE");
        private static final List<String> REPLY_WORDS =
                List.of(
                        "QUERY", "IQUERY", "STATUS", "NOTIFY", "UPDATE", "QR", "AA", "TC", "RD",
                        "CD", "RA", "AD", "DO", "CO");

        private final String name;
        private final List<String> lines;
        private final RecordLines records = new RecordLines();
        private final List<String> notes = new ArrayList<>();
        private int i;

        Parser(String name, List<String> lines) {
            this.name = name;
            this.lines = lines;
        }

        RplScenario parse() {
            Optional<Instant> override = Optional.empty();
            Map<String, List<String>> autotrust = new LinkedHashMap<>();
            Map<String, List<String>> temp = new LinkedHashMap<>();
            StringBuilder config = new StringBuilder();
            boolean ended = false;
            while (i < lines.size()) {
                String t = lines.get(i++).stripLeading();
                if (t.isEmpty() || t.startsWith(";")) {
                    continue;
                }
                if (t.startsWith("CONFIG_END")) {
                    ended = true;
                    break;
                }
                if (t.startsWith("AUTOTRUST_FILE")) {
                    autotrust.put(
                            t.substring("AUTOTRUST_FILE".length()).strip(), spool("AUTOTRUST_END"));
                } else if (t.startsWith("TEMPFILE_CONTENTS")) {
                    temp.put(
                            t.substring("TEMPFILE_CONTENTS".length()).strip(),
                            spool("TEMPFILE_END"));
                } else if (t.startsWith("TEMPFILE_NAME")) {
                    // testbound writes the file's name where the option's value goes
                    config.append(TEMPFILE)
                            .append(t.substring("TEMPFILE_NAME".length()).strip())
                            .append('\n');
                } else if (!t.startsWith("COMMANDLINE")) {
                    config.append(t.replaceAll("#.*$", "")).append('\n');
                }
            }
            if (!ended) {
                throw error("no CONFIG_END (testbound requires it)");
            }
            List<String> tokens = RecordLines.words(config.toString());
            for (int k = 0; k + 1 < tokens.size(); k++) {
                String value = tokens.get(k + 1).replace("\"", "").replace("'", "");
                if (tokens.get(k).equals("val-override-date:")) {
                    override = date(value);
                } else if (tokens.get(k).equals("auto-trust-anchor-file:")
                        && value.startsWith(TEMPFILE)) {
                    // an autotrust file spooled as a temp file: CHECK_TEMPFILE then names it
                    String id = value.substring(TEMPFILE.length());
                    List<String> content = temp.get(id);
                    if (content == null) {
                        throw error("TEMPFILE_NAME " + id + " has no TEMPFILE_CONTENTS");
                    }
                    autotrust.put(id, content);
                }
            }
            List<Range> ranges = new ArrayList<>();
            List<Step> steps = new ArrayList<>();
            boolean done = false;
            while (i < lines.size() && !done) {
                int lineNo = i + 1;
                String t = lines.get(i++).stripLeading();
                if (t.isEmpty() || t.startsWith(";") || t.startsWith("SCENARIO_BEGIN")) {
                    continue;
                }
                if (t.startsWith("RANGE_BEGIN")) {
                    range(RecordLines.words(t.substring(11)), ranges);
                } else if (t.startsWith("STEP")) {
                    Step s = step(t.substring(4), lineNo);
                    if (!steps.isEmpty() && steps.get(steps.size() - 1).number() >= s.number()) {
                        throw error(
                                "STEP " + s.number() + " goes back in time (testbound refuses it)");
                    }
                    steps.add(s);
                } else if (t.startsWith("SCENARIO_END")) {
                    done = true;
                } else {
                    notes.add(
                            "line " + lineNo + ": ignored, as testbound ignores it: " + t.strip());
                }
            }
            return new RplScenario(name, override, autotrust, ranges, steps, notes);
        }

        private static Optional<Instant> date(String v) {
            if (v.equals("-1") || v.isEmpty()) {
                return Optional.empty();
            }
            if (v.length() == 14) {
                return Optional.of(
                        LocalDateTime.parse(v, DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                                .toInstant(ZoneOffset.UTC));
            }
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(v)));
        }

        private List<String> spool(String end) {
            List<String> out = new ArrayList<>();
            while (i < lines.size()) {
                String l = lines.get(i++);
                if (l.stripLeading().startsWith(end)) {
                    return out;
                }
                out.add(l);
            }
            throw error("no " + end);
        }

        private void range(List<String> w, List<Range> ranges) {
            if (w.size() < 2) {
                throw error("RANGE_BEGIN needs a start and an end step");
            }
            int start = Integer.parseInt(w.get(0));
            int end = Integer.parseInt(w.get(1));
            String address = "";
            List<Entry> entries = new ArrayList<>();
            while (i < lines.size()) {
                int lineNo = i + 1;
                String t = lines.get(i).stripLeading();
                if (t.isEmpty() || t.startsWith(";")) {
                    i++;
                } else if (t.startsWith("RANGE_END")) {
                    i++;
                    ranges.add(0, new Range(start, end, address, entries)); // testbound prepends
                    return;
                } else if (t.startsWith("RANGE_BEGIN")) {
                    notes.add("line " + lineNo + ": RANGE_BEGIN inside a range closes it");
                    ranges.add(0, new Range(start, end, address, entries));
                    return;
                } else if (t.startsWith("ADDRESS")) {
                    i++;
                    address = t.substring(7).strip();
                } else {
                    entry(true).ifPresent(entries::add);
                }
            }
            throw error("RANGE_BEGIN without RANGE_END");
        }

        /**
         * testpkts' read_entry: comments and $ORIGIN/$TTL, then one entry; empty when the next line
         * starts none.
         */
        private Optional<Entry> entry(boolean inRange) {
            while (i < lines.size()) {
                int lineNo = i + 1;
                String t = lines.get(i).stripLeading();
                if (t.isEmpty() || t.startsWith(";") || t.startsWith("#")) {
                    i++;
                } else if (t.startsWith("ENTRY_BEGIN")) {
                    i++;
                    return Optional.of(entryBody(lineNo));
                } else if (t.startsWith("$ORIGIN")) {
                    i++;
                    records.origin(t.substring(7));
                } else if (t.startsWith("$TTL")) {
                    i++;
                    records.ttl(t.substring(4));
                } else {
                    if (inRange) {
                        i++;
                        notes.add(
                                "line "
                                        + lineNo
                                        + ": ignored a line outside any entry: "
                                        + t.strip());
                    }
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }

        private Entry entryBody(int startLine) {
            List<String> match = new ArrayList<>();
            List<String> reply = new ArrayList<>();
            Map<String, List<Record>> sections = new LinkedHashMap<>();
            List<RecordLines.Question> questions = new ArrayList<>();
            String section = "QUESTION";
            boolean extra =
                    false; // after EXTRA_PACKET: later packets of a TCP stream, not the reply to a
            // probe
            boolean hex = false;
            while (i < lines.size()) {
                String t = lines.get(i++).stripLeading();
                if (t.isEmpty() || t.startsWith(";") || t.startsWith("#")) {
                    continue;
                }
                String rest = t.replaceAll("[;#].*$", "");
                if (t.startsWith("ENTRY_BEGIN")) {
                    throw error("ENTRY_BEGIN inside an entry (testbound refuses it)");
                } else if (t.startsWith("$ORIGIN")) {
                    records.origin(t.substring(7));
                } else if (t.startsWith("$TTL")) {
                    records.ttl(t.substring(4));
                } else if (t.startsWith("MATCH")) {
                    for (String w : RecordLines.words(rest.substring(5))) {
                        String k =
                                MATCH_WORDS.stream()
                                        .filter(w::startsWith)
                                        .findFirst()
                                        .orElseThrow(
                                                () ->
                                                        error(
                                                                "could not parse MATCH '"
                                                                        + w
                                                                        + "' (testpkts refuses it)"));
                        match.add(k);
                    }
                } else if (t.startsWith("REPLY")) {
                    for (String w : RecordLines.words(rest.substring(5))) {
                        if (!RCODES.contains(w) && !REPLY_WORDS.contains(w)) {
                            throw error("could not parse REPLY '" + w + "' (testpkts refuses it)");
                        }
                        if (!extra) {
                            reply.add(w);
                        }
                    }
                } else if (t.startsWith("ADJUST")) {
                    for (String w : RecordLines.words(rest.substring(6))) {
                        if (ADJUST_WORDS.stream().noneMatch(w::startsWith)) {
                            throw error("could not parse ADJUST '" + w + "' (testpkts refuses it)");
                        }
                    }
                } else if (t.startsWith("EXTRA_PACKET")) {
                    extra = true;
                } else if (t.startsWith("SECTION")) {
                    String s = rest.substring(7).strip();
                    section =
                            List.of("QUESTION", "ANSWER", "AUTHORITY", "ADDITIONAL").stream()
                                    .filter(s::startsWith)
                                    .findFirst()
                                    .orElseThrow(() -> error("bad section " + s));
                } else if (t.startsWith("HEX_ANSWER_BEGIN") || t.startsWith("HEX_EDNSDATA_BEGIN")) {
                    hex = true;
                } else if (t.startsWith("HEX_ANSWER_END") || t.startsWith("HEX_EDNSDATA_END")) {
                    hex = false;
                    notes.add(
                            "line "
                                    + i
                                    + ": a HEX block is not used by this harness (probes read the sections)");
                } else if (hex) {
                    continue;
                } else if (t.startsWith("ENTRY_END")) {
                    return new Entry(startLine, match, reply, sections, questions);
                } else if (extra) {
                    continue;
                } else if (section.equals("QUESTION")) {
                    questions.add(records.questionLine(t));
                } else {
                    try {
                        sections.computeIfAbsent(section, x -> new ArrayList<>())
                                .add(records.record(t));
                    } catch (IllegalArgumentException e) {
                        // ldns read it, dnsjava cannot hold it: left out visibly, as a scrubber
                        // drops a malformed record
                        notes.add(
                                "line "
                                        + i
                                        + ": dropped a record dnsjava cannot hold: "
                                        + e.getMessage());
                    }
                }
            }
            throw error("ENTRY_BEGIN of line " + startLine + " without ENTRY_END");
        }

        private Step step(String rest, int lineNo) {
            String r = rest.stripLeading();
            int sp = 0;
            while (sp < r.length() && Character.isDigit(r.charAt(sp))) {
                sp++;
            }
            if (sp == 0) {
                throw error("STEP without a number");
            }
            int number = Integer.parseInt(r.substring(0, sp));
            String after = r.substring(sp).stripLeading();
            String type =
                    EVENTS.stream()
                            .filter(after::startsWith)
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            error(
                                                    "unknown event type (testbound refuses it): "
                                                            + after));
            String args = RecordLines.stripComment(after.substring(type.length())).strip();
            double elapse = 0;
            if (!type.equals("TIME_PASSES") || !args.startsWith("EVAL")) {
                List<String> w = RecordLines.words(args);
                for (int k = 0; k + 1 < w.size(); k++) {
                    if (w.get(k).equals("ELAPSE")) {
                        elapse = Double.parseDouble(w.get(k + 1));
                    }
                }
            }
            Optional<Entry> entry = Optional.empty();
            List<String> file = new ArrayList<>();
            if (WITH_ENTRY.contains(type)) {
                entry = entry(false);
            } else if (type.equals("CHECK_AUTOTRUST") || type.equals("CHECK_TEMPFILE")) {
                while (i < lines.size() && lines.get(i).isBlank()) {
                    i++;
                }
                if (i >= lines.size() || !lines.get(i).stripLeading().startsWith("FILE_BEGIN")) {
                    throw error("FILE_BEGIN expected after " + type);
                }
                i++;
                while (i < lines.size() && !lines.get(i).startsWith("FILE_END")) {
                    file.add(lines.get(i++).stripTrailing());
                }
                i++;
            }
            return new Step(number, type, args, entry, file, lineNo, elapse);
        }

        private IllegalArgumentException error(String message) {
            return new IllegalArgumentException(name + ":" + i + ": " + message);
        }
    }
}
