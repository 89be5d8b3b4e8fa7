package dev.daneel.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.xbill.DNS.DSRecord;

/**
 * IANA's root-anchors publication point in miniature, on loopback: an HTTPS server on 127.0.0.1
 * serving {@code root-anchors.xml} (RFC 7958) and its detached CMS signature {@code
 * root-anchors.p7s}, signed by a certificate under a test CA that plays ICANN's root CA. Tests hand
 * {@link #caCertificate()} to the bootstrap under test instead of the real ICANN CA, and {@link
 * #clientSslContext()} so that it trusts the server's TLS certificate (issued for IP 127.0.0.1).
 *
 * <pre>{@code
 * try (RootAnchorsPublisher iana = RootAnchorsPublisher.start(clock.instant())) {
 *     iana.publish(List.of(new RootAnchorsPublisher.KeyDigest("Kecdsa", ds, validFrom, null)));
 *     RootAnchorBootstrap b = RootAnchorBootstrap.builder().source(iana.url())
 *             .trustedCas(List.of(iana.caCertificate())).sslContext(iana.clientSslContext()).clock(clock).build();
 * }
 * }</pre>
 *
 * <p>Needs Bouncy Castle ({@code bcpkix-jdk18on}) on the test class path. Certificates are valid
 * from a year before to ten years after the instant given to {@link #start(Instant)} (and the real
 * time). Thread-safe.
 */
public final class RootAnchorsPublisher implements AutoCloseable {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final DateTimeFormatter XSD_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final KeyPair signerKeys;
    private final X509Certificate signer;
    private final X509Certificate tlsCert;
    private final HttpsServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile byte[] xml = new byte[0];
    private volatile byte[] p7s = new byte[0];
    private volatile boolean serving = true;

    private RootAnchorsPublisher(Instant now) throws GeneralSecurityException, IOException {
        // Bouncy Castle stamps the CMS signingTime from the wall clock and checks the signer's
        // certificate at
        // that time too, so the validity spans both the test's instant and the real one.
        Instant wall = Instant.now();
        Instant from = (now.isBefore(wall) ? now : wall).minus(Duration.ofDays(365));
        Instant until = (now.isAfter(wall) ? now : wall).plus(Duration.ofDays(3650));
        caKeys = ecKeys();
        ca =
                cert(
                        "CN=Test ICANN Root CA",
                        caKeys,
                        "CN=Test ICANN Root CA",
                        caKeys,
                        true,
                        from,
                        until,
                        1,
                        false);
        signerKeys = ecKeys();
        signer =
                cert(
                        "CN=dnssec@iana.test",
                        signerKeys,
                        "CN=Test ICANN Root CA",
                        caKeys,
                        false,
                        from,
                        until,
                        2,
                        false);
        KeyPair tlsKeys = ecKeys();
        tlsCert =
                cert("CN=127.0.0.1", tlsKeys, "CN=127.0.0.1", tlsKeys, false, from, until, 3, true);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "testkit".toCharArray();
        ks.setKeyEntry("tls", tlsKeys.getPrivate(), pw, new Certificate[] {tlsCert});
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        server.createContext("/root-anchors/", this::handle);
        server.start();
    }

    /**
     * Starts a publisher whose certificates are valid around {@code now}, serving nothing yet
     * (404).
     */
    public static RootAnchorsPublisher start(Instant now) {
        try {
            return new RootAnchorsPublisher(now);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test PKI: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the HTTPS server on 127.0.0.1", e);
        }
    }

    /**
     * One {@code KeyDigest} of the file.
     *
     * @param id its {@code id} attribute
     * @param ds the digest (its owner must be the root)
     * @param validFrom start of validity
     * @param validUntil end of validity, or null for none
     */
    public record KeyDigest(String id, DSRecord ds, Instant validFrom, Instant validUntil) {
        public KeyDigest {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(ds, "ds");
            Objects.requireNonNull(validFrom, "validFrom");
        }
    }

