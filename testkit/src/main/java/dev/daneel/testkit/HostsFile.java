package dev.daneel.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a hosts file for the JDK's {@code jdk.net.hosts.file} system property, so that clients
 * that resolve names through {@link InetAddress} (OkHttp, Apache HttpClient, Netty, Jakarta Mail,
 * JDBC drivers…) reach test names on loopback without any DNS server.
 *
 * <p>The JDK reads the property once, when {@code InetAddress} is first used, so it must be given
 * on the command line of the test JVM (e.g. Surefire's {@code argLine}: {@code
 * -Djdk.net.hosts.file=target/test-hosts}); the file itself is read at every lookup, so a test may
 * (re)write it at any time. With the property set, a name not in the file is unknown: the file
 * always holds {@code localhost}.
 *
 * <pre>{@code
 * HostsFile.at(Path.of(System.getProperty("jdk.net.hosts.file")))
 *         .add("www.example.test", InetAddress.getLoopbackAddress())
 *         .add("mx.example.test", "127.0.0.6")
 *         .write();
 * }</pre>
 *
 * <p>Not thread-safe (one test class builds one); {@link #write()} replaces the file atomically.
 */
public final class HostsFile {

    /** The system property the JDK reads. */
    public static final String PROPERTY = "jdk.net.hosts.file";

    private final Path path;
    private final Map<String, InetAddress> entries = new LinkedHashMap<>();

    private HostsFile(Path path) {
        this.path = path;
        entries.put("localhost", InetAddress.getLoopbackAddress());
    }

    /** A hosts file to be written at {@code path}, holding only {@code localhost} so far. */
    public static HostsFile at(Path path) {
        return new HostsFile(Objects.requireNonNull(path, "path"));
    }

    /**
     * The hosts file this JVM was started with ({@code -Djdk.net.hosts.file=...}).
     *
     * @throws IllegalStateException when the property is not set, saying how to set it
     */
    public static HostsFile ofThisJvm() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isEmpty()) {
            throw new IllegalStateException(
                    "expected the JVM to be started with -D"
                            + PROPERTY
                            + "=FILE (e.g. in Surefire's argLine), but the property is not set; the JDK reads it only at startup");
        }
        return at(Path.of(p));
    }

    /** Maps {@code name} to a loopback address (a later entry for the same name replaces it). */
    public HostsFile add(String name, InetAddress address) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (name.isEmpty()
                || name.endsWith(".")
                || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    "expected a host name like \"www.example.test\" (no final dot, no spaces), "
                            + "got \""
                            + name
                            + "\"");
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException(
                    "expected a loopback address for "
                            + name
                            + ", got "
                            + address
                            + "; tests reach only 127.0.0.0/8 and ::1");
        }
        entries.put(name.toLowerCase(java.util.Locale.ROOT), address);
        return this;
    }

    /**
     * Maps {@code name} to the loopback address literal {@code address} ({@code "127.0.0.6"},
     * {@code "::1"}).
     */
    public HostsFile add(String name, String address) {
        Objects.requireNonNull(address, "address");
        // Only literals reach InetAddress.getByName, which would otherwise look a name up in the
        // DNS.
        if (!address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException(
                    "expected an IP address literal, got \"" + address + "\"");
        }
        try {
            return add(name, InetAddress.getByName(address)); // a literal: no lookup happens
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: \"" + address + "\"", e);
        }
    }

    /** The file's path. */
    public Path path() {
        return path;
    }

    /** The file's text: one {@code address name} line per entry. */
    public String text() {
        StringBuilder b = new StringBuilder("# written by dev.daneel.testkit.HostsFile\n");
        entries.forEach(
                (name, address) ->
                        b.append(address.getHostAddress()).append(' ').append(name).append('\n'));
        return b.toString();
    }

    /**
     * Writes the file (through a temporary file and a rename, so a concurrent lookup sees old or
     * new).
     */
    public Path write() throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".hosts", ".tmp");
        Files.writeString(tmp, text(), StandardCharsets.US_ASCII);
        return Files.move(
                tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
