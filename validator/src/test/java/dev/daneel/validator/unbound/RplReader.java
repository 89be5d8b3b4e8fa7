package dev.daneel.validator.unbound;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Reads a replay file into an {@link RplScenario} with the grammar of Unbound's own reader:
 * testbound's {@code replay_scenario_read}, {@code replay_range_read} and {@code
 * replay_moment_read} for the scenario, testpkts' {@code read_entry} for the entries (see {@link
 * RplScenario} for what it tolerates). One use per file; not thread-safe.
 */
final class RplReader {
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

    /** MATCH keywords, in the order testpkts tries them (it compares prefixes). */
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
    private static final List<String> OPCODES =
            List.of("QUERY", "IQUERY", "STATUS", "NOTIFY", "UPDATE");
    private static final List<String> RCODES =
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
    private static final List<String> FLAGS = List.of("QR", "AA", "TC", "RD", "CD", "RA", "AD");

    private final String file;
    private final Path directory;
    private final List<String> lines;
    private int pos;
    private final RplRecords records = new RplRecords();
    private final List<RplScenario.Range> ranges = new ArrayList<>();
    private final List<RplScenario.Step> steps = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String title;

    RplReader(String file, Path directory, List<String> lines) {
        this.file = file;
        this.directory = directory;
        this.lines = lines;
    }

    RplScenario parse() throws IOException {
        int[] end = {0};
        RplConfig config = RplConfig.read(lines, 0, end);
        pos = end[0];
        boolean done = false;
        while (pos < lines.size() && !done) {
            int lineNo = pos + 1;
            String t = lines.get(pos++).stripLeading();
            if (t.isEmpty() || t.startsWith(";")) {
                continue;
            }
            if (t.startsWith("SCENARIO_BEGIN")) {
                if (title != null) {
                    throw error("a second SCENARIO_BEGIN (testbound refuses it)");
                }
                title = t.substring("SCENARIO_BEGIN".length()).strip();
            } else if (t.startsWith("RANGE_BEGIN")) {
                range(t.substring("RANGE_BEGIN".length()));
            } else if (t.startsWith("STEP")) {
                step(t.substring("STEP".length()), lineNo);
            } else if (t.startsWith("SCENARIO_END")) {
                done = true;
            } else {
                notes.add("line " + lineNo + ": ignored, as testbound ignores it: " + t.strip());
            }
        }
        if (!done) {
            throw error("no SCENARIO_END (testbound refuses the file)");
        }
        notes.addAll(0, records.notes());
        return new RplScenario(
                file, directory, title == null ? "" : title, config, ranges, steps, notes);
    }

    private void range(String rest) throws IOException {
        List<String> w = RplRecords.words(rest);
        if (w.size() < 2) {
            throw error("RANGE_BEGIN needs a start and an end step: " + rest);
        }
        int start = Integer.parseInt(w.get(0));
        int end = Integer.parseInt(w.get(1));
        String address = null;
        List<RplScenario.Entry> entries = new ArrayList<>();
        while (pos < lines.size()) {
            int lineNo = pos + 1;
            String t = lines.get(pos).stripLeading();
            if (t.isEmpty() || t.startsWith(";")) {
                pos++;
                continue;
            }
            if (t.startsWith("ADDRESS")) {
                pos++;
                address = RplScenario.canonicalAddress(t.substring("ADDRESS".length()));
            } else if (t.startsWith("RANGE_END")) {
                pos++;
                addRange(start, end, address, entries);
                return;
            } else if (t.startsWith("RANGE_BEGIN")) {
                notes.add(
                        "line "
                                + lineNo
                                + ": RANGE_BEGIN inside a range closes the range of steps "
                                + start
                                + "-"
                                + end);
                addRange(start, end, address, entries);
                return;
            } else {
                RplScenario.Entry e = entry(true);
                if (e != null) {
                    entries.add(e);
                }
            }
        }
        throw error("RANGE_BEGIN " + start + " " + end + " without RANGE_END");
    }

    private void addRange(int start, int end, String address, List<RplScenario.Entry> entries) {
        ranges.add(
                0,
                new RplScenario.Range(
                        start, end, address, List.copyOf(entries))); // testbound prepends
    }

