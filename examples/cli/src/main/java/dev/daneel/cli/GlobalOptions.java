package dev.daneel.cli;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every {@code daneel} command takes, before or after the command name (picocli's inherited
 * scope). They configure the one {@link ValidatingResolver} a command uses.
 *
 * <pre>{@code
 * daneel --server 127.0.0.1:5353 query www.example.test. A --json
 * }</pre>
 *
 * <p>Not thread-safe; picocli fills one instance per invocation.
 */
final class GlobalOptions {
    /** The DNS port used when {@code --server} gives none. */
    static final int DNS_PORT = 53;

    @Option(names = "--server", paramLabel = "HOST[:PORT]", scope = ScopeType.INHERIT,
            description = "Recursive resolver to send queries to (repeatable; IPv6 as [ADDR]:PORT). "
                    + "Default: the system's resolvers.")
    List<String> servers = new ArrayList<>();

    @Option(names = "--anchor", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Trust anchors: DS/DNSKEY lines, a BIND trust-anchors clause or root-anchors.xml. "
                    + "Default: the built-in IANA root anchors.")
    Path anchor;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print one JSON object on stdout.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT,
            description = "Per-attempt upstream timeout in seconds, 0.01 .. 60 (default 2).")
    Double timeoutSeconds;

    @Option(names = "--tcp", scope = ScopeType.INHERIT, description = "Query the upstreams over TCP only.")
    boolean tcp;

    /**
     * Builds the resolver these options describe.
     *
     * @throws UsageError when an option's value is unusable; the message names the option
     */
    ValidatingResolver.Builder resolverBuilder() {
        ValidatingResolver.Builder b = ValidatingResolver.builder();
        for (String s : servers) {
            b.upstream(parseServer(s));
        }
        if (anchor != null) {
            b.trustAnchors(loadAnchors(anchor));
        }
        if (timeoutSeconds != null) {
            if (timeoutSeconds.isNaN() || timeoutSeconds < 0.01 || timeoutSeconds > 60) {
                throw new UsageError("--timeout must be 0.01 .. 60 seconds, got " + timeoutSeconds);
            }
            b.timeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000)));
        }
        if (tcp) {
            b.tcpOnly();
        }
        return b;
    }

    ValidatingResolver resolver() {
        return resolverBuilder().build();
    }

    static TrustAnchors loadAnchors(Path file) {
        if (!Files.isReadable(file)) {
            throw new UsageError("--anchor: cannot read " + file + " (no such file or not readable)");
        }
        try {
            return TrustAnchors.fromFile(file);
        } catch (IOException | RuntimeException e) {
            throw new UsageError("--anchor: " + file + " holds no usable trust anchor: " + e.getMessage());
        }
    }

    /** Parses {@code HOST}, {@code HOST:PORT}, {@code [V6]:PORT} or a bare IPv6 literal. */
    static InetSocketAddress parseServer(String text) {
        String host = text;
        int port = DNS_PORT;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new UsageError("--server: missing ']' in \"" + text + "\"; write IPv6 as [ADDR]:PORT");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new UsageError("--server: expected ':PORT' after ']' in \"" + text + "\"");
                }
                port = parsePort(text, rest.substring(1));
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = parsePort(text, text.substring(text.indexOf(':') + 1));
        }
        if (host.isEmpty()) {
            throw new UsageError("--server: no host in \"" + text + "\"; expected HOST[:PORT]");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UsageError("--server: cannot resolve host \"" + host + "\"; give an IP address instead");
        }
    }

    private static int parsePort(String text, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageError("--server: port must be 1..65535, got \"" + port + "\" in \"" + text + "\"");
    }
}
