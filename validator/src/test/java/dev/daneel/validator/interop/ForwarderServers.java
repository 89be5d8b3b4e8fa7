package dev.daneel.validator.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;

/**
 * Two more real upstreams of the kinds end hosts sit behind, started on 127.0.0.1 over a testbed
 * hierarchy: PowerDNS Recursor with {@code dnssec=off} (it neither asks for nor passes on DNSSEC
 * records) and dnsmasq as a plain caching forwarder without {@code --dnssec} or {@code
 * --proxy-dnssec}. Each sends nothing but to the testbed's loopback servers.
 *
 * <pre>{@code
 * Daemon pdns = ForwarderServers.pdnsRecursor(dir, port, authorities);
 * Daemon dnsmasq = ForwarderServers.dnsmasq(dir, port, unbound);
 * }</pre>
 */
final class ForwarderServers {

    private ForwarderServers() {}

    /**
     * PowerDNS Recursor on 127.0.0.1:{@code port} with {@code dnssec=off}; every zone of the
     * hierarchy a {@code forward-zones} entry to its own server (root hints cannot carry a port).
     */
    static Daemon pdnsRecursor(Path dir, int port, Map<Name, InetSocketAddress> zones) {
        String pdns = Tools.require("pdns_recursor", "pdns-recursor");
        try {
            Files.createDirectories(dir);
            String forwards =
                    zones.entrySet().stream()
                            .map(
                                    e ->
                                            e.getKey()
                                                    + "="
                                                    + e.getValue().getAddress().getHostAddress()
                                                    + ":"
                                                    + e.getValue().getPort())
                            .collect(Collectors.joining(", "));
            Files.writeString(
                    dir.resolve("recursor.conf"),
                    String.join(
                            "\n",
                            "local-address=127.0.0.1",
                            "local-port=" + port,
                            "allow-from=127.0.0.0/8",
                            "query-local-address=127.0.0.1",
                            "dont-query=",
                            "dnssec=off",
                            "daemon=no",
                            "write-pid=no",
                            "socket-dir=" + dir,
                            "threads=1",
                            "forward-zones=" + forwards,
                            "loglevel=3",
                            ""));
            Daemon d =
                    Daemon.start(
                            "pdns_recursor:" + port,
                            List.of(pdns, "--config-dir=" + dir),
                            dir,
                            dir.resolve("pdns.log"));
            try {
                d.awaitDns(new InetSocketAddress("127.0.0.1", port), Name.root);
            } catch (RuntimeException e) {
                d.close();
                throw e;
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up pdns_recursor in " + dir, e);
        }
    }

    /**
     * dnsmasq on 127.0.0.1:{@code port}, forwarding everything to {@code upstream}, caching, no
     * DNSSEC.
     */
    static Daemon dnsmasq(Path dir, int port, InetSocketAddress upstream) {
        String dnsmasq = Tools.require("dnsmasq", "dnsmasq-base");
        try {
            Files.createDirectories(dir);
            Daemon d =
                    Daemon.start(
                            "dnsmasq:" + port,
                            List.of(
                                    dnsmasq,
                                    "--keep-in-foreground",
                                    "--no-resolv",
                                    "--no-hosts",
                                    "--no-poll",
                                    "--bind-interfaces",
                                    "--listen-address=127.0.0.1",
                                    "--port=" + port,
                                    "--user=root",
                                    "--pid-file=" + dir.resolve("dnsmasq.pid"),
                                    "--log-facility=-",
                                    "--server="
                                            + upstream.getAddress().getHostAddress()
                                            + "#"
                                            + upstream.getPort()),
                            dir,
                            dir.resolve("dnsmasq.log"));
            try {
                d.awaitDns(new InetSocketAddress("127.0.0.1", port), Name.root);
            } catch (RuntimeException e) {
                d.close();
                throw e;
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up dnsmasq in " + dir, e);
        }
    }

    static int freePort() {
        try {
            return Daemon.freePort(List.of(InetAddress.getByName("127.0.0.1")));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
