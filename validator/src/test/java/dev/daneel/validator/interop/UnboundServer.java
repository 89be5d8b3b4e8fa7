package dev.daneel.validator.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * Unbound as a non-validating recursive resolver ({@code module-config: "iterator"}) on 127.0.0.1
 * and ::1 (where the machine has it): the upstream Daneel, delv and libunbound all query.
 *
 * <p>It iterates from the local root down. Root hints and glue cannot carry a port, and the NSD
 * servers listen on a free high port, so every zone of the hierarchy is a {@code stub-zone} with
 * {@code stub-addr: ADDRESS@PORT} (the one for {@code "."} takes the place of root hints: with a
 * root stub Unbound never loads its compiled-in hints). It sends nothing but to those stubs, and
 * only from loopback ({@code outgoing-interface} 127.0.0.1 and ::1), so no packet can leave the
 * machine.
 *
 * <p>Thread-safe.
 */
final class UnboundServer implements AutoCloseable {

    private final Daemon daemon;
    private final int port;

    private UnboundServer(Daemon daemon, int port) {
        this.daemon = daemon;
        this.port = port;
    }

    /**
     * Writes the configuration into {@code dir} and starts Unbound on {@code port} (127.0.0.1, and
     * ::1 when {@code ipv6}); returns once it answers.
     *
     * @param stubs every zone apex of the hierarchy → the authoritative server for it
     */
    static UnboundServer start(
            Path dir, int port, Map<Name, InetSocketAddress> stubs, boolean ipv6) {
        String unbound = Tools.require("unbound", "unbound");
        try {
            Files.createDirectories(dir);
            StringBuilder conf = new StringBuilder();
            conf.append("server:\n")
                    .append("  interface: 127.0.0.1@")
                    .append(port)
                    .append('\n')
                    .append(ipv6 ? "  interface: ::1@" + port + "\n" : "")
                    .append("  port: ")
                    .append(port)
                    .append('\n')
                    .append("  do-ip4: yes\n  do-ip6: ")
                    .append(ipv6 ? "yes" : "no")
                    .append("\n  do-udp: yes\n  do-tcp: yes\n")
                    .append("  outgoing-interface: 127.0.0.1\n")
                    .append(ipv6 ? "  outgoing-interface: ::1\n" : "")
                    .append(
                            "  access-control: 127.0.0.0/8 allow\n  access-control: ::1/128 allow\n")
                    .append("  username: \"\"\n  chroot: \"\"\n")
                    .append("  directory: \"")
                    .append(dir)
                    .append("\"\n")
                    .append("  pidfile: \"")
                    .append(dir.resolve("unbound.pid"))
                    .append("\"\n")
                    .append("  use-syslog: no\n  logfile: \"\"\n  verbosity: 1\n")
                    .append("  num-threads: 1\n  so-reuseport: no\n")
                    // No validation: Daneel, delv and libunbound validate; this only iterates.
                    .append("  module-config: \"iterator\"\n")
                    // The authoritative servers are on 127.0.0.x, which Unbound refuses to ask by
                    // default.
                    .append("  do-not-query-localhost: no\n")
                    // .test is one of Unbound's default local zones (RFC 6761); here it is a real
                    // hierarchy.
                    .append("  local-zone: \"test.\" nodefault\n")
                    .append("remote-control:\n  control-enable: no\n");
            for (Map.Entry<Name, InetSocketAddress> s : stubs.entrySet()) {
                conf.append("stub-zone:\n  name: \"")
                        .append(s.getKey())
                        .append("\"\n  stub-addr: ")
                        .append(s.getValue().getAddress().getHostAddress())
                        .append('@')
                        .append(s.getValue().getPort())
                        .append("\n  stub-prime: no\n");
            }
            Path confFile = dir.resolve("unbound.conf");
            Files.writeString(confFile, conf);
            Daemon d =
                    Daemon.start(
                            "unbound:" + port,
                            List.of(unbound, "-d", "-c", confFile.toString()),
                            dir,
                            dir.resolve("unbound.log"));
            try {
                d.awaitDns(new InetSocketAddress("127.0.0.1", port), Name.root);
            } catch (RuntimeException e) {
                d.close();
                throw e;
            }
            return new UnboundServer(d, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up Unbound in " + dir, e);
        }
    }

    /** The port it listens on, at 127.0.0.1 and ::1, UDP and TCP. */
    int port() {
        return port;
    }

    @Override
    public void close() {
        daemon.close();
    }

    @Override
    public String toString() {
        return daemon.toString();
    }
}
