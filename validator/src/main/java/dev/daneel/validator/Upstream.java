package dev.daneel.validator;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.X509TrustManager;

/**
 * One recursive resolver to forward to, and how to reach it: cleartext DNS (UDP, TCP when an answer
 * is truncated), DNS over TLS (RFC 7858) or DNS over HTTPS (RFC 8484).
 *
 * <pre>{@code
 * Upstream.cleartext(new InetSocketAddress("192.0.2.53", 53));
 * Upstream.tls(new InetSocketAddress("192.0.2.53", 853), "dns.example");      // PKIX for dns.example
 * Upstream.tls(new InetSocketAddress("192.0.2.53", 853), "dns.example")
 *         .withPinSha256("YLh1dUR9y6Kja30RrAn7JKnbQG/uEtLMkBgFF2Fuihg=");    // or this SPKI pin
 * Upstream.https(URI.create("https://192.0.2.53/dns-query"));
 * Upstream.parse("tls://192.0.2.53:853#dns.example");   // the daneel command's --server syntax
 * }</pre>
 *
 * <p>Encrypted upstreams are authenticated strictly (RFC 8310 §5): the server's certificate must
 * verify through PKIX for the configured name (with the JDK's trust store, or the trust manager
 * given by {@link #withTrustManager}), or, when pins are set, its public key must match one of the
 * SPKI SHA-256 pins (RFC 7858 §4.2). A failed authentication is a failed upstream, never a reason
 * to send the question in cleartext. {@link #insecureOpportunistic()} turns authentication off (RFC
 * 8310 opportunistic profile: encrypted, but anyone on the path can answer); its name says what it
 * costs.
 *
 * <p>The address is always an IP literal: resolving the resolver's own name would ask some other,
 * unvalidated resolver first. A DNS-over-HTTPS URI names its host for the TLS check; where that
 * host is a name, the address to connect to is given beside it.
 *
 * <p>Immutable and thread-safe; the {@code with…} methods return a new value.
 */
public final class Upstream {
    /** How the questions travel. */
    public enum Transport {
        /** RFC 1035 / RFC 7766: UDP, and TCP when an answer is truncated or UDP is lost. */
        CLEARTEXT,
        /** RFC 7858: DNS over TLS, one long-lived connection, queries pipelined. */
        TLS,
        /** RFC 8484: DNS over HTTPS, POST of the wire message over HTTP/2. */
        HTTPS
    }

    /** The port of DNS over TLS (RFC 7858 §3.1). */
    public static final int TLS_PORT = 853;

    private final Transport transport;
    private final InetSocketAddress address;
    private final String authName;
    private final URI uri;
    private final List<String> pins;
    private final X509TrustManager trustManager;
    private final boolean insecureOpportunistic;

    private Upstream(
            Transport transport,
            InetSocketAddress address,
            String authName,
            URI uri,
            List<String> pins,
            X509TrustManager trustManager,
            boolean insecureOpportunistic) {
        this.transport = transport;
        this.address = address;
        this.authName = authName;
        this.uri = uri;
        this.pins = List.copyOf(pins);
        this.trustManager = trustManager;
        this.insecureOpportunistic = insecureOpportunistic;
    }

    /** A cleartext upstream (UDP with TCP fallback). */
    public static Upstream cleartext(InetSocketAddress address) {
        return new Upstream(
                Transport.CLEARTEXT, literal(address), null, null, List.of(), null, false);
    }

    /**
     * A DNS-over-TLS upstream at {@code address} whose certificate must be valid for {@code
     * authName} (RFC 8310 §8.1: the authentication domain name).
     */
    public static Upstream tls(InetSocketAddress address, String authName) {
        return new Upstream(
                Transport.TLS, literal(address), authName(authName), null, List.of(), null, false);
    }

