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
 * NSD serving some zones of the interop hierarchy, authoritative only, on one loopback address and
 * port. Everything it writes (config, pid, logs, xfrd state) stays in its own directory; it runs as
 * the user that started it, without chroot, in the foreground.
 *
 * <pre>{@code
 * try (NsdServer nsd = NsdServer.start(dir, "127.0.0.2", port, Map.of(Name.root, rootZoneFile))) {
 *     ... dig @127.0.0.2 -p PORT . SOA ...
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class NsdServer implements AutoCloseable {

    private final Daemon daemon;

    private NsdServer(Daemon daemon) {
        this.daemon = daemon;
    }

    /**
     * Writes the configuration into {@code dir} and starts NSD; returns once it answers for the
     * first zone.
     *
     * @param zones apex → zone file (master-file format)
     */
    static NsdServer start(Path dir, String ipv4, int port, Map<Name, Path> zones) {
        String nsd = Tools.require("nsd", "nsd");
        try {
            Files.createDirectories(dir);
            StringBuilder conf = new StringBuilder();
            conf.append("server:\n")
                    .append("  ip-address: ")
                    .append(ipv4)
                    .append('@')
                    .append(port)
                    .append('\n')
                    .append("  do-ip4: yes\n  do-ip6: no\n")
                    .append("  username: \"\"\n  chroot: \"\"\n")
                    .append("  zonesdir: \"")
                    .append(dir)
                    .append("\"\n")
                    .append("  pidfile: \"")
                    .append(dir.resolve("nsd.pid"))
                    .append("\"\n")
                    .append("  database: \"\"\n")
                    .append("  zonelistfile: \"")
                    .append(dir.resolve("zone.list"))
                    .append("\"\n")
                    .append("  xfrdfile: \"")
                    .append(dir.resolve("xfrd.state"))
                    .append("\"\n")
                    .append("  xfrdir: \"")
                    .append(dir)
                    .append("\"\n")
                    .append(
                            "  server-count: 1\n  verbosity: 1\n  hide-version: yes\n  reuseport: no\n")
                    // Only our own packets: no notifies, no transfers, no control socket.
                    .append("remote-control:\n  control-enable: no\n");
            for (Map.Entry<Name, Path> z : zones.entrySet()) {
                conf.append("zone:\n  name: \"")
                        .append(z.getKey())
                        .append("\"\n  zonefile: \"")
                        .append(z.getValue())
                        .append("\"\n");
            }
            Path confFile = dir.resolve("nsd.conf");
            Files.writeString(confFile, conf);
            Daemon d =
                    Daemon.start(
                            "nsd@" + ipv4 + ":" + port,
                            List.of(nsd, "-d", "-c", confFile.toString()),
                            dir,
                            dir.resolve("nsd.log"));
            try {
                d.awaitDns(new InetSocketAddress(ipv4, port), zones.keySet().iterator().next());
            } catch (RuntimeException e) {
                d.close();
                throw e;
            }
            return new NsdServer(d);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up NSD in " + dir, e);
        }
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
