package dev.daneel.validator.unbound;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 * One Unbound replay scenario ({@code .rpl} / {@code .crpl}), read with the grammar of Unbound's
 * own reader ({@code testcode/replay.c}, {@code testcode/testpkts.c}, {@code
 * testcode/testbound.c}): the configuration block ({@link RplConfig}), the simulated servers'
 * canned answers ({@code RANGE}s of {@code ENTRY}s) and the steps.
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
 * <p>What the reader tolerates is what Unbound's tolerates: keywords are prefixes (Unbound compares
 * with {@code strncmp}); lines outside a range or step that are no keyword are ignored, as {@code
 * replay_scenario_read} ignores them; {@code ;} and {@code #} lines are comments inside entries;
 * {@code $ORIGIN} and {@code $TTL} hold for the rest of the file; a record before any {@code
 * SECTION} is a question; {@code EXTRA_PACKET}, {@code HEX_ANSWER_BEGIN} and {@code
 * HEX_EDNSDATA_BEGIN} are read. Ranges are kept in the order testbound searches them, the last one
 * in the file first (its reader prepends each range to the list), so that overlapping ranges
 * resolve as in Unbound. A {@code RANGE_BEGIN} before the previous {@code RANGE_END} closes that
 * range (and the stray {@code RANGE_END} is then ignored). The file is read by {@link RplReader},
 * its records by {@link RplRecords}. Immutable once parsed.
 */
final class RplScenario {

    /**
     * A {@code stub-zone:} (iterate from these servers) or {@code forward-zone:} (ask them with
     * RD): the {@code stub-addr}/{@code forward-addr} addresses, and the {@code stub-host}/{@code
     * forward-host} names, which the recursive looks up itself.
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
     * A query as testpkts' {@code find_match} sees it: the question, the header bits among
     * RD/CD/AD, whether it has an EDNS record and the DO bit, and its transport.
     */
    record Query(
            Name name,
            int type,
            int dclass,
            Set<String> flags,
            boolean edns,
            boolean dnssecOk,
            boolean tcp) {
        /**
         * What the simulated recursive sends a server: UDP, EDNS with DO, RD only towards a
         * forwarder.
         */
        static Query outgoing(Name name, int type, boolean rd, boolean tcp) {
            return new Query(name, type, DClass.IN, rd ? Set.of("RD") : Set.of(), true, true, tcp);
        }

        boolean flag(String f) {
            return flags.contains(f);
        }
    }

    /** One packet of an entry: its header, EDNS and sections. */
    record Packet(
            Set<String> flags,
            boolean dnssecOk,
            boolean edns,
            int opcode,
            int rcode,
            List<Question> questions,
            List<Record> answer,
            List<Record> authority,
            List<Record> additional) {}

    /**
     * One {@code ENTRY_BEGIN … ENTRY_END}: what it matches ({@code MATCH}, with {@code ede=} and
     * {@code serial=} values), how the reply is adjusted ({@code ADJUST}) and its packets (more
     * than one with {@code EXTRA_PACKET}, for TCP streams; a UDP reply is the first).
     *
     * @param ede {@code null} without {@code MATCH ede=}, {@code -1} for {@code ede=any}, else the
     *     code
     */
    record Entry(
            int line,
            Set<String> match,
            Integer ede,
            long serial,
            Set<String> adjust,
            List<Packet> packets) {

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

        /**
         * A header bit of the first packet ({@code QR AA TC RD CD RA AD}), or {@code DO} for its
         * EDNS DO bit.
         */
        boolean flag(String name) {
            return name.equals("DO") ? first().dnssecOk() : first().flags().contains(name);
        }

        /**
         * Whether a query matches, as testpkts' {@code find_match} decides: each {@code MATCH}
         * keyword compares one property of the query with this entry's first packet; an entry
         * without any matches every query.
         */
        boolean matches(Query q) {
            Packet p = first();
            Question pq = question();
            for (String m : match) {
                boolean ok =
                        switch (m) {
                            case "opcode" -> p.opcode() == Opcode.QUERY;
                            case "qtype" -> pq != null && pq.type() == q.type();
                            case "qname" -> pq != null && pq.name().equals(q.name());
                            case "subdomain" -> pq != null && q.name().subdomain(pq.name());
                            case "question" ->
                                    p.questions().size() == 1
                                            && pq.name().equals(q.name())
                                            && pq.type() == q.type()
                                            && pq.dclass() == q.dclass();
                            case "rcode" ->
                                    p.rcode() == Rcode.NOERROR; // a query's rcode field is 0
                            case "answer" -> p.answer().isEmpty(); // a query has no answer section
                            case "DO" -> q.dnssecOk();
                            case "CO", "client_cookie", "server_cookie", "ednsdata", "ede" ->
                                    false; // never in our queries
                            case "noedns" -> !q.edns();
                            case "UDP" -> !q.tcp();
                            case "TCP" -> q.tcp();
                            case "serial" -> serial == 0; // a query without an SOA has serial 0
                            case "all", "all_noedns" ->
                                    p.questions().size() == 1
                                            && pq.name().equals(q.name())
                                            && pq.type() == q.type()
                                            && p.answer().isEmpty()
                                            && p.authority().isEmpty()
                                            && p.additional().isEmpty()
                                            && p.rcode() == Rcode.NOERROR
                                            && p.flags().equals(q.flags())
                                            && (m.equals("all_noedns")
                                                    || p.edns() == q.edns()
                                                            && p.dnssecOk() == q.dnssecOk());
                            default -> true; // ttl modifies all/question/answer
                        };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The reply this entry gives to {@code q} (its first packet, or a later one of a TCP
         * stream).
         */
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

    /**
     * {@code RANGE_BEGIN start end}: the entries one server (or any, without ADDRESS) answers with
     * during those steps.
     */
    record Range(int start, int end, String address, List<Entry> entries) {
        boolean covers(int step, String server) {
            return start <= step
                    && step <= end
                    && (address == null || address.equals(canonicalAddress(server)));
        }
    }

    /**
     * One {@code STEP n KIND …}: its entry ({@code QUERY}, {@code CHECK_ANSWER}, {@code
     * CHECK_OUT_QUERY}, {@code REPLY}), its {@code FILE_BEGIN … FILE_END} lines ({@code
     * CHECK_AUTOTRUST}, {@code CHECK_TEMPFILE}), the rest of its line ({@code args}: the EVAL text,
     * the ASSIGN value, the autotrust id, the message to flush), its {@code ADDRESS} and its {@code
     * ELAPSE} seconds.
     */
    record Step(
            int number,
            String kind,
            String args,
            String variable,
            String address,
            double elapse,
            Entry entry,
            List<String> file) {}

    private final String name;
    private final Path directory;
    private final String title;
    private final RplConfig config;
    private final List<Range> ranges;
    private final List<Step> steps;
    private final List<String> notes;

    RplScenario(
            String name,
            Path directory,
            String title,
            RplConfig config,
            List<Range> ranges,
            List<Step> steps,
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

    /**
     * The folder of the file (relative file names in the configuration are read from there), or
     * null.
     */
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
     * {@code val-override-date:}, or null when the scenario has none or gives {@code -1} (Unbound:
     * do not check signature dates at all, see {@link #ignoresSignatureDates()}).
     */
    Instant overrideDate() {
        String v = config.option("val-override-date");
        return v == null || v.equals("-1") || v.isEmpty() ? null : RplRecords.parseDate(v);
    }

    /** {@code val-override-date: -1}: Unbound checks no signature validity window. */
    boolean ignoresSignatureDates() {
        return "-1".equals(config.option("val-override-date"));
    }

    /**
     * The value of a configuration option such as {@code aggressive-nsec}, unquoted; null when
     * absent.
     */
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
                    if (o.values().isEmpty()
                            && z != null) { // another section: the zone block ended
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
            throw new IllegalArgumentException(
                    "stub/forward zone: bad name '" + text + "': " + e.getMessage(), e);
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
        return parse(
                file.getFileName().toString(),
                file.toAbsolutePath().getParent(),
                Files.readAllLines(file, StandardCharsets.ISO_8859_1));
    }

    static RplScenario parse(String name, List<String> lines) throws IOException {
        return parse(name, null, lines);
    }

    static RplScenario parse(String name, Path directory, List<String> lines) throws IOException {
        return new RplReader(name, directory, lines).parse();
    }

    @Override
    public String toString() {
        return name + " (" + title + ")";
    }

    /**
     * An address as a server is named in {@code ADDRESS} and {@code stub-addr}: the literal in
     * canonical form, without {@code @port} or {@code #name}. Never looks a name up.
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
}
