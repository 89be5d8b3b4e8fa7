package dev.daneel.dane;

import dev.daneel.dane.internal.Association;
import dev.daneel.dane.internal.HostnameMatcher;
import dev.daneel.validator.ValidatingResolver;
import dev.daneel.validator.Verdict;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A JSSE trust manager that authenticates TLS servers by their DNSSEC-validated TLSA records (RFC
 * 6698, RFC 7671). Plug it into any {@link SSLContext}: {@code SSLSocket}, {@code SSLEngine} and
 * {@code java.net.http.HttpClient} all work.
 *
 * <pre>{@code
 * ValidatingResolver resolver = ValidatingResolver.builder().build();
 * DaneTrustManager dane = DaneTrustManager.builder(resolver).build();
 * HttpClient client = HttpClient.newBuilder().sslContext(dane.sslContext()).build();
 * client.send(HttpRequest.newBuilder(URI.create("https://www.example.com/")).build(), BodyHandlers.ofString());
 * }</pre>
 *
 * <p>For each server certificate check it takes the peer's host name and port from the handshake
 * ({@link SSLEngine#getPeerHost()}, the socket's handshake session) or from {@link
 * Builder#service}, looks up {@code _port._tcp.host} and then:
 *
 * <ul>
 *   <li>Secure TLSA records with a usable one: {@link DaneVerifier} decides; a mismatch fails, no
 *       fallback.
 *   <li>No DANE (Insecure, proven absent, or every record unusable): the fallback trust manager
 *       decides (the JDK's PKIX one, with the endpoint's host name check), or the check fails when
 *       {@link Builder#requireDane()} was set.
 *   <li>Bogus, or the lookup failed: fail.
 * </ul>
 *
 * <p>A failure is a {@link CertificateException} whose message says what to do; for a mismatch it
 * lists the presented chain (subject and SPKI SHA-256 of each certificate), the TLSA records and
 * their DNSSEC status, for example:
 *
 * <pre>
 * DANE authentication of wrong.example.test:443 failed: none of the 1 usable TLSA records matches the presented chain
 *   presented chain:
 *     [0] CN=ee.example.test  SPKI SHA-256 907e5c10e8ce98c7…  names [ee.example.test]
 *   TLSA records at _443._tcp.wrong.example.test. (DNSSEC: Secure, algorithms [13]):
 *     3 1 1 beb1dc8625530a58…
 *   Publish a TLSA record for the server's key (e.g. 3 1 1 907e5c10e8ce98c7…) or serve the certificate the records name.
 * </pre>
 *
 * <p>Client certificates are not checked by this class ({@link #checkClientTrusted} always
 * refuses). Immutable and thread-safe; each check blocks on DNS (cached by the resolver), holding
 * no lock.
 */
public final class DaneTrustManager extends X509ExtendedTrustManager {

    private final TlsaLookup lookup;
    private final DaneVerifier verifier;
    private final X509ExtendedTrustManager fallback;
    private final String host;
    private final int port;

    private DaneTrustManager(Builder b) {
        this.lookup = new TlsaLookup(b.resolver);
        this.verifier =
                b.verifier != null ? b.verifier : DaneVerifier.builder().clock(b.clock).build();
        this.fallback = b.requireDane ? null : b.fallback != null ? b.fallback : jdkTrustManager();
        this.host = b.host;
        this.port = b.port;
    }

    /** Starts configuring a trust manager that looks TLSA records up through {@code resolver}. */
    public static Builder builder(ValidatingResolver resolver) {
        return new Builder(resolver);
    }

    /** An {@link SSLContext} ("TLS") whose only trust manager is this one. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS SSLContext: " + e.getMessage(), e);
        }
    }

    /**
     * SSL parameters for connecting to {@code host}: SNI set to it and HTTPS endpoint
     * identification left to this trust manager (which applies RFC 7671's name rules, not RFC
     * 2818's).
     */
    public static SSLParameters sslParameters(String host) {
        SSLParameters p = new SSLParameters();
        p.setServerNames(List.of(new javax.net.ssl.SNIHostName(host)));
        return p;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        String peerHost = null;
        int peerPort = -1;
        if (socket instanceof SSLSocket s) {
            SSLSession session = s.getHandshakeSession();
            peerHost = session != null ? session.getPeerHost() : null;
            peerPort = session != null ? session.getPeerPort() : s.getPort();
        }
        check(
                chain,
                authType,
                peerHost,
                peerPort,
                fb -> fb.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        String peerHost = engine == null ? null : engine.getPeerHost();
        int peerPort = engine == null ? -1 : engine.getPeerPort();
        check(
                chain,
                authType,
                peerHost,
                peerPort,
                fb -> fb.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        check(chain, authType, null, -1, fb -> fb.checkServerTrusted(chain, authType));
    }

    private interface FallbackCheck {
        void run(X509ExtendedTrustManager fallback) throws CertificateException;
    }

    private void check(
            X509Certificate[] chain,
            String authType,
            String peerHost,
            int peerPort,
            FallbackCheck fallbackCheck)
            throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        String h = host != null ? host : peerHost;
        int p = host != null ? port : peerPort;
        if (h == null || p <= 0) {
            throw new CertificateException(
                    "DANE needs the server's host name and port, and the handshake did not "
                            + "carry them; build the trust manager with service(host, port), or connect by host name");
        }
        TlsaAnswer answer = lookup.resolve(h, p, "tcp");
        String service = h + ":" + p;
        if (answer instanceof TlsaAnswer.Failed f) {
            throw new CertificateException(
                    "DANE authentication of "
                            + service
                            + " failed: "
                            + f.detail()
                            + "\n"
                            + describeChain(chain)
                            + "  Fix the zone's DNSSEC, or check that the resolver is reachable.");
        }
        if (answer instanceof TlsaAnswer.Dane d) {
            DaneResult r = verifier.verify(Arrays.asList(chain), d.records(), d.referenceNames());
            if (r instanceof DaneResult.Authenticated) {
                return;
            }
            if (r instanceof DaneResult.Failed f) {
                throw new CertificateException(
                        "DANE authentication of "
                                + service
                                + " failed: "
                                + f.detail()
                                + "\n"
                                + describeChain(chain)
                                + describeRecords(d)
                                + "  Publish a TLSA record for the server's key "
                                + "(e.g. 3 1 1 "
                                + Association.spkiSha256(chain[0])
                                + ") or serve the certificate the records "
                                + "name.");
            }
            // every record unusable: RFC 7671 §4.1, as if there were none
        }
        if (fallback == null) {
            throw new CertificateException(
                    "DANE is required for "
                            + service
                            + " but "
                            + why(answer)
                            + "\n"
                            + describeChain(chain));
        }
        fallbackCheck.run(fallback);
    }

    private static String why(TlsaAnswer answer) {
        if (answer instanceof TlsaAnswer.NoDane n) {
            return n.why();
        }
        return "every TLSA record is unusable (RFC 7671 §4.1)";
    }

    static String describeChain(X509Certificate[] chain) {
        StringBuilder b = new StringBuilder("  presented chain:\n");
        for (int i = 0; i < chain.length; i++) {
            b.append("    [")
                    .append(i)
                    .append("] ")
                    .append(chain[i].getSubjectX500Principal().getName())
                    .append("  SPKI SHA-256 ")
                    .append(Association.spkiSha256(chain[i]));
            if (i == 0) {
                b.append("  names ").append(HostnameMatcher.identifiers(chain[i]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String describeRecords(TlsaAnswer.Dane d) {
        StringBuilder b =
                new StringBuilder("  TLSA records at ")
                        .append(d.answer().name())
                        .append(" (DNSSEC: ")
                        .append(securityText(d.answer().verdict()))
                        .append("):\n");
        for (TlsaRecord r : d.records()) {
            b.append("    ")
                    .append(r)
                    .append(r.usable() ? "" : "  (unusable, ignored)")
                    .append('\n');
        }
        return b.toString();
    }

    static String securityText(Verdict s) {
        if (s instanceof Verdict.Secure secure) {
            return "Secure, algorithms "
                    + secure.algorithms()
                    + (secure.viaDlv() ? ", via DLV" : "");
        }
        if (s instanceof Verdict.Insecure i) {
            return "Insecure ("
                    + i.cause().text()
                    + ") below "
                    + i.delegation().map(Object::toString).orElse("?");
        }
        if (s instanceof Verdict.Bogus b) {
            return "Bogus, " + b.reason() + ": " + b.detail();
        }
        Verdict.Indeterminate i = (Verdict.Indeterminate) s;
        return "Indeterminate, " + i.cause() + ": " + i.detail();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        throw new CertificateException("DaneTrustManager authenticates servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    private static X509ExtendedTrustManager jdkTrustManager() {
        try {
            TrustManagerFactory f =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException(
                    "the JDK's default TrustManagerFactory has no X509ExtendedTrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "the JDK's default trust store cannot be read: " + e.getMessage(), e);
        }
    }

    /** Configures a {@link DaneTrustManager}; every setter checks its argument at once. */
    public static final class Builder {
        private final ValidatingResolver resolver;
        private DaneVerifier verifier;
        private X509ExtendedTrustManager fallback;
        private boolean requireDane;
        private Clock clock = Clock.systemUTC();
        private String host;
        private int port;

        private Builder(ValidatingResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
        }

        /** The verifier (default: the JDK trust store for PKIX usages, the clock below). */
        public Builder verifier(DaneVerifier verifier) {
            this.verifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /** The clock of the default verifier. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Who decides when DANE does not apply (default: the JDK's PKIX trust manager). */
        public Builder fallback(X509ExtendedTrustManager fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            this.requireDane = false;
            return this;
        }

        /** Fail when DANE does not apply, instead of falling back to PKIX. */
        public Builder requireDane() {
            this.requireDane = true;
            return this;
        }

        /**
         * Authenticate this service whatever the handshake says the peer is (for connections by IP
         * address, or through a proxy); the TLSA owner is {@code _port._tcp.host}.
         */
        public Builder service(String host, int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /** The trust manager. */
        public DaneTrustManager build() {
            return new DaneTrustManager(this);
        }
    }
}