    /**
     * A DNS-over-HTTPS upstream at {@code uri} ({@code https://192.0.2.53/dns-query}), whose host
     * must be an IP literal; the certificate must be valid for that address.
     */
    public static Upstream https(URI uri) {
        URI u = httpsUri(uri);
        HostPort host;
        try {
            host = HostPort.parse(u.getHost(), 443);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the host of "
                            + u
                            + " is a name: give the address to connect to with"
                            + " Upstream.https(uri, address), so that no other resolver is asked",
                    e);
        }
        int port = u.getPort() == -1 ? 443 : u.getPort();
        return new Upstream(
                Transport.HTTPS,
                new InetSocketAddress(host.address(), port),
                u.getHost(),
                u,
                List.of(),
                null,
                false);
    }

    /**
     * A DNS-over-HTTPS upstream at {@code uri} ({@code https://dns.example/dns-query}) reached at
     * {@code address}; the certificate must be valid for the URI's host.
     */
    public static Upstream https(URI uri, InetSocketAddress address) {
        URI u = httpsUri(uri);
        return new Upstream(
                Transport.HTTPS,
                literal(address),
                authName(u.getHost()),
                u,
                List.of(),
                null,
                false);
    }

    /**
     * Parses the syntax the {@code daneel} command's {@code --server} and the milter's {@code
     * upstream =} take: {@code HOST[:PORT]} (cleartext, port 53, see {@link HostPort}), {@code
     * tls://HOST[:PORT]#NAME} (DNS over TLS, port 853, authenticated for NAME) and {@code
     * https://IP[:PORT]/PATH} (DNS over HTTPS).
     *
     * @throws IllegalArgumentException saying what was expected and what was seen
     */
    public static Upstream parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("tls://")) {
            String rest = t.substring("tls://".length());
            int hash = rest.lastIndexOf('#');
            if (hash < 0 || hash == rest.length() - 1) {
                throw new IllegalArgumentException(
                        "expected tls://ADDRESS[:PORT]#NAME (NAME: the name the server's"
                                + " certificate is for), got \""
                                + shorten(t)
                                + "\"");
            }
            HostPort hp = HostPort.parse(rest.substring(0, hash), TLS_PORT);
            return tls(hp.socketAddress(), rest.substring(hash + 1));
        }
        if (lower.startsWith("https://")) {
            try {
                return https(new URI(t));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(
                        "expected https://ADDRESS[:PORT]/PATH, got \""
                                + shorten(t)
                                + "\": "
                                + e.getReason(),
                        e);
            }
        }
        if (lower.contains("://")) {
            throw new IllegalArgumentException(
                    "expected HOST[:PORT], tls://HOST[:PORT]#NAME or https://ADDRESS/PATH, got \""
                            + shorten(t)
                            + "\"");
        }
        return cleartext(HostPort.parse(t, 53).socketAddress());
    }

    /**
     * This upstream authenticated by SPKI SHA-256 pins (RFC 7858 §4.2) instead of PKIX: the
     * server's public key must hash to one of them. Each pin is the base64 of the SHA-256 of the
     * DER SubjectPublicKeyInfo, as {@code openssl x509 -pubkey | openssl pkey -pubin -outform der |
     * openssl dgst -sha256 -binary | base64} prints it.
     */
    public Upstream withPinSha256(String... base64Pins) {
        requireEncrypted("pins");
        List<String> all = new ArrayList<>(pins);
        for (String p : base64Pins) {
            Objects.requireNonNull(p, "pin");
            byte[] d;
            try {
                d = Base64.getDecoder().decode(p.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "a pin is the base64 of 32 octets (SHA-256), got \"" + shorten(p) + "\"",
                        e);
            }
            if (d.length != 32) {
                throw new IllegalArgumentException(
                        "a pin is the base64 of 32 octets (SHA-256), got "
                                + d.length
                                + " octets: \""
                                + shorten(p)
                                + "\"");
            }
            all.add(Base64.getEncoder().encodeToString(d));
        }
        return new Upstream(transport, address, authName, uri, all, trustManager, false);
    }

    /**
     * This upstream's certificate checked with {@code trustManager} (for example one built from a
     * private CA) instead of the JDK's default trust store.
     */
    public Upstream withTrustManager(X509TrustManager trustManager) {
        requireEncrypted("a trust manager");
        return new Upstream(
                transport,
                address,
                authName,
                uri,
                pins,
                Objects.requireNonNull(trustManager, "trustManager"),
                false);
    }

    /**
     * This upstream with authentication turned off (RFC 8310 opportunistic privacy): the hop is
     * encrypted, but an attacker on the path can impersonate the server. DNSSEC validation is
     * unchanged, so forged data is still Bogus; what is lost is the privacy of the questions.
     */
    public Upstream insecureOpportunistic() {
        requireEncrypted("opportunistic mode");
        return new Upstream(transport, address, authName, uri, List.of(), null, true);
    }

    /** How the questions travel. */
    public Transport transport() {
        return transport;
    }

    /** The address questions are sent to. */
    public InetSocketAddress address() {
        return address;
    }

    /** The name the certificate must be valid for (TLS and HTTPS), empty for cleartext. */
    public Optional<String> authName() {
        return Optional.ofNullable(authName);
    }

    /** The DNS-over-HTTPS URI, empty for the other transports. */
    public Optional<URI> uri() {
        return Optional.ofNullable(uri);
    }

    /** The SPKI SHA-256 pins (base64), empty when PKIX authenticates the server. */
    public List<String> pinsSha256() {
        return pins;
    }

    /** The trust manager given, empty for the JDK's default trust store. */
    public Optional<X509TrustManager> trustManager() {
        return Optional.ofNullable(trustManager);
    }

    /** Whether authentication is off ({@link #insecureOpportunistic()}). */
    public boolean isInsecureOpportunistic() {
        return insecureOpportunistic;
    }

    /**
     * The text {@link #parse} reads back (pins, trust manager and opportunistic mode aside), for
     * logs and messages.
     */
    @Override
    public String toString() {
        String hostPort = new HostPort(address.getAddress(), address.getPort(), true).toString();
        return switch (transport) {
            case CLEARTEXT -> hostPort;
            case TLS -> "tls://" + hostPort + "#" + authName;
            case HTTPS -> uri.toString();
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Upstream u
                && transport == u.transport
                && address.equals(u.address)
                && Objects.equals(authName, u.authName)
                && Objects.equals(uri, u.uri)
                && pins.equals(u.pins)
                && Objects.equals(trustManager, u.trustManager)
                && insecureOpportunistic == u.insecureOpportunistic;
    }

    @Override
    public int hashCode() {
        return Objects.hash(transport, address, authName, uri, pins, insecureOpportunistic);
    }

    private void requireEncrypted(String what) {
        if (transport == Transport.CLEARTEXT) {
            throw new IllegalStateException(
                    what + " apply to DNS over TLS or HTTPS; " + this + " is cleartext");
        }
    }

    private static InetSocketAddress literal(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(
                    "an upstream's address must be an IP literal, got the unresolved name "
                            + address.getHostString());
        }
        return address;
    }

    private static String authName(String name) {
        Objects.requireNonNull(name, "authName");
        String n = name.strip();
        if (n.isEmpty() || n.length() > 253) {
            throw new IllegalArgumentException(
                    "the authentication name is a host name of 1..253 characters, got \""
                            + shorten(name)
                            + "\"");
        }
        return n;
    }

    private static URI httpsUri(URI uri) {
        Objects.requireNonNull(uri, "uri");
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "expected an https:// URI with a host (https://192.0.2.53/dns-query), got "
                            + shorten(uri.toString()));
        }
        return uri;
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
