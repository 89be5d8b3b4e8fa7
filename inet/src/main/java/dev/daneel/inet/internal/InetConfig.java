package dev.daneel.inet.internal;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The provider's configuration, read from a properties file (the keys are documented on
 * {@link dev.daneel.inet.DaneelInetResolverProvider}). Every value is checked when the file is read; an
 * unknown key is an error, so that a misspelt {@code require-secure} never silently protects nothing.
 *
 * @param source the file it was read from
 * @param upstreams the recursive resolvers, at least one, IP literals only
 * @param anchors the trust anchor file, or empty for the built-in IANA root anchors
 * @param requireSecure domains whose names (at or below) must be Secure
 * @param builtin domains whose names (at or below) the JDK's built-in resolver answers, unvalidated
 * @param timeout per-attempt upstream timeout, or empty for the resolver's default
 */
public record InetConfig(Path source, List<InetSocketAddress> upstreams, Optional<Path> anchors, List<Name> requireSecure,
                         List<Name> builtin, Optional<Duration> timeout) {

    /** The keys a file may set. */
    public static final Set<String> KEYS = Set.of("upstream", "anchors", "require-secure", "builtin", "timeout");
    /** Names the JDK's built-in resolver answers unless the file sets {@code builtin}. */
    public static final String DEFAULT_BUILTIN = "localhost";
    /** The bounds on {@code timeout}: the range the validator's own builder accepts. */
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    public InetConfig {
        Objects.requireNonNull(source, "source");
        upstreams = List.copyOf(upstreams);
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException(source + ": upstream: expected at least one resolver");
        }
        Objects.requireNonNull(anchors, "anchors");
        requireSecure = List.copyOf(requireSecure);
        builtin = List.copyOf(builtin);
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Reads and checks {@code file}. */
    public static InetConfig read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return parse(p, file);
    }

    /** Checks the properties read from {@code file}; relative paths are relative to the file's folder. */
    public static InetConfig parse(Properties p, Path file) {
        Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(file + ": unknown key(s) " + unknown + "; expected only " + new TreeSet<>(KEYS));
        }
        String upstream = p.getProperty("upstream");
        if (upstream == null || upstream.isBlank()) {
            throw new IllegalArgumentException(file + ": upstream: missing; expected the recursive resolvers to ask, "
                    + "as IP[:PORT] or [IPv6]:PORT separated by commas (e.g. upstream = 127.0.0.1:53)");
        }
        List<InetSocketAddress> upstreams = new ArrayList<>();
        for (String item : list(upstream)) {
            upstreams.add(upstream(item, file));
        }
        Optional<Path> anchors = Optional.ofNullable(p.getProperty("anchors")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> {
                    Path dir = file.toAbsolutePath().getParent();
                    return dir == null ? Path.of(s) : dir.resolve(s);
                });
        List<Name> requireSecure = domains(p.getProperty("require-secure", ""), "require-secure", file);
        List<Name> builtin = domains(p.getProperty("builtin", DEFAULT_BUILTIN), "builtin", file);
        Optional<Duration> timeout = Optional.ofNullable(p.getProperty("timeout")).map(String::strip)
                .map(s -> timeout(s, file));
        return new InetConfig(file, upstreams, anchors, requireSecure, builtin, timeout);
    }

    /** The domain of {@code domains} that {@code name} is at or below, if any. */
    public static Optional<Name> covering(List<Name> domains, Name name) {
        return domains.stream().filter(name::subdomain).findFirst();
    }

    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static InetSocketAddress upstream(String item, Path file) {
        String host = item;
        int port = 53;
        if (item.startsWith("[")) {
            int close = item.indexOf(']');
            if (close < 0) {
                throw bad(file, "upstream", "[IPv6]:PORT", item);
            }
            host = item.substring(1, close);
            String rest = item.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw bad(file, "upstream", "[IPv6]:PORT", item);
                }
                port = port(rest.substring(1), file, item);
            }
        } else if (item.indexOf(':') >= 0 && item.indexOf(':') == item.lastIndexOf(':')) {
            host = item.substring(0, item.indexOf(':'));
            port = port(item.substring(item.indexOf(':') + 1), file, item);
        }
        // Only literals: resolving a name here would ask this very resolver, which is not running yet.
        if (!isIpLiteral(host)) {
            throw new IllegalArgumentException(file + ": upstream: expected an IP address (a host name would have to be "
                    + "resolved by this resolver itself), got \"" + item + "\"");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw bad(file, "upstream", "an IP address", item);
        }
    }

    private static boolean isIpLiteral(String host) {
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String octet : host.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        return host.indexOf(':') >= 0 && host.matches("[0-9A-Fa-f:.]+");
    }

    private static int port(String s, Path file, String item) {
        try {
            int port = Integer.parseInt(s);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(file, "upstream", "a port from 1 to 65535", item);
    }

    private static List<Name> domains(String value, String key, Path file) {
        List<Name> out = new ArrayList<>();
        for (String item : list(value)) {
            try {
                out.add(Name.fromString(item, Name.root));
            } catch (TextParseException e) {
                throw bad(file, key, "domain names separated by commas", item);
            }
        }
        return out;
    }

    private static Duration timeout(String s, Path file) {
        try {
            Duration d = Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
            if (d.compareTo(MIN_TIMEOUT) >= 0 && d.compareTo(MAX_TIMEOUT) <= 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(file, "timeout", "seconds from 0.01 to 60", s);
    }

    private static IllegalArgumentException bad(Path file, String key, String expected, String got) {
        return new IllegalArgumentException(file + ": " + key + ": expected " + expected + ", got \"" + got + "\"");
    }
}
