package dev.daneel.cli;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo's TLS side: a self-signed ECDSA P-256 certificate (what DANE-EE servers typically use)
 * and a TLS server on 127.0.0.1 that completes handshakes with it.
 *
 * <pre>{@code
 * DemoTls.Identity id = DemoTls.selfSigned("www.example.test", Instant.now());
 * try (DemoTls.Server s = new DemoTls.Server(id)) { ... s.port() ... }
 * }</pre>
 *
 * <p>The server accepts on a daemon thread; close it to stop.
 */
final class DemoTls {
    private static final AtomicLong SERIAL = new AtomicLong(1);

    /** A key pair and its self-signed certificate. */
    record Identity(KeyPair keys, X509Certificate cert) {}

    private DemoTls() {}

    static Identity selfSigned(String dnsName, Instant now) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair k = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + dnsName);
            JcaX509v3CertificateBuilder b =
                    new JcaX509v3CertificateBuilder(
                            name,
                            BigInteger.valueOf(SERIAL.getAndIncrement()),
                            Date.from(now.minus(Duration.ofDays(1))),
                            Date.from(now.plus(Duration.ofDays(90))),
                            name,
                            k.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(
                    Extension.extendedKeyUsage,
                    false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            X509Certificate cert =
                    new JcaX509CertificateConverter()
                            .getCertificate(
                                    b.build(
                                            new JcaContentSignerBuilder("SHA256withECDSA")
                                                    .build(k.getPrivate())));
            return new Identity(k, cert);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a demo certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A TLS server on 127.0.0.1 presenting one identity; each connection is a handshake and a
     * close.
     */
    static final class Server implements AutoCloseable {
        private final SSLServerSocket socket;

        Server(Identity id) throws IOException, GeneralSecurityException {
            char[] pw = "demo".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, pw);
            ks.setKeyEntry("server", id.keys().getPrivate(), pw, new X509Certificate[] {id.cert()});
            KeyManagerFactory kmf =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), null, null);
            socket = (SSLServerSocket) c.getServerSocketFactory().createServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(this::serve, "daneel-demo-tls-" + socket.getLocalPort());
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (SSLSocket s = (SSLSocket) socket.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                } catch (IOException e) {
                    // the client went away after the handshake, or the socket closed: serve the
                    // next one
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static List<X509Certificate> chain(Identity id) {
        return List.of(id.cert());
    }
}