    private void step(String rest, int lineNo) throws IOException {
        String r = rest.stripLeading();
        int sp = 0;
        while (sp < r.length()
                && (Character.isDigit(r.charAt(sp)) || sp == 0 && r.charAt(sp) == '-')) {
            sp++;
        }
        if (sp == 0) {
            throw error("STEP without a number: " + rest);
        }
        int number = Integer.parseInt(r.substring(0, sp));
        r = r.substring(sp).stripLeading();
        String kind = null;
        for (String e : EVENTS) {
            if (r.startsWith(e)) {
                kind = e;
                break;
            }
        }
        if (kind == null) {
            throw error("unknown event type (testbound refuses it): " + r);
        }
        r = r.substring(kind.length());
        String args = "";
        String variable = null;
        switch (kind) {
            case "TIME_PASSES" -> {
                String s = r.stripLeading();
                if (s.startsWith("EVAL")) {
                    args = s.substring(4).strip();
                    r = "";
                }
            }
            case "ASSIGN" -> {
                String s = r.strip();
                int eq = s.indexOf('=');
                if (eq < 0) {
                    throw error("no '=' in ASSIGN: " + s);
                }
                variable = s.substring(0, eq).strip();
                args = s.substring(eq + 1).strip();
                r = "";
            }
            case "CHECK_AUTOTRUST",
                    "CHECK_TEMPFILE",
                    "FLUSH_MESSAGE",
                    "EXPIRE_MESSAGE",
                    "INFRA_RTT" -> {
                args = r.strip();
                r = "";
            }
            default -> {}
        }
        String address = null;
        double elapse = 0;
        List<String> w = RplRecords.words(RplRecords.stripComment(r));
        for (int i = 0; i < w.size(); i++) {
            if (w.get(i).startsWith("ADDRESS") && i + 1 < w.size()) {
                address = RplScenario.canonicalAddress(w.get(++i));
            } else if (w.get(i).startsWith("ELAPSE") && i + 1 < w.size()) {
                elapse = Double.parseDouble(w.get(++i));
            }
        }
        RplScenario.Entry entry = null;
        List<String> fileLines = List.of();
        if (WITH_ENTRY.contains(kind)) {
            entry = entry(false);
            if (entry == null) {
                notes.add("line " + lineNo + ": STEP " + number + " " + kind + " has no entry");
            }
        } else if (kind.equals("CHECK_AUTOTRUST") || kind.equals("CHECK_TEMPFILE")) {
            fileLines = fileContent();
        }
        if (!steps.isEmpty() && steps.get(steps.size() - 1).number() >= number) {
            throw error(
                    "STEP "
                            + number
                            + " does not come after STEP "
                            + steps.get(steps.size() - 1).number()
                            + " (testbound refuses time going backwards)");
        }
        steps.add(
                new RplScenario.Step(
                        number, kind, args, variable, address, elapse, entry, fileLines));
    }

    /** {@code FILE_BEGIN} on the next line, then lines until one starting with {@code FILE_END}. */
    private List<String> fileContent() throws IOException {
        while (pos < lines.size() && lines.get(pos).isBlank()) {
            pos++;
        }
        if (pos >= lines.size() || !lines.get(pos).stripLeading().startsWith("FILE_BEGIN")) {
            throw error("FILE_BEGIN expected");
        }
        pos++;
        List<String> out = new ArrayList<>();
        while (pos < lines.size()) {
            String l = lines.get(pos++);
            if (l.startsWith("FILE_END")) {
                return out;
            }
            out.add(l.stripTrailing());
        }
        throw error("no FILE_END");
    }

    /**
     * testpkts' {@code read_entry}: skips comments, applies {@code $ORIGIN}/{@code $TTL}, reads one
     * entry. Inside a range a line that starts no entry is ignored with a note; after a STEP it
     * means the step has no entry (null, and the line is left for the scenario reader).
     */
    private RplScenario.Entry entry(boolean inRange) throws IOException {
        RplScenario.Entry current = null;
        while (pos < lines.size()) {
            int lineNo = pos + 1;
            String t = lines.get(pos).stripLeading();
            if (t.isEmpty() || t.startsWith(";") || t.startsWith("#")) {
                pos++;
                continue;
            }
            if (t.startsWith("ENTRY_BEGIN")) {
                pos++;
                return entryBody(lineNo);
            }
            if (t.startsWith("$ORIGIN")) {
                pos++;
                records.origin(t.substring(7));
                continue;
            }
            if (t.startsWith("$TTL")) {
                pos++;
                records.ttl(t.substring(4));
                continue;
            }
            if (!inRange) {
                return current;
            }
            pos++;
            notes.add("line " + lineNo + ": ignored a line outside any entry: " + t.strip());
            return null;
        }
        return current;
    }

