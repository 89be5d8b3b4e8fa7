package dev.daneel.validator.internal.iterator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Authoritative servers played in process, for the resolver's unit tests: each address answers with
 * a function of the query; an address without one does not answer (a timeout). Every query is
 * logged with its transport, so that tests can count and inspect what the resolver sent.
 * Thread-safe.
 */
final class PlayedNetwork implements Transport {

    /** What one server was sent. */
    record Sent(InetAddress server, Message query, boolean tcp) {
        Name name() {
            return query.getQuestion().getName();
        }

        int type() {
            return query.getQuestion().getType();
        }

        @Override
        public String toString() {
            return server.getHostAddress()
                    + (tcp ? " tcp " : " ")
                    + name()
                    + " "
                    + Type.string(type());
        }
    }

    /**
     * A server's behaviour: the response to a query (ID and question are filled in), or null for
     * silence.
     */
    interface Server {
        Message answer(Message query, boolean tcp);
    }

    private final Map<InetAddress, Server> servers = new ConcurrentHashMap<>();
    private final List<Sent> log = Collections.synchronizedList(new ArrayList<>());

    PlayedNetwork serve(String address, Server server) {
        servers.put(inet(address), server);
        return this;
    }

    List<Sent> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    @Override
    public Message exchange(InetSocketAddress server, Message query, boolean tcp, Duration timeout)
            throws IOException {
        log.add(new Sent(server.getAddress(), query, tcp));
        Server s = servers.get(server.getAddress());
        Message m = s == null ? null : s.answer(query, tcp);
        if (m == null) {
            throw new SocketTimeoutException("no answer from " + server);
        }
        m.getHeader().setID(query.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        if (m.getQuestion() == null) {
            m.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return m;
    }

    // ---- building responses
    // ----------------------------------------------------------------------

    /**
     * A response with these records ({@code "section: master-file line"}, sections an/ns/ar), AA or
     * not.
     */
    static Message reply(boolean aa, int rcode, String... lines) {
        Message m = new Message();
        if (aa) {
            m.getHeader().setFlag(Flags.AA);
        }
        m.getHeader().setRcode(rcode);
        for (String line : lines) {
            int colon = line.indexOf(':');
            int section =
                    switch (line.substring(0, colon)) {
                        case "an" -> Section.ANSWER;
                        case "ns" -> Section.AUTHORITY;
                        case "ar" -> Section.ADDITIONAL;
                        default -> throw new IllegalArgumentException(line);
                    };
            m.addRecord(record(line.substring(colon + 1).trim()), section);
        }
        return m;
    }

    /** A referral: NS records in the authority, glue in the additional. */
    static Message referral(String zone, String... nsAndGlue) {
        List<String> lines = new ArrayList<>();
        for (String x : nsAndGlue) {
            String[] w = x.split("=");
            lines.add("ns: " + zone + " 3600 IN NS " + w[0]);
            if (w.length > 1) {
                lines.add("ar: " + w[0] + " 3600 IN A " + w[1]);
            }
        }
        return reply(false, Rcode.NOERROR, lines.toArray(String[]::new));
    }

    /**
     * A server for zones by suffix: the most specific rule whose suffix matches the question wins.
     */
    static Server byName(Map<String, Function<Message, Message>> rules) {
        return (query, tcp) -> {
            Name q = query.getQuestion().getName();
            Name best = null;
            Function<Message, Message> rule = null;
            for (Map.Entry<String, Function<Message, Message>> e : rules.entrySet()) {
                Name n = name(e.getKey());
                if (q.subdomain(n) && (best == null || n.labels() > best.labels())) {
                    best = n;
                    rule = e.getValue();
                }
            }
            return rule == null ? reply(false, Rcode.REFUSED) : rule.apply(query);
        };
    }

    static Record record(String text) {
        try {
            return Record.fromString(
                    name(text.split("\\s+")[0]),
                    type(text),
                    org.xbill.DNS.DClass.IN,
                    Long.parseLong(text.split("\\s+")[1]),
                    rdata(text),
                    Name.root);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static int type(String text) {
        return Type.value(text.split("\\s+")[3]);
    }

    private static String rdata(String text) {
        String[] w = text.trim().split("\\s+", 5);
        return w.length > 4 ? w[4] : "";
    }

    static Name name(String s) {
        try {
            return Name.fromString(s, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static InetAddress inet(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