    /** An RFC 7958 {@code root-anchors.xml} listing these digests. */
    public static byte[] rootAnchorsXml(List<KeyDigest> digests) {
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(
                "<TrustAnchor id=\"0C05FDD6-TEST\" source=\"https://127.0.0.1/root-anchors/root-anchors.xml\">\n");
        sb.append("<Zone>.</Zone>\n");
        for (KeyDigest d : digests) {
            sb.append("<KeyDigest id=\"")
                    .append(d.id())
                    .append("\" validFrom=\"")
                    .append(XSD_TIME.format(d.validFrom()))
                    .append('"');
            if (d.validUntil() != null) {
                sb.append(" validUntil=\"").append(XSD_TIME.format(d.validUntil())).append('"');
            }
            sb.append(">\n<KeyTag>").append(d.ds().getFootprint()).append("</KeyTag>\n");
            sb.append("<Algorithm>").append(d.ds().getAlgorithm()).append("</Algorithm>\n");
            sb.append("<DigestType>").append(d.ds().getDigestID()).append("</DigestType>\n");
            sb.append("<Digest>")
                    .append(HexFormat.of().withUpperCase().formatHex(d.ds().getDigest()))
                    .append("</Digest>\n");
            sb.append("</KeyDigest>\n");
        }
        sb.append("</TrustAnchor>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes a file listing {@code digests}, signed by this publisher's signer. */
    public void publish(List<KeyDigest> digests) {
        byte[] content = rootAnchorsXml(digests);
        publishRaw(content, sign(content));
    }

    /**
     * Publishes these exact bytes as the file and its signature (for broken or foreign signatures).
     */
    public void publishRaw(byte[] xmlFile, byte[] signature) {
        this.xml = xmlFile.clone();
        this.p7s = signature.clone();
        this.serving = true;
    }

    /** Stops answering with the files (every request gets 404) until the next publish. */
    public void withdraw() {
        this.serving = false;
    }

    /**
     * A detached CMS signature over {@code content} by this publisher's signer, carrying its
     * certificate.
     */
    public byte[] sign(byte[] content) {
        return sign(content, signerKeys, signer);
    }

    /**
     * A detached CMS signature by a fresh key and self-issued certificate that chain to no CA given
     * out.
     */
    public static byte[] signByStranger(byte[] content) {
        try {
            KeyPair k = ecKeys();
            Instant now = Instant.now();
            X509Certificate c =
                    cert(
                            "CN=not ICANN",
                            k,
                            "CN=not ICANN",
                            k,
                            false,
                            now.minus(Duration.ofDays(3650)),
                            now.plus(Duration.ofDays(36500)),
                            9,
                            false);
            return sign(content, k, c);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sign(byte[] content, KeyPair keys, X509Certificate cert) {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            ContentSigner cs =
                    new JcaContentSignerBuilder("SHA256withECDSA")
                            .setProvider(BC)
                            .build(keys.getPrivate());
            gen.addSignerInfoGenerator(
                    new JcaSignerInfoGeneratorBuilder(
                                    new JcaDigestCalculatorProviderBuilder()
                                            .setProvider(BC)
                                            .build())
                            .build(cs, cert));
            gen.addCertificates(new JcaCertStore(List.of(cert)));
            return gen.generate(new CMSProcessableByteArray(content), false).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign root-anchors.xml: " + e.getMessage(), e);
        }
    }

    /** The test CA that plays ICANN's root CA. */
    public X509Certificate caCertificate() {
        return ca;
    }

    /** A client TLS context that trusts this server's certificate (and nothing else). */
    public SSLContext clientSslContext() {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("server", tlsCert);
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, tmf.getTrustManagers(), null);
            return c;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(
                    "cannot make the client TLS context: " + e.getMessage(), e);
        }
    }

    /** The folder URL, {@code https://127.0.0.1:PORT/root-anchors/}. */
    public URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/root-anchors/");
    }

    /** How many requests were answered (any path, any status). */
    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        byte[] body = null;
        if (serving && path.equals("/root-anchors/root-anchors.xml") && xml.length > 0) {
            body = xml;
        } else if (serving && path.equals("/root-anchors/root-anchors.p7s") && p7s.length > 0) {
            body = p7s;
        }
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate cert(
            String subject,
            KeyPair subjectKeys,
            String issuer,
            KeyPair issuerKeys,
            boolean isCa,
            Instant from,
            Instant until,
            long serial,
            boolean loopbackSan)
            throws GeneralSecurityException, IOException {
        try {
            X509v3CertificateBuilder b =
                    new JcaX509v3CertificateBuilder(
                            new X500Name(issuer),
                            BigInteger.valueOf(serial),
                            Date.from(from),
                            Date.from(until),
                            new X500Name(subject),
                            subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            b.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(
                            isCa
                                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                                    : KeyUsage.digitalSignature));
            if (loopbackSan) {
                b.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            }
            ContentSigner cs =
                    new JcaContentSignerBuilder("SHA256withECDSA")
                            .setProvider(BC)
                            .build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().setProvider(BC).getCertificate(b.build(cs));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