    private RplScenario.Entry entryBody(int startLine) throws IOException {
        Set<String> match = new LinkedHashSet<>();
        Integer ede = null;
        long serial = 0;
        Set<String> adjust = new LinkedHashSet<>();
        List<RplScenario.Packet> packets = new ArrayList<>();
        PacketBuilder pkt = new PacketBuilder();
        List<?> section = pkt.questions;
        StringBuilder hex = null;
        StringBuilder ednsHex = null;
        while (pos < lines.size()) {
            int lineNo = pos + 1;
            String raw = lines.get(pos++);
            String t = raw.stripLeading();
            if (t.isEmpty() || t.startsWith(";") || t.startsWith("#")) {
                continue;
            }
            if (t.startsWith("ENTRY_BEGIN")) {
                throw error(
                        "ENTRY_BEGIN inside the entry of line "
                                + startLine
                                + " (testbound refuses it)");
            } else if (t.startsWith("$ORIGIN")) {
                records.origin(t.substring(7));
            } else if (t.startsWith("$TTL")) {
                records.ttl(t.substring(4));
            } else if (t.startsWith("MATCH")) {
                for (String word : keywordWords(t.substring(5))) {
                    String k = prefix(word, MATCH_WORDS);
                    if (k == null) {
                        throw error("could not parse MATCH '" + word + "' (testbound refuses it)");
                    }
                    match.add(k);
                    String v = word.length() > k.length() ? word.substring(k.length() + 1) : "";
                    if (k.equals("ede")) {
                        ede = v.equals("any") ? -1 : Integer.parseInt(v);
                    } else if (k.equals("serial")) {
                        serial = Long.parseLong(v);
                    }
                }
            } else if (t.startsWith("REPLY")) {
                for (String word : keywordWords(t.substring(5))) {
                    if (OPCODES.contains(word)) {
                        pkt.opcode = Opcode.value(word);
                    } else if (RCODES.contains(word)) {
                        pkt.rcode = Rcode.value(word);
                    } else if (FLAGS.contains(word)) {
                        pkt.flags.add(word);
                    } else if (word.equals("DO")) {
                        pkt.dnssecOk = true;
                    } else if (word.equals("CO")) {
                        pkt.co = true;
                    } else {
                        throw error("could not parse REPLY '" + word + "' (testbound refuses it)");
                    }
                }
            } else if (t.startsWith("ADJUST")) {
                for (String word : keywordWords(t.substring(6))) {
                    String k = prefix(word, ADJUST_WORDS);
                    if (k == null) {
                        throw error("could not parse ADJUST '" + word + "' (testbound refuses it)");
                    }
                    adjust.add(k.endsWith("=") ? k.substring(0, k.length() - 1) : k);
                }
            } else if (t.startsWith("EXTRA_PACKET")) {
                packets.add(pkt.build());
                pkt = new PacketBuilder();
                section = pkt.questions;
            } else if (t.startsWith("SECTION")) {
                String s = t.substring(7).strip();
                section =
                        s.startsWith("QUESTION")
                                ? pkt.questions
                                : s.startsWith("ANSWER")
                                        ? pkt.answer
                                        : s.startsWith("AUTHORITY")
                                                ? pkt.authority
                                                : s.startsWith("ADDITIONAL")
                                                        ? pkt.additional
                                                        : null;
                if (section == null) {
                    throw error("bad section " + s);
                }
            } else if (t.startsWith("HEX_ANSWER_BEGIN")) {
                hex = new StringBuilder();
            } else if (t.startsWith("HEX_ANSWER_END")) {
                if (hex == null) {
                    throw error("HEX_ANSWER_END without HEX_ANSWER_BEGIN");
                }
                pkt.hex(hexBytes(hex), lineNo);
                hex = null;
            } else if (hex != null) {
                hex.append(RplRecords.stripComment(t));
            } else if (t.startsWith("HEX_EDNSDATA_BEGIN")) {
                ednsHex = new StringBuilder();
            } else if (t.startsWith("HEX_EDNSDATA_END")) {
                if (ednsHex == null) {
                    throw error("HEX_EDNSDATA_END without HEX_EDNSDATA_BEGIN");
                }
                pkt.ednsData = hexBytes(ednsHex).length > 0;
                ednsHex = null;
            } else if (ednsHex != null) {
                ednsHex.append(RplRecords.stripComment(t));
            } else if (t.startsWith("ENTRY_END")) {
                packets.add(pkt.build());
                return new RplScenario.Entry(
                        startLine, match, ede, serial, adjust, List.copyOf(packets));
            } else {
                StringBuilder rr = new StringBuilder(t);
                while (open(rr) && pos < lines.size()) {
                    rr.append(' ').append(RplRecords.stripComment(lines.get(pos++)).strip());
                }
                if (section == pkt.questions) {
                    pkt.questions.add(records.question(rr.toString()));
                } else {
                    Record r = records.record(rr.toString(), lineNo);
                    if (r != null) {
                        @SuppressWarnings("unchecked")
                        List<Record> into = (List<Record>) section;
                        into.add(r);
                    }
                }
            }
        }
        throw error("ENTRY_BEGIN of line " + startLine + " without ENTRY_END");
    }

