package dev.daneel.validator.internal.iterator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Where recursion starts: the root's name servers and their addresses. The built-in set is IANA's
 * {@code named.root} (the 13 root server letters, IPv4 and IPv6), a resource of this jar; tests
 * give their own root, e.g. an NSD on 127.0.0.2. Hints are only a starting point: the first lookup
 * asks them for the root's NS RRset (priming, RFC 8109) and uses what the root says from then on.
 *
 * <pre>{@code
 * RootHints builtIn = RootHints.builtIn();
 * RootHints local = RootHints.of(List.of(new RootHints.Server(Name.fromString("ns1."), List.of(InetAddress.getByName("127.0.0.2")))));
 * }</pre>
 *
 * <p>Immutable.
 */
public final class RootHints {

    /** The resource holding IANA's root hints file. */
    static final String RESOURCE = "/dev/daneel/validator/named.root";

    /**
     * One root server.
     *
     * @param name its host name ({@code a.root-servers.net.}); for hints given as bare addresses,
     *     any name
     * @param addresses its IPv4 and IPv6 addresses, at least one
     */
    public record Server(Name name, List<InetAddress> addresses) {
        public Server {
            Objects.requireNonNull(name, "name");
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException(
                        "root hint " + name + " must have at least one address");
            }
        }
    }

    private final List<Server> servers;

    private RootHints(List<Server> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException(
                    "root hints must name at least one server with an address");
        }
        this.servers = List.copyOf(servers);
    }

    /** The given servers. */
    public static RootHints of(List<Server> servers) {
        return new RootHints(servers);
    }

    /** IANA's {@code named.root}, built in. */
    public static RootHints builtIn() {
        try (InputStream in = RootHints.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the built-in root hints " + RESOURCE + " are missing from the jar");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in root hints " + RESOURCE, e);
        }
    }

    /**
     * Reads a hints file in master-file format ({@code named.root}): the root's NS records and the
     * A and AAAA records of their targets; other records are ignored.
     *
     * @throws IOException when the file does not parse or names no server with an address
     */
    public static RootHints parse(InputStream in) throws IOException {
        byte[] text = in.readAllBytes();
        List<Name> names = new ArrayList<>();
        Map<Name, List<InetAddress>> addresses = new LinkedHashMap<>();
        try (Master m = new Master(new ByteArrayInputStream(text), Name.root)) {
            for (Record r; (r = m.nextRecord()) != null; ) {
                if (r instanceof NSRecord ns && r.getName().equals(Name.root)) {
                    names.add(ns.getTarget());
                } else if (r instanceof ARecord a) {
                    addresses
                            .computeIfAbsent(r.getName(), k -> new ArrayList<>())
                            .add(a.getAddress());
                } else if (r instanceof AAAARecord a) {
                    addresses
                            .computeIfAbsent(r.getName(), k -> new ArrayList<>())
                            .add(a.getAddress());
                }
            }
        }
        List<Server> servers = new ArrayList<>();
        for (Name n : names) {
            List<InetAddress> a = addresses.get(n);
            if (a != null) {
                servers.add(new Server(n, a));
            }
        }
        if (servers.isEmpty()) {
            throw new IOException(
                    "the root hints name no root server with an address (expected '. NS name' lines and "
                            + "'name A address' lines, as in IANA's named.root)");
        }
        return new RootHints(servers);
    }

    /** The servers, in file order. */
    public List<Server> servers() {
        return servers;
    }

    @Override
    public String toString() {
        return servers.size()
                + " root servers "
                + servers.stream().map(s -> s.name().toString()).toList();
    }
}
