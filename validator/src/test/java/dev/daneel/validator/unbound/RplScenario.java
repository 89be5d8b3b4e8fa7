package dev.daneel.validator.unbound;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One Unbound replay scenario ({@code .rpl} / {@code .crpl}), read with the grammar of Unbound's own reader
 * ({@code testcode/replay.c}, {@code testcode/testpkts.c}, {@code testcode/testbound.c}): the configuration
 * block ({@link RplConfig}), the simulated servers' canned answers ({@code RANGE}s of {@code ENTRY}s) and
 * the steps.
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
 * <p>What the reader tolerates is what Unbound's tolerates: keywords are prefixes (Unbound compares with
 * {@code strncmp}); lines outside a range or step that are no keyword are ignored, as
 * {@code replay_scenario_read} ignores them; {@code ;} and {@code #} lines are comments inside entries;
 * {@code $ORIGIN} and {@code $TTL} hold for the rest of the file; a record before any {@code SECTION} is
 * a question; {@code EXTRA_PACKET}, {@code HEX_ANSWER_BEGIN} and {@code HEX_EDNSDATA_BEGIN} are read. Ranges
 * are kept in the order testbound searches them, the last one in the file first (its reader prepends each
 * range to the list), so that overlapping ranges resolve as in Unbound. A {@code RANGE_BEGIN} before the
 * previous {@code RANGE_END} closes that range (and the stray {@code RANGE_END} is then ignored). Records
 * are read by {@link RplRecords}. Immutable once parsed.
 */
final class RplScenario {

    /**
     * A {@code stub-zone:} (iterate from these servers) or {@code forward-zone:} (ask them with RD): the
     * {@code stub-addr}/{@code forward-addr} addresses, and the {@code stub-host}/{@code forward-host} names,
     * which the recursive looks up itself.
     */
    record Zone(Name name, boolean forward, List<String> addresses, List<Name> hosts) {
        Zone(Name name, boolean forward, List<String> addresses) {
            this(name, forward, addresses, List.of());
        }
    }

    /** A question. */
    record Question(Name name, int type, int dclass) {
        @Override
        public String toString() {
            return name + " " + Type.string(type);
        }
    }

    /**
     * A query as testpkts' {@code find_match} sees it: the question, the header bits among RD/CD/AD, whether
     * it has an EDNS record and the DO bit, and its transport.
     */
    record Query(Name name, int type, int dclass, Set<String> flags, boolean edns, boolean dnssecOk, boolean tcp) {
        /** What the simulated recursive sends a server: UDP, EDNS with DO, RD only towards a forwarder. */
        static Query outgoing(Name name, int type, boolean rd, boolean tcp) {
            return new Query(name, type, DClass.IN, rd ? Set.of("RD") : Set.of(), true, true, tcp);
        }

        boolean flag(String f) {
            return flags.contains(f);
        }
    }

    /** One packet of an entry: its header, EDNS and sections. */
    record Packet(Set<String> flags, boolean dnssecOk, boolean edns, int opcode, int rcode, List<Question> questions,
                  List<Record> answer, List<Record> authority, List<Record> additional) {
    }

    /**
     * One {@code ENTRY_BEGIN … ENTRY_END}: what it matches ({@code MATCH}, with {@code ede=} and
     * {@code serial=} values), how the reply is adjusted ({@code ADJUST}) and its packets (more than one
     * with {@code EXTRA_PACKET}, for TCP streams; a UDP reply is the first).
     *
     * @param ede {@code null} without {@code MATCH ede=}, {@code -1} for {@code ede=any}, else the code
     */
    record Entry(int line, Set<String> match, Integer ede, long serial, Set<String> adjust, List<Packet> packets) {

        Packet first() {
            return packets.get(0);
        }

        Question question() {
            return first().questions().isEmpty() ? null : first().questions().get(0);
        }

        List<Record> answer() {
            return first().answer();
        }

        List<Record> authority() {
            return first().authority();
        }

        List<Record> additional() {
            return first().additional();
        }

        int rcode() {
            return first().rcode();
        }

        Set<String> flags() {
            return first().flags();
        }

        /** A header bit of the first packet ({@code QR AA TC RD CD RA AD}), or {@code DO} for its EDNS DO bit. */
        boolean flag(String name) {
            return name.equals("DO") ? first().dnssecOk() : first().flags().contains(name);
        }

        /**
         * Whether a query matches, as testpkts' {@code find_match} decides: each {@code MATCH} keyword compares
         * one property of the query with this entry's first packet; an entry without any matches every query.
         */
        boolean matches(Query q) {
            Packet p = first();
            Question pq = question();
            for (String m : match) {
                boolean ok = switch (m) {
                    case "opcode" -> p.opcode() == Opcode.QUERY;
                    case "qtype" -> pq != null && pq.type() == q.type();
                    case "qname" -> pq != null && pq.name().equals(q.name());
                    case "subdomain" -> pq != null && q.name().subdomain(pq.name());
                    case "question" -> p.questions().size() == 1 && pq.name().equals(q.name()) && pq.type() == q.type()
                            && pq.dclass() == q.dclass();
                    case "rcode" -> p.rcode() == Rcode.NOERROR; // a query's rcode field is 0
                    case "answer" -> p.answer().isEmpty(); // a query has no answer section
                    case "DO" -> q.dnssecOk();
                    case "CO", "client_cookie", "server_cookie", "ednsdata", "ede" -> false; // never in our queries
                    case "noedns" -> !q.edns();
                    case "UDP" -> !q.tcp();
                    case "TCP" -> q.tcp();
                    case "serial" -> serial == 0; // a query without an SOA has serial 0
                    case "all", "all_noedns" -> p.questions().size() == 1 && pq.name().equals(q.name())
                            && pq.type() == q.type() && p.answer().isEmpty() && p.authority().isEmpty()
                            && p.additional().isEmpty() && p.rcode() == Rcode.NOERROR && p.flags().equals(q.flags())
                            && (m.equals("all_noedns") || p.edns() == q.edns() && p.dnssecOk() == q.dnssecOk());
                    default -> true; // ttl modifies all/question/answer
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        /** The reply this entry gives to {@code q} (its first packet, or a later one of a TCP stream). */
        Message reply(Query q, int packet) {
            Packet p = packets.get(Math.min(packet, packets.size() - 1));
            Message m = new Message();
            Header h = m.getHeader();
            for (String f : p.flags()) {
                h.setFlag(Flags.value(f));
            }
            h.setOpcode(p.opcode());
            h.setRcode(p.rcode());
            if (adjust.contains("copy_query")) {
                // testpkts' adjust_packet: the query's question replaces the packet's own
                m.addRecord(Record.newRecord(q.name(), q.type(), q.dclass()), Section.QUESTION);
            } else {
                for (Question x : p.questions()) {
                    m.addRecord(Record.newRecord(x.name(), x.type(), x.dclass()), Section.QUESTION);
                }
            }
            p.answer().forEach(r -> m.addRecord(r, Section.ANSWER));
            p.authority().forEach(r -> m.addRecord(r, Section.AUTHORITY));
            p.additional().forEach(r -> m.addRecord(r, Section.ADDITIONAL));
            return m;
        }
    }

    /** {@code RANGE_BEGIN start end}: the entries one server (or any, without ADDRESS) answers with during those steps. */
    record Range(int start, int end, String address, List<Entry> entries) {
        boolean covers(int step, String server) {
            return start <= step && step <= end && (address == null || address.equals(canonicalAddress(server)));
        }
    }

    /**
     * One {@code STEP n KIND …}: its entry ({@code QUERY}, {@code CHECK_ANSWER}, {@code CHECK_OUT_QUERY},
     * {@code REPLY}), its {@code FILE_BEGIN … FILE_END} lines ({@code CHECK_AUTOTRUST}, {@code CHECK_TEMPFILE}),
     * the rest of its line ({@code args}: the EVAL text, the ASSIGN value, the autotrust id, the message to
     * flush), its {@code ADDRESS} and its {@code ELAPSE} seconds.
     */
    record Step(int number, String kind, String args, String variable, String address, double elapse, Entry entry,
                List<String> file) {
    }

    private final String name;
    private final Path directory;
    private final String title;
    private final RplConfig config;
    private final List<Range> ranges;
    private final List<Step> steps;
    private final List<String> notes;

    private RplScenario(String name, Path directory, String title, RplConfig config, List<Range> ranges, List<Step> steps,
                        List<String> notes) {
        this.name = name;
        this.directory = directory;
        this.title = title;
        this.config = config;
        this.ranges = List.copyOf(ranges);
        this.steps = List.copyOf(steps);
        this.notes = List.copyOf(notes);
    }

    /** The file name, e.g. {@code val_adbit.rpl}. */
    String name() {
        return name;
    }

    /** The folder of the file (relative file names in the configuration are read from there), or null. */
    Path directory() {
        return directory;
    }

    /** The text after {@code SCENARIO_BEGIN}. */
    String title() {
        return title;
    }

    RplConfig config() {
        return config;
    }

    /**
     * {@code val-override-date:}, or null when the scenario has none or gives {@code -1} (Unbound: do not
     * check signature dates at all, see {@link #ignoresSignatureDates()}).
     */
    Instant overrideDate() {
        String v = config.option("val-override-date");
        return v == null || v.equals("-1") || v.isEmpty() ? null : RplRecords.parseDate(v);
    }

    /** {@code val-override-date: -1}: Unbound checks no signature validity window. */
    boolean ignoresSignatureDates() {
        return "-1".equals(config.option("val-override-date"));
    }

    /** The value of a configuration option such as {@code aggressive-nsec}, unquoted; null when absent. */
    String option(String key) {
        return config.option(key);
    }

    /** The stub and forward zones, in file order. */
    List<Zone> zones() {
        List<Zone> out = new ArrayList<>();
        ZoneBuilder z = null;
        for (RplConfig.Option o : config.options()) {
            switch (o.key()) {
                case "stub-zone", "forward-zone" -> {
                    if (z != null) {
                        z.addTo(out);
                    }
                    z = new ZoneBuilder(o.key().equals("forward-zone"));
                }
                case "name" -> {
                    if (z != null) {
                        z.name = name(o.value());
                    }
                }
                case "stub-addr", "forward-addr" -> {
                    if (z != null) {
                        z.addresses.add(canonicalAddress(o.value()));
                    }
                }
                case "stub-host", "forward-host" -> {
                    if (z != null) {
                        z.hosts.add(name(o.value().split("[@#]")[0]));
                    }
                }
                default -> {
                    if (o.values().isEmpty() && z != null) { // another section: the zone block ended
                        z.addTo(out);
                        z = null;
                    }
                }
            }
        }
        if (z != null) {
            z.addTo(out);
        }
        return out;
    }

    private static Name name(String text) {
        try {
            return RplRecords.name(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("stub/forward zone: bad name '" + text + "': " + e.getMessage(), e);
        }
    }

    private static final class ZoneBuilder {
        final boolean forward;
        Name name;
        final List<String> addresses = new ArrayList<>();
        final List<Name> hosts = new ArrayList<>();

        ZoneBuilder(boolean forward) {
            this.forward = forward;
        }

        void addTo(List<Zone> out) {
            if (name != null) {
                out.add(new Zone(name, forward, List.copyOf(addresses), List.copyOf(hosts)));
            }
        }
    }

    /** The ranges, in the order testbound searches them: the last one in the file first. */
    List<Range> ranges() {
        return ranges;
    }

    List<Step> steps() {
        return steps;
    }

    /** What the parser had to adapt (see {@link RplRecords}) or ignored as testbound does. */
    List<String> notes() {
        return notes;
    }

    static RplScenario parse(Path file) throws IOException {
        return parse(file.getFileName().toString(), file.toAbsolutePath().getParent(),
                Files.readAllLines(file, StandardCharsets.ISO_8859_1));
    }

    static RplScenario parse(String name, List<String> lines) throws IOException {
        return parse(name, null, lines);
    }

    static RplScenario parse(String name, Path directory, List<String> lines) throws IOException {
        return new Parser(name, directory, lines).parse();
    }

    @Override
    public String toString() {
        return name + " (" + title + ")";
    }

    /**
     * An address as a server is named in {@code ADDRESS} and {@code stub-addr}: the literal in canonical
     * form, without {@code @port} or {@code #name}. Never looks a name up.
     */
    static String canonicalAddress(String text) {
        String a = text.strip().split("[@#\\s]")[0];
        int family = a.contains(":") ? Address.IPv6 : Address.IPv4;
        byte[] bytes = Address.toByteArray(a, family);
        if (bytes == null) {
            return a.toLowerCase(Locale.ROOT);
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            return a;
        }
    }

    // ---- parsing ------------------------------------------------------------------------------------

    private static final class Parser {
        private static final List<String> EVENTS = List.of("NOTHING", "QUERY", "CHECK_ANSWER", "CHECK_OUT_QUERY", "REPLY",
                "TIMEOUT", "TIME_PASSES", "CHECK_AUTOTRUST", "CHECK_TEMPFILE", "ERROR", "TRAFFIC", "ASSIGN", "INFRA_RTT",
                "FLUSH_MESSAGE", "EXPIRE_MESSAGE");
        private static final Set<String> WITH_ENTRY = Set.of("QUERY", "CHECK_ANSWER", "CHECK_OUT_QUERY", "REPLY");
        /** MATCH keywords, in the order testpkts tries them (it compares prefixes). */
        private static final List<String> MATCH_WORDS = List.of("opcode", "qtype", "qname", "rcode", "question", "answer",
                "subdomain", "all_noedns", "all", "ttl", "DO", "CO", "noedns", "ednsdata", "client_cookie", "server_cookie",
                "UDP", "TCP", "serial", "ede");
        private static final List<String> ADJUST_WORDS = List.of("copy_id", "copy_query", "copy_ednsdata_assume_clientsubnet",
                "increment_ecs_scope", "sleep=", "packet_sleep=");
        private static final List<String> OPCODES = List.of("QUERY", "IQUERY", "STATUS", "NOTIFY", "UPDATE");
        private static final List<String> RCODES = List.of("NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMPL", "REFUSED",
                "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE");
        private static final List<String> FLAGS = List.of("QR", "AA", "TC", "RD", "CD", "RA", "AD");

        private final String file;
        private final Path directory;
        private final List<String> lines;
        private int pos;
        private final RplRecords records = new RplRecords();
        private final List<Range> ranges = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private String title;

        Parser(String file, Path directory, List<String> lines) {
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
            return new RplScenario(file, directory, title == null ? "" : title, config, ranges, steps, notes);
        }

        private void range(String rest) throws IOException {
            List<String> w = RplRecords.words(rest);
            if (w.size() < 2) {
                throw error("RANGE_BEGIN needs a start and an end step: " + rest);
            }
            int start = Integer.parseInt(w.get(0));
            int end = Integer.parseInt(w.get(1));
            String address = null;
            List<Entry> entries = new ArrayList<>();
            while (pos < lines.size()) {
                int lineNo = pos + 1;
                String t = lines.get(pos).stripLeading();
                if (t.isEmpty() || t.startsWith(";")) {
                    pos++;
                    continue;
                }
                if (t.startsWith("ADDRESS")) {
                    pos++;
                    address = canonicalAddress(t.substring("ADDRESS".length()));
                } else if (t.startsWith("RANGE_END")) {
                    pos++;
                    addRange(start, end, address, entries);
                    return;
                } else if (t.startsWith("RANGE_BEGIN")) {
                    notes.add("line " + lineNo + ": RANGE_BEGIN inside a range closes the range of steps " + start + "-" + end);
                    addRange(start, end, address, entries);
                    return;
                } else {
                    Entry e = entry(true);
                    if (e != null) {
                        entries.add(e);
                    }
                }
            }
            throw error("RANGE_BEGIN " + start + " " + end + " without RANGE_END");
        }

        private void addRange(int start, int end, String address, List<Entry> entries) {
            ranges.add(0, new Range(start, end, address, List.copyOf(entries))); // testbound prepends
        }

        private void step(String rest, int lineNo) throws IOException {
            String r = rest.stripLeading();
            int sp = 0;
            while (sp < r.length() && (Character.isDigit(r.charAt(sp)) || sp == 0 && r.charAt(sp) == '-')) {
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
                case "CHECK_AUTOTRUST", "CHECK_TEMPFILE", "FLUSH_MESSAGE", "EXPIRE_MESSAGE", "INFRA_RTT" -> {
                    args = r.strip();
                    r = "";
                }
                default -> {
                }
            }
            String address = null;
            double elapse = 0;
            List<String> w = RplRecords.words(RplRecords.stripComment(r));
            for (int i = 0; i < w.size(); i++) {
                if (w.get(i).startsWith("ADDRESS") && i + 1 < w.size()) {
                    address = canonicalAddress(w.get(++i));
                } else if (w.get(i).startsWith("ELAPSE") && i + 1 < w.size()) {
                    elapse = Double.parseDouble(w.get(++i));
                }
            }
            Entry entry = null;
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
                throw error("STEP " + number + " does not come after STEP " + steps.get(steps.size() - 1).number()
                        + " (testbound refuses time going backwards)");
            }
            steps.add(new Step(number, kind, args, variable, address, elapse, entry, fileLines));
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
         * testpkts' {@code read_entry}: skips comments, applies {@code $ORIGIN}/{@code $TTL}, reads one entry.
         * Inside a range a line that starts no entry is ignored with a note; after a STEP it means the step
         * has no entry (null, and the line is left for the scenario reader).
         */
        private Entry entry(boolean inRange) throws IOException {
            Entry current = null;
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

        private Entry entryBody(int startLine) throws IOException {
            Set<String> match = new LinkedHashSet<>();
            Integer ede = null;
            long serial = 0;
            Set<String> adjust = new LinkedHashSet<>();
            List<Packet> packets = new ArrayList<>();
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
                    throw error("ENTRY_BEGIN inside the entry of line " + startLine + " (testbound refuses it)");
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
                    section = s.startsWith("QUESTION") ? pkt.questions : s.startsWith("ANSWER") ? pkt.answer
                            : s.startsWith("AUTHORITY") ? pkt.authority : s.startsWith("ADDITIONAL") ? pkt.additional : null;
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
                    return new Entry(startLine, match, ede, serial, adjust, List.copyOf(packets));
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

        /** The white-space separated words of a keyword line, up to a {@code ;} or {@code #} comment. */
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
            final List<Question> questions = new ArrayList<>();
            final List<Record> answer = new ArrayList<>();
            final List<Record> authority = new ArrayList<>();
            final List<Record> additional = new ArrayList<>();

            /** A HEX_ANSWER packet replaces the packet built from the sections (testpkts: only its question matches). */
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
                    dnssecOk = m.getOPT() != null && (m.getOPT().getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0;
                    if (questions.isEmpty()) {
                        for (Record q : m.getSection(Section.QUESTION)) {
                            questions.add(new Question(q.getName(), q.getType(), q.getDClass()));
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
                    notes.add("line " + lineNo + ": HEX_ANSWER does not parse as a DNS message (" + e.getMessage()
                            + "); the entry answers with an empty packet, as a server sending garbage is not heard");
                    rcode = Rcode.SERVFAIL;
                }
            }

            Packet build() {
                return new Packet(Set.copyOf(flags), dnssecOk, dnssecOk || co || ednsData, opcode, rcode, List.copyOf(questions),
                        List.copyOf(answer), List.copyOf(authority), List.copyOf(additional));
            }
        }
    }
}