    /**
     * The white-space separated words of a keyword line, up to a {@code ;} or {@code #} comment.
     */
    private static List<String> keywordWords(String rest) {
        int cut = rest.length();
        for (char c : new char[] {';', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return RplRecords.words(rest.substring(0, cut).replace(":", "="));
    }

    private static String prefix(String word, List<String> keywords) {
        for (String k : keywords) {
            if (word.startsWith(k)) {
                return k;
            }
        }
        return null;
    }

    private byte[] hexBytes(StringBuilder text) throws IOException {
        String h = text.toString().replaceAll("[^0-9A-Fa-f]", "");
        if (h.length() % 2 != 0) {
            throw error("odd number of hex digits in a HEX block");
        }
        return HexFormat.of().parseHex(h);
    }

    private IOException error(String message) {
        return new IOException(file + ":" + pos + ": " + message);
    }

    /** Whether a record's text has an unclosed parenthesis (it continues on the next line). */
    private static boolean open(CharSequence s) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                break;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            }
        }
        return depth > 0;
    }

    /** testpkts' packet buffer while an entry is read. */
    private final class PacketBuilder {
        final Set<String> flags = new LinkedHashSet<>();
        boolean dnssecOk;
        boolean co;
        boolean ednsData;
        int opcode = Opcode.QUERY;
        int rcode = Rcode.NOERROR;
        final List<RplScenario.Question> questions = new ArrayList<>();
        final List<Record> answer = new ArrayList<>();
        final List<Record> authority = new ArrayList<>();
        final List<Record> additional = new ArrayList<>();

        /**
         * A HEX_ANSWER packet replaces the packet built from the sections (testpkts: only its
         * question matches).
         */
        void hex(byte[] wire, int lineNo) {
            try {
                Message m = new Message(wire);
                Header h = m.getHeader();
                flags.clear();
                for (String f : FLAGS) {
                    if (h.getFlag(Flags.value(f))) {
                        flags.add(f);
                    }
                }
                opcode = h.getOpcode();
                rcode = m.getRcode();
                dnssecOk =
                        m.getOPT() != null
                                && (m.getOPT().getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0;
                if (questions.isEmpty()) {
                    for (Record q : m.getSection(Section.QUESTION)) {
                        questions.add(
                                new RplScenario.Question(q.getName(), q.getType(), q.getDClass()));
                    }
                }
                answer.clear();
                authority.clear();
                additional.clear();
                answer.addAll(m.getSection(Section.ANSWER));
                authority.addAll(m.getSection(Section.AUTHORITY));
                for (Record r : m.getSection(Section.ADDITIONAL)) {
                    if (r.getType() != Type.OPT) {
                        additional.add(r);
                    }
                }
            } catch (IOException e) {
                notes.add(
                        "line "
                                + lineNo
                                + ": HEX_ANSWER does not parse as a DNS message ("
                                + e.getMessage()
                                + "); the entry answers with an empty packet, as a server sending garbage is not heard");
                rcode = Rcode.SERVFAIL;
            }
        }

        RplScenario.Packet build() {
            return new RplScenario.Packet(
                    Set.copyOf(flags),
                    dnssecOk,
                    dnssecOk || co || ednsData,
                    opcode,
                    rcode,
                    List.copyOf(questions),
                    List.copyOf(answer),
                    List.copyOf(authority),
                    List.copyOf(additional));
        }
    }
}
