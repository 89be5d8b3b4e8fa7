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
 * BIND {@code named} as a second, non-validating recursive upstream ({@code dnssec-validation no})
 * on 127.0.0.1 and ::1 (where the machine has it).
 *
 * <p>BIND has no way to give a port to root hints, glue or {@code static-stub} server addresses,
 * and the NSD servers listen on a free high port, so every zone of the hierarchy is a {@code
 * forward only} zone to its own server ({@code forwarders { ADDRESS port PORT; }}), the root
 * through the global forwarders. BIND asks a forward zone's parent servers for its DS, as a
 * resolver must. Queries leave only from loopback ({@code query-source} 127.0.0.1 and ::1), a hint
 * zone names only the local root in place of the compiled-in Internet roots, and there is no
 * control channel, so nothing leaves the machine and parallel builds do not meet on port 953.
 *
 * <p>Thread-safe.
 */
final class NamedServer implements AutoCloseable {

    private final Daemon daemon;
    private final int port;

    private NamedServer(Daemon daemon, int port) {
        this.daemon = daemon;
        this.port = port;
    }

    /**
     * Writes the configuration into {@code dir} and starts named on {@code port} (127.0.0.1, and
     * ::1 when {@code ipv6}); returns once it answers.
     *
     * @param zones every zone apex of the hierarchy → its authoritative server; the root's is
     *     required
     */
    static NamedServer start(Path dir, int port, Map<Name, InetSocketAddress> zones, boolean ipv6) {
        String named = Tools.require("named", "bind9");
        InetSocketAddress root = zones.get(Name.root);
        if (root == null) {
            throw new IllegalArgumentException(
                    "the hierarchy needs a root server; got " + zones.keySet());
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve("root.hints"),
                    ". 3600000 IN NS ns1.\nns1. 3600000 IN A "
                            + root.getAddress().getHostAddress()
                            + "\n");
            StringBuilder conf = new StringBuilder();
            conf.append("options {\n")
                    .append("  directory \"")
                    .append(dir)
                    .append("\";\n")
                    .append("  pid-file \"")
                    .append(dir.resolve("named.pid"))
                    .append("\";\n")
                    .append("  session-keyfile \"")
                    .append(dir.resolve("session.key"))
                    .append("\";\n")
                    .append("  managed-keys-directory \"")
                    .append(dir)
                    .append("\";\n")
                    .append("  listen-on port ")
                    .append(port)
                    .append(" { 127.0.0.1; };\n")
                    .append("  listen-on-v6 port ")
                    .append(port)
                    .append(ipv6 ? " { ::1; };\n" : " { none; };\n")
                    .append("  query-source address 127.0.0.1;\n")
                    .append(ipv6 ? "  query-source-v6 address ::1;\n" : "")
                    .append(
                            "  recursion yes;\n  allow-query { localhost; };\n  allow-recursion { localhost; };\n")
                    .append("  dnssec-validation no;\n")
                    .append(
                            "  empty-zones-enable no;\n  automatic-interface-scan no;\n  notify no;\n")
                    .append("  forward only;\n  forwarders { ")
                    .append(forwarder(root))
                    .append(" };\n")
                    .append("};\n")
                    .append("controls { };\n")
                    .append("zone \".\" { type hint; file \"root.hints\"; };\n");
            for (Map.Entry<Name, InetSocketAddress> z : zones.entrySet()) {
                if (!z.getKey().equals(Name.root)) {
                    conf.append("zone \"")
                            .append(z.getKey())
                            .append("\" { type forward; forward only; forwarders { ")
                            .append(forwarder(z.getValue()))
                            .append(" }; };\n");
                }
            }
            Path confFile = dir.resolve("named.conf");
            Files.writeString(confFile, conf);
            Daemon d =
                    Daemon.start(
                            "named:" + port,
                            List.of(named, "-g", "-n", "1", "-c", confFile.toString()),
                            dir,
                            dir.resolve("named.log"));
            try {
                d.awaitDns(new InetSocketAddress("127.0.0.1", port), Name.root);
            } catch (RuntimeException e) {
                d.close();
                throw e;
            }
            return new NamedServer(d, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up named in " + dir, e);
        }
    }

    private static String forwarder(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + " port " + a.getPort() + ";";
    }

    /** The port it listens on, at 127.0.0.1 and ::1. */
    int port() {
        return port;
    }

    /** Its log so far. */
    String log() {
        return daemon.log();
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
