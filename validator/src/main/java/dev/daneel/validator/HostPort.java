package dev.daneel.validator;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import org.xbill.DNS.Address;

/**
 * An upstream resolver's address written {@code HOST[:PORT]}: the one parser the library, the
 * {@code daneel} command ({@code --server}) and the milter configuration ({@code upstream =})
 * share, so that the same text means the same server everywhere and a typo gets the same error.
 *
 * <pre>{@code
 * HostPort.parse("192.0.2.53", 53)        // 192.0.2.53 port 53
 * HostPort.parse("127.0.0.1:5353", 53)    // 127.0.0.1 port 5353
 * HostPort.parse("[::1]:5353", 53)        // ::1 port 5353
 * HostPort.parse("2001:db8::53", 53)      // a bare IPv6 literal: port 53
 * HostPort.parse("[::1", 53)              // IllegalArgumentException: missing ']' ...
 * }</pre>
 *
 * <p>HOST must be an IPv4 or IPv6 literal. A host name is refused on purpose: resolving the name of
 * the resolver would ask some other, unvalidated resolver first, and which one would depend on the
 * machine. An IPv6 address with a port is written in brackets (RFC 3986 §3.2.2); without a port the
 * brackets are optional. The port is 1 .. 65535.
 *
 * <p>Immutable and thread-safe; {@link #parse} is a pure function of its arguments (it never
 * touches the network).
 *
 * @param address the IP address
 * @param port the port, the default when the text gave none
 * @param portGiven whether the text carried a port
 */
public record HostPort(InetAddress address, int port, boolean portGiven) {
    /**
     * The longest text looked at: far beyond any address, short enough to echo back in an error.
     */
    private static final int MAX_LENGTH = 300;

    /** Checks the components. */
    public HostPort {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
    }

    /**
     * Parses {@code IPv4}, {@code IPv4:PORT}, {@code [IPv6]}, {@code [IPv6]:PORT} or a bare IPv6
     * literal.
     *
     * @param text what the user wrote (surrounding blanks ignored)
     * @param defaultPort the port when {@code text} gives none, 1 .. 65535
     * @throws IllegalArgumentException saying what was expected and what was seen; the caller adds
     *     where (an option name, a file and line)
     */
    public static HostPort parse(String text, int defaultPort) {
        Objects.requireNonNull(text, "text");
        if (defaultPort < 1 || defaultPort > 65535) {
            throw new IllegalArgumentException("default port must be 1..65535, got " + defaultPort);
        }
        String s = text.strip();
        if (s.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "expected HOST[:PORT], got "
                            + s.length()
                            + " characters (starting \""
                            + s.substring(0, 40)
                            + "\")");
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException(
                    "expected HOST[:PORT] (an IP address, IPv6 as [ADDR]:PORT), got nothing");
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(
                        "missing ']' in \"" + s + "\"; write IPv6 with a port as [ADDR]:PORT");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException(
                            "expected ':PORT' or nothing after ']' in \""
                                    + s
                                    + "\", got \""
                                    + rest
                                    + "\"");
                }
                port = rest.substring(1);
            }
            if (!host.contains(":")) {
                throw new IllegalArgumentException(
                        "brackets are for IPv6 addresses; \""
                                + host
                                + "\" in \""
                                + s
                                + "\" is not one (write IPv4 as ADDR:PORT)");
            }
        } else {
            int first = s.indexOf(':');
            if (first >= 0 && first == s.lastIndexOf(':')) {
                host = s.substring(0, first);
                port = s.substring(first + 1);
            } else {
                host = s; // no colon (IPv4) or several (a bare IPv6 literal, which cannot carry a
                // port)
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException(
                    "no host in \"" + s + "\"; expected HOST[:PORT], HOST an IP address");
        }
        return new HostPort(
                address(host, s), port == null ? defaultPort : port(port, s), port != null);
    }

    /** The address and port as a socket address. */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    /**
     * {@code 192.0.2.1:53} or {@code [2001:db8::1]:53}: text that {@link #parse} reads back to this
     * value.
     */
    @Override
    public String toString() {
        String a = address.getHostAddress();
        return (a.contains(":") ? "[" + a + "]" : a) + ":" + port;
    }

    private static InetAddress address(String host, String whole) {
        // dnsjava's parsers read literals only; InetAddress.getByName would look a name up.
        byte[] bytes =
                host.contains(":")
                        ? Address.toByteArray(host, Address.IPv6)
                        : Address.toByteArray(host, Address.IPv4);
        if (bytes == null) {
            throw new IllegalArgumentException(
                    "\""
                            + host
                            + "\" in \""
                            + whole
                            + "\" is not an IPv4 or IPv6 address;"
                            + " give the resolver's IP address (a host name is not looked up)");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-octet address is always accepted", e);
        }
    }

    private static int port(String text, String whole) {
        if (text.matches("[0-9]{1,5}")) {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "port must be a number 1..65535, got \"" + text + "\" in \"" + whole + "\"");
    }
}
