package dev.daneel.validator.unbound;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One Unbound replay scenario ({@code .rpl} / {@code .crpl}), parsed: the configuration block, the
 * simulated servers' canned answers ({@code RANGE}s of {@code ENTRY}s) and the steps. The format is
 * Unbound's {@code testcode/replay.h} and {@code testcode/testpkts.h}:
 *
 * <pre>
 * server:
 *     trust-anchor: "example.com. 3600 IN DS 2854 3 1 46e4..."
 *     val-override-date: "20070916134226"
 * stub-zone:
 *     name: "."
 *     stub-addr: 193.0.14.129
 * CONFIG_END
 * SCENARIO_BEGIN Test validator AD bit signaling
 * RANGE_BEGIN 0 100
 *     ADDRESS 193.0.14.129
 * ENTRY_BEGIN
 * MATCH opcode qtype qname
 * ADJUST copy_id
 * REPLY QR NOERROR
 * SECTION QUESTION
 * www.example.com. IN A
 * SECTION AUTHORITY
 * com. IN NS a.gtld-servers.net.
 * ENTRY_END
 * RANGE_END
 * STEP 1 QUERY
 * ENTRY_BEGIN ... ENTRY_END
 * STEP 10 CHECK_ANSWER
 * ENTRY_BEGIN ... ENTRY_END
 * SCENARIO_END
 * </pre>
 *
 * <p>Records are read with dnsjava's master-file parser (default TTL 3600 and origin ".", as
 * testpkts). Three liberties, noted in {@link #notes()} where they apply: algorithm mnemonics in DS
 * records become numbers (ldns accepts them, dnsjava does not); a signature or key whose base64 ends in
 * a partial quantum is cut to whole quanta (ldns decodes it so, dnsjava refuses it); and a record whose
 * RFC 3597 generic rdata does not fit its type (an A record of 5 octets, a PX without its second name)
 * is dropped, because dnsjava cannot hold it (Unbound's scrubber drops such A/AAAA records too).
 * Immutable once parsed.
 */
final class RplScenario {

    /** testpkts' default TTL for records written without one. */
    static final long DEFAULT_TTL = 3600;

    /** The REPLY words that are header bits ({@code DO} is an EDNS flag; the recursive always sets it). */
    private static final Set<String> HEADER_FLAGS = Set.of("QR", "AA", "TC", "RD", "RA", "AD", "CD");

    /** A {@code stub-zone:} (iterate from these addresses) or {@code forward-zone:} (ask them with RD). */
    record Zone(Name name, boolean forward, List<String> addresses) {
    }

    /** The question of an entry. */
    record Question(Name name, int type, int dclass) {
        @Override
        public String toString() {
            return name + " " + Type.string(type);
        }
    }

    /**
     * One {@code ENTRY_BEGIN … ENTRY_END}: what queries it matches ({@code MATCH}), how the reply is
     * adjusted ({@code ADJUST}), the reply header ({@code REPLY}) and its sections.
     */
    record Entry(int line, Set<String> match, Set<String> adjust, Set<String> flags, int rcode, Question question,
                 List<Record> answer, List<Record> authority, List<Record> additional) {

        /** Whether a query for {@code qname}/{@code qtype} matches, as testpkts' {@code find_match}. */
        boolean matches(Name qname, int qtype) {
            if (match.contains("qtype") && (question == null || question.type() != qtype)) {
                return false;
            }
            if (match.contains("qname") && (question == null || !question.name().equals(qname))) {
                return false;
            }
            if (match.contains("subdomain") && (question == null || !qname.subdomain(question.name()))) {
                return false;
            }
            // The simulated recursive always asks over UDP with EDNS and DO=1.
            return !match.contains("TCP") && !match.contains("noedns");
        }

        /** The reply this entry gives to {@code qname}/{@code qtype}. */
        Message reply(Name qname, int qtype) {
            Message m = new Message();
            Header h = m.getHeader();
            for (String f : flags) {
                if (HEADER_FLAGS.contains(f)) {
                    h.setFlag(Flags.value(f));
                }
            }
            h.setOpcode(Opcode.QUERY);
            h.setRcode(rcode);
            if (adjust.contains("copy_query")) {
                m.addRecord(Record.newRecord(qname, qtype, DClass.IN), Section.QUESTION);
            } else if (question != null) {
                m.addRecord(Record.newRecord(question.name(), question.type(), question.dclass()), Section.QUESTION);
            }
            answer.forEach(r -> m.addRecord(r, Section.ANSWER));
            authority.forEach(r -> m.addRecord(r, Section.AUTHORITY));
            additional.forEach(r -> m.addRecord(r, Section.ADDITIONAL));
            return m;
        }

        boolean flag(String name) {
            return flags.contains(name);
        }
    }

    /** {@code RANGE_BEGIN start end}: the entries one server (or any, without ADDRESS) answers with during those steps. */
    record Range(int start, int end, String address, List<Entry> entries) {
        boolean covers(int step, String server) {
            return start <= step && step <= end && (address == null || address.equals(server));
        }
    }

    /** One {@code STEP n KIND args}, with its entry when the kind takes one. */
    record Step(int number, String kind, List<String> args, Entry entry) {
        /** Seconds of a {@code TIME_PASSES ELAPSE s} step. */
        double elapse() {
            int i = args.indexOf("ELAPSE");
            return i >= 0 && i + 1 < args.size() ? Double.parseDouble(args.get(i + 1)) : 0;
        }
    }

    private final String name;
    private final String title;
    private final List<Record> trustAnchors;
    private final Instant overrideDate;
    private final boolean ignoreDates;
    private final List<Zone> zones;
    private final List<String> otherConfig;
    private final List<Range> ranges;
    private final List<Step> steps;
    private final List<String> notes;

    private RplScenario(String name, String title, List<Record> trustAnchors, Instant overrideDate, boolean ignoreDates,
                        List<Zone> zones, List<String> otherConfig, List<Range> ranges, List<Step> steps, List<String> notes) {
        this.name = name;
        this.title = title;
        this.trustAnchors = List.copyOf(trustAnchors);
        this.overrideDate = overrideDate;
        this.ignoreDates = ignoreDates;
        this.zones = List.copyOf(zones);
        this.otherConfig = List.copyOf(otherConfig);
        this.ranges = List.copyOf(ranges);
        this.steps = List.copyOf(steps);
        this.notes = List.copyOf(notes);
    }

    /** The file name, e.g. {@code val_adbit.rpl}. */
    String name() {
        return name;
    }

    /** The text after {@code SCENARIO_BEGIN}. */
    String title() {
        return title;
    }

    /** The {@code trust-anchor:} records (DS or DNSKEY). */
    List<Record> trustAnchors() {
        return trustAnchors;
    }

    /**
     * {@code val-override-date:}, or null when the scenario has none or gives {@code -1} (Unbound: do not
     * check signature dates at all, see {@link #ignoresSignatureDates()}).
     */
    Instant overrideDate() {
        return overrideDate;
    }

    /** {@code val-override-date: -1}: Unbound checks no signature validity window. */
    boolean ignoresSignatureDates() {
        return ignoreDates;
    }

    /** The value of a configuration option such as {@code aggressive-nsec}, unquoted; null when absent. */
    String option(String key) {
        for (String line : otherConfig) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                String v = line.substring(colon + 1).trim();
                return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    /** The stub and forward zones, in file order. */
    List<Zone> zones() {
        return zones;
    }

    /** Every other configuration line (options a stub validator has no use for), trimmed. */
    List<String> otherConfig() {
        return otherConfig;
    }

    List<Range> ranges() {
        return ranges;
    }

    List<Step> steps() {
        return steps;
    }

    /** What the parser had to adapt (see the class comment). */
    List<String> notes() {
        return notes;
    }

    static RplScenario parse(Path file) throws IOException {
        return parse(file.getFileName().toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static RplScenario parse(String name, List<String> lines) throws IOException {
        return new Parser(name, lines).parse();
    }

    @Override
    public String toString() {
        return name + " (" + title + ")";
    }

    // ---- parsing ------------------------------------------------------------------------------------

    private static final class Parser {
        private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

        private final String file;
        private final List<String> lines;
        private int pos;
        private final List<Record> anchors = new ArrayList<>();
        private Instant overrideDate;
        private boolean ignoreDates;
        private final List<Zone> zones = new ArrayList<>();
        private final List<String> other = new ArrayList<>();
        private final List<Range> ranges = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private String title = "";

        Parser(String file, List<String> lines) {
            this.file = file;
            this.lines = lines;
        }

        RplScenario parse() throws IOException {
            config();
            while (pos < lines.size()) {
                String line = strip(lines.get(pos++));
                if (line.isEmpty()) {
                    continue;
                }
                String[] t = line.split("\\s+");
                switch (t[0]) {
                    case "SCENARIO_BEGIN" -> title = line.substring("SCENARIO_BEGIN".length()).trim();
                    case "RANGE_BEGIN" -> range(t);
                    case "STEP" -> step(t);
                    case "SCENARIO_END" -> pos = lines.size();
                    default -> throw error("unexpected line: " + line);
                }
            }
            return new RplScenario(file, title, anchors, overrideDate, ignoreDates, zones, other, ranges, steps, notes);
        }

        private void config() throws IOException {
            Name zoneName = null;
            boolean forward = false;
            List<String> addrs = null;
            while (pos < lines.size()) {
                String raw = lines.get(pos++);
                String line = stripConfigComment(raw).trim();
                if (line.equals("CONFIG_END")) {
                    break;
                }
                if (line.isEmpty()) {
                    continue;
                }
                int colon = line.indexOf(':');
                String key = colon < 0 ? line : line.substring(0, colon).trim();
                String value = colon < 0 ? "" : unquote(line.substring(colon + 1).trim());
                switch (key) {
                    case "stub-zone", "forward-zone" -> {
                        if (zoneName != null) {
                            zones.add(new Zone(zoneName, forward, addrs));
                        }
                        zoneName = null;
                        forward = key.equals("forward-zone");
                        addrs = new ArrayList<>();
                    }
                    case "name" -> zoneName = Name.fromString(value.endsWith(".") ? value : value + ".");
                    case "stub-addr", "forward-addr" -> addrs.add(value.split("[@#\\s]")[0]);
                    case "trust-anchor" -> anchors.add(record(value, 0));
                    case "val-override-date" -> {
                        ignoreDates = value.equals("-1");
                        overrideDate = ignoreDates ? null : date(value);
                    }
                    default -> other.add(line);
                }
            }
            if (zoneName != null) {
                zones.add(new Zone(zoneName, forward, addrs));
            }
        }

        private Instant date(String value) {
            if (value.length() == 14) {
                return LocalDateTime.parse(value, DATE).toInstant(ZoneOffset.UTC);
            }
            return Instant.ofEpochSecond(Long.parseLong(value));
        }

        private void range(String[] t) throws IOException {
            int start = Integer.parseInt(t[1]);
            int end = Integer.parseInt(t[2]);
            String address = null;
            List<Entry> entries = new ArrayList<>();
            while (pos < lines.size()) {
                String line = strip(lines.get(pos++));
                if (line.isEmpty()) {
                    continue;
                }
                String[] w = line.split("\\s+");
                switch (w[0]) {
                    case "ADDRESS" -> address = w[1];
                    case "ENTRY_BEGIN" -> entries.add(entry());
                    case "RANGE_END" -> {
                        ranges.add(new Range(start, end, address, entries));
                        return;
                    }
                    default -> throw error("unexpected line in RANGE: " + line);
                }
            }
            throw error("RANGE_BEGIN without RANGE_END");
        }

        private void step(String[] t) throws IOException {
            int number = Integer.parseInt(t[1]);
            String kind = t[2];
            List<String> args = List.of(t).subList(3, t.length);
            Entry entry = null;
            if (Set.of("QUERY", "CHECK_ANSWER", "CHECK_OUT_QUERY", "REPLY").contains(kind)) {
                while (pos < lines.size() && strip(lines.get(pos)).isEmpty()) {
                    pos++;
                }
                if (pos < lines.size() && strip(lines.get(pos)).equals("ENTRY_BEGIN")) {
                    pos++;
                    entry = entry();
                }
            }
            steps.add(new Step(number, kind, args, entry));
        }

        private Entry entry() throws IOException {
            int start = pos;
            Set<String> match = new LinkedHashSet<>();
            Set<String> adjust = new LinkedHashSet<>();
            Set<String> flags = new LinkedHashSet<>();
            int rcode = Rcode.NOERROR;
            Question question = null;
            List<Record> answer = new ArrayList<>();
            List<Record> authority = new ArrayList<>();
            List<Record> additional = new ArrayList<>();
            List<Record> section = null;
            boolean inQuestion = false;
            while (pos < lines.size()) {
                int lineNo = pos + 1;
                String line = strip(lines.get(pos++));
                if (line.isEmpty()) {
                    continue;
                }
                String[] w = line.split("\\s+");
                switch (w[0]) {
                    case "ENTRY_END" -> {
                        return new Entry(start, match, adjust, flags, rcode, question, answer, authority, additional);
                    }
                    case "MATCH" -> match.addAll(List.of(w).subList(1, w.length));
                    case "ADJUST" -> adjust.addAll(List.of(w).subList(1, w.length));
                    case "REPLY" -> {
                        for (int i = 1; i < w.length; i++) {
                            int rc = Rcode.value(w[i]);
                            if (rc >= 0 && Opcode.value(w[i]) < 0) {
                                rcode = rc;
                            } else if (Opcode.value(w[i]) < 0) {
                                flags.add(w[i]);
                            }
                        }
                    }
                    case "SECTION" -> {
                        inQuestion = w[1].equals("QUESTION");
                        section = switch (w[1]) {
                            case "ANSWER" -> answer;
                            case "AUTHORITY" -> authority;
                            case "ADDITIONAL" -> additional;
                            default -> null;
                        };
                    }
                    case "EXTRA_PACKET", "HEX_ANSWER_BEGIN", "HEX_EDNSDATA_BEGIN" ->
                            throw error(w[0] + " is not supported (no scenario of the validator suite uses it)");
                    default -> {
                        if (inQuestion) {
                            question = question(w);
                        } else if (section != null) {
                            StringBuilder rr = new StringBuilder(line);
                            while (open(rr) && pos < lines.size()) {
                                rr.append(' ').append(strip(lines.get(pos++)));
                            }
                            Record r = record(rr.toString(), lineNo);
                            if (r != null) {
                                section.add(r);
                            }
                        } else {
                            throw error("unexpected line in ENTRY: " + line);
                        }
                    }
                }
            }
            throw error("ENTRY_BEGIN without ENTRY_END");
        }

        private Question question(String[] w) throws TextParseException {
            Name n = Name.fromString(w[0], Name.root);
            int dclass = DClass.IN;
            int type = Type.A;
            for (int i = 1; i < w.length; i++) {
                if (DClass.value(w[i]) >= 0 && i < w.length - 1) {
                    dclass = DClass.value(w[i]);
                } else {
                    type = Type.value(w[i]);
                }
            }
            return new Question(n, type, dclass);
        }

        /** One record in presentation format; null (and a note) when its generic rdata does not fit the type. */
        private Record record(String text, int lineNo) throws IOException {
            String fixed = numericDsAlgorithm(stripComment(text));
            try (Master m = new Master(new ByteArrayInputStream(fixed.getBytes(StandardCharsets.UTF_8)), Name.root,
                    DEFAULT_TTL)) {
                return m.nextRecord();
            } catch (IOException e) {
                String trimmed = trimBase64(fixed);
                if (!trimmed.equals(fixed)) {
                    notes.add("line " + lineNo + ": base64 cut to whole quanta, as ldns decodes it: " + fixed);
                    return record(trimmed, lineNo);
                }
                if (fixed.contains("\\#")) {
                    notes.add("line " + lineNo + ": dropped a record whose generic rdata does not fit its type (dnsjava cannot "
                            + "hold it; Unbound's scrubber drops such A/AAAA records too): " + fixed);
                    return null;
                }
                throw error("line " + lineNo + ": cannot parse record '" + fixed + "': " + e.getMessage());
            }
        }

        /**
         * ldns decodes a base64 field that ends in a partial quantum (a deliberately broken RRSIG) by
         * ignoring the partial part; dnsjava refuses it. Cuts a last token of base64 to whole quanta.
         */
        private static String trimBase64(String text) {
            String t = text.stripTrailing();
            if (t.contains("\\#") || !t.matches("(?i).*\\s(RRSIG|DNSKEY)\\s.*")) {
                return text; // only signatures and keys end in base64
            }
            int sp = t.lastIndexOf(' ');
            String last = t.substring(sp + 1);
            if (!last.matches("[A-Za-z0-9+/]+") || last.length() % 4 == 0 || last.length() < 4) {
                return text;
            }
            return t.substring(0, sp + 1) + last.substring(0, last.length() - last.length() % 4);
        }

        /** ldns reads "DS 30899 RSASHA1 1 …"; dnsjava wants the algorithm number. */
        private static String numericDsAlgorithm(String text) {
            String[] w = text.trim().split("\\s+");
            for (int i = 1; i + 2 < w.length; i++) {
                if ((w[i].equalsIgnoreCase("DS") || w[i].equalsIgnoreCase("DLV")) && !w[i + 2].matches("\\d+")) {
                    int alg = DNSSEC.Algorithm.value(w[i + 2]);
                    if (alg >= 0) {
                        w[i + 2] = Integer.toString(alg);
                        return String.join(" ", w);
                    }
                }
            }
            return text;
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
                } else if (!quoted && c == '(') {
                    depth++;
                } else if (!quoted && c == ')') {
                    depth--;
                }
            }
            return depth > 0;
        }

        /** A scenario line without its {@code ;} comment, trimmed. */
        private static String strip(String line) {
            return stripComment(line).trim();
        }

        private static String stripComment(String line) {
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ';' && !quoted) {
                    return line.substring(0, i);
                }
            }
            return line;
        }

        /** unbound.conf comments start with {@code #} outside quotes; scenario comments with {@code ;}. */
        private static String stripConfigComment(String line) {
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if ((c == '#' || c == ';') && !quoted) {
                    return line.substring(0, i);
                }
            }
            return line;
        }

        private static String unquote(String v) {
            return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
        }
    }
}
