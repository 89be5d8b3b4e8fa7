package dev.daneel.validator.interop;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.Name;

/**
 * The interop testbed: one NSD per level of the DNS tree, each on its own loopback address (the
 * root on 127.0.0.2, TLDs on 127.0.0.3, their children on 127.0.0.4, …) and all on one free port,
 * and a non-validating Unbound on 127.0.0.1 and ::1 that iterates from that root. Zones of one
 * level share a server, so a parent and its child are always on different servers, as on the
 * Internet: a query sent to the wrong side of a zone cut gets the wrong answer and shows.
 *
 * <pre>{@code
 * try (Hierarchy h = Hierarchy.start(dir, Map.of(Name.root, rootFile, ...))) {
 *     InetSocketAddress upstream = h.recursive4();
 * }
 * }</pre>
 *
 * <p>Thread-safe once started. Closing stops every server it started.
 */
final class Hierarchy implements AutoCloseable {

    private static final int START_ATTEMPTS = 3;

    private final List<AutoCloseable> servers;
    private final Map<Name, InetSocketAddress> authorities;
    private final UnboundServer unbound;
    private final boolean ipv6;

    private Hierarchy(
            List<AutoCloseable> servers,
            Map<Name, InetSocketAddress> authorities,
            UnboundServer unbound,
            boolean ipv6) {
        this.servers = servers;
        this.authorities = authorities;
        this.unbound = unbound;
        this.ipv6 = ipv6;
    }

    /**
     * The loopback address of the server for zones at this depth: the root 127.0.0.2, a TLD
     * 127.0.0.3, …
     */
    static String address(Name zone) {
        int depth = zone.labels() - 1;
        if (depth > 200) {
            throw new IllegalArgumentException("zone too deep for 127.0.0.x: " + zone);
        }
        return "127.0.0." + (2 + depth);
    }

    /**
     * Serves every zone file from the server of its level and starts Unbound over them. A port lost
     * to a parallel build between choosing and binding is chosen again.
     *
     * @param zones apex → master file, the root included
     */
    static Hierarchy start(Path dir, Map<Name, Path> zones) {
        Map<String, Map<Name, Path>> byAddress = new TreeMap<>();
        for (Map.Entry<Name, Path> z : zones.entrySet()) {
            byAddress
                    .computeIfAbsent(address(z.getKey()), a -> new LinkedHashMap<>())
                    .put(z.getKey(), z.getValue());
        }
        List<InetAddress> addresses = byAddress.keySet().stream().map(Hierarchy::inet).toList();
        boolean ipv6 = Daemon.canBind(inet("::1"));
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            List<AutoCloseable> started = new ArrayList<>();
            try {
                int port = Daemon.freePort(addresses);
                Map<Name, InetSocketAddress> authorities = new LinkedHashMap<>();
                for (Map.Entry<String, Map<Name, Path>> e : byAddress.entrySet()) {
                    started.add(
                            NsdServer.start(
                                    dir.resolve("nsd-" + e.getKey() + "-" + attempt),
                                    e.getKey(),
                                    port,
                                    e.getValue()));
                    for (Name zone : e.getValue().keySet()) {
                        authorities.put(zone, new InetSocketAddress(e.getKey(), port));
                    }
                }
                int recursivePort = Daemon.freePort(recursiveAddresses(ipv6));
                UnboundServer unbound =
                        UnboundServer.start(
                                dir.resolve("unbound-" + attempt),
                                recursivePort,
                                authorities,
                                ipv6);
                started.add(unbound);
                return new Hierarchy(started, authorities, unbound, ipv6);
            } catch (IllegalStateException e) {
                closeAll(started);
                last = e;
            }
        }
        throw last;
    }

    /** Unbound over IPv4. */
    InetSocketAddress recursive4() {
        return new InetSocketAddress(inet("127.0.0.1"), unbound.port());
    }

    /** Unbound over IPv6; skips the calling test (fails it under CI) on a machine without ::1. */
    InetSocketAddress recursive6() {
        if (!ipv6) {
            Tools.unavailable(
                    "::1 is not configured on this machine (see ip -6 addr show lo), so nothing listens there");
        }
        return new InetSocketAddress(inet("::1"), unbound.port());
    }

    /** Whether the recursive servers also listen on ::1. */
    boolean ipv6() {
        return ipv6;
    }

    /**
     * Where a recursive server of this testbed listens: 127.0.0.1, and ::1 if the machine has it.
     */
    List<InetAddress> recursiveAddresses() {
        return recursiveAddresses(ipv6);
    }

    private static List<InetAddress> recursiveAddresses(boolean ipv6) {
        return ipv6 ? List.of(inet("127.0.0.1"), inet("::1")) : List.of(inet("127.0.0.1"));
    }

    /** Every zone → the NSD serving it. */
    Map<Name, InetSocketAddress> authorities() {
        return authorities;
    }

    /** The servers started, for the report. */
    List<AutoCloseable> servers() {
        return List.copyOf(servers);
    }

    @Override
    public void close() {
        closeAll(servers);
    }

    private static void closeAll(List<AutoCloseable> servers) {
        for (int i = servers.size() - 1; i >= 0; i--) {
            try {
                servers.get(i).close();
            } catch (Exception e) {
                // keep stopping the others
            }
        }
    }

    static InetAddress inet(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + literal, e);
        }
    }
}
