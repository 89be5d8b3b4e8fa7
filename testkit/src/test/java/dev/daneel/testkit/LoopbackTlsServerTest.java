package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class LoopbackTlsServerTest {

    private static final Instant NOW =
            Instant.now(); // the JDK's trust manager checks validity at the real time

    private static SSLContext trusting(Pki pki) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("root", pki.root().certificate());
        TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
        f.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, f.getTrustManagers(), null);
        return c;
    }

    private static String get(SSLContext c, LoopbackTlsServer server, List<Certificate> presented)
            throws Exception {
        try (SSLSocket s =
                (SSLSocket) c.getSocketFactory().createSocket(server.address(), server.port())) {
            s.startHandshake();
            presented.addAll(List.of(s.getSession().getPeerCertificates()));
            s.getOutputStream()
                    .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void servesTheChosenChainAndAnswersHttp() throws Exception {
        Pki pki = Pki.create(NOW);
        Pki.Issued ca = pki.intermediate("CA");
        Pki.Issued leaf = pki.leaf(ca, "www.example.test");
        try (LoopbackTlsServer server = LoopbackTlsServer.start(leaf)) {
            List<Certificate> presented = new java.util.ArrayList<>();
            String response = get(trusting(pki), server, presented);
            assertEquals(List.of(leaf.certificate(), ca.certificate()), presented);
            assertEquals("HTTP/1.1 200 OK", response.lines().findFirst().orElseThrow());
            assertEquals("ok", response.substring(response.indexOf("\r\n\r\n") + 4));
            assertEquals(1, server.handshakes());
        }
    }

    @Test
    void aClientThatRejectsTheChainLeavesNoCompletedHandshake() throws Exception {
        Pki pki = Pki.create(NOW);
        Pki.Issued leaf = pki.selfSigned("www.example.test");
        try (LoopbackTlsServer server = LoopbackTlsServer.start(leaf)) {
            assertThrows(
                    SSLHandshakeException.class,
                    () -> get(trusting(Pki.create(NOW)), server, new java.util.ArrayList<>()));
            // and the server keeps serving
            assertThrows(
                    SSLHandshakeException.class,
                    () -> get(trusting(Pki.create(NOW)), server, new java.util.ArrayList<>()));
            assertEquals(0, server.handshakes());
        }
    }

    @Test
    void bindsAnotherLoopbackAddressButNoOtherInterface() throws Exception {
        Pki.Issued leaf = Pki.create(NOW).selfSigned("www.example.test");
        InetAddress seven = InetAddress.getByName("127.0.0.7");
        try (LoopbackTlsServer server =
                LoopbackTlsServer.start(seven, leaf.chain(), leaf.privateKey())) {
            assertEquals(seven, server.address());
            try (Socket s = new Socket(seven, server.port())) {
                assertEquals(server.port(), s.getPort());
            }
        }
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        LoopbackTlsServer.start(
                                InetAddress.getByName("192.0.2.1"),
                                leaf.chain(),
                                leaf.privateKey()));
    }
}
