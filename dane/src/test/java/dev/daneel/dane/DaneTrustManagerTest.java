package dev.daneel.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.dane.internal.Association;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.LoopbackTlsServer;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * {@link DaneTrustManager} in real TLS handshakes with JDK servers on 127.0.0.1 whose chains are
 * generated in code, and TLSA records served by a signed testkit world on loopback.
 */
class DaneTrustManagerTest {

    private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
    private static final TestPki.Issued ROOT = TestPki.root("DANE Test Root");
    private static final TestPki.Issued CA = TestPki.ca("DANE Test CA", ROOT);
    private static final TestPki.Issued EE =
            TestPki.selfSignedLeaf(
                    "ee.example.test",
                    TestPki.NOW.minusSeconds(3600),
                    TestPki.NOW.plusSeconds(86400));
    private static final TestPki.Issued EXPIRED =
            TestPki.selfSignedLeaf(
                    "expired.example.test",
                    TestPki.NOW.minusSeconds(86400L * 400),
                    TestPki.NOW.minusSeconds(86400L * 10));
    private static final TestPki.Issued TA_LEAF = TestPki.leaf("ta.example.test", CA);
    private static final TestPki.Issued PKIX_LEAF = TestPki.leaf("pkix.example.test", CA);
    private static final TestPki.Issued OTHER =
            TestPki.selfSignedLeaf(
                    "ee.example.test",
                    TestPki.NOW.minusSeconds(3600),
                    TestPki.NOW.plusSeconds(86400));
    private static final TestPki.Issued LOCAL =
            TestPki.selfSignedLeaf(
                    "localhost", TestPki.NOW.minusSeconds(3600), TestPki.NOW.plusSeconds(86400));

    private static LoopbackTlsServer eeServer;
    private static LoopbackTlsServer expiredServer;
    private static LoopbackTlsServer chainServer;
    private static LoopbackTlsServer localServer;
    private static LoopbackTlsServer pkixServer;
    private static World world;
    private static ValidatingResolver resolver;

    @BeforeAll
    static void start() throws Exception {
        eeServer =
                LoopbackTlsServer.start(
                        InetAddress.getLoopbackAddress(), List.of(EE.cert()), EE.privateKey());
        expiredServer =
                LoopbackTlsServer.start(
                        InetAddress.getLoopbackAddress(),
                        List.of(EXPIRED.cert()),
                        EXPIRED.privateKey());
        chainServer =
                LoopbackTlsServer.start(
                        InetAddress.getLoopbackAddress(),
                        List.of(TA_LEAF.cert(), CA.cert()),
                        TA_LEAF.privateKey());
        localServer =
                LoopbackTlsServer.start(
                        InetAddress.getLoopbackAddress(),
                        List.of(LOCAL.cert()),
                        LOCAL.privateKey());
        pkixServer =
                LoopbackTlsServer.start(
                        InetAddress.getLoopbackAddress(),
                        List.of(PKIX_LEAF.cert(), CA.cert()),
                        PKIX_LEAF.privateKey());
        int ee = eeServer.port();
        int ch = chainServer.port();
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z ->
                                        z.tlsa(ee, "tcp", "ee", EE.cert(), 3, 1, 1)
                                                .tlsa(
                                                        expiredServer.port(),
                                                        "tcp",
                                                        "expired",
                                                        EXPIRED.cert(),
                                                        3,
                                                        1,
                                                        1)
                                                .tlsa(ee, "tcp", "wrong", OTHER.cert(), 3, 1, 1)
                                                .tlsa(ch, "tcp", "ta", CA.cert(), 2, 1, 1)
                                                .tlsa(
                                                        pkixServer.port(),
                                                        "tcp",
                                                        "pkix",
                                                        ROOT.cert(),
                                                        0,
                                                        0,
                                                        1)
                                                .tlsa(
                                                        ch,
                                                        "tcp",
                                                        "ta-wrong-name",
                                                        CA.cert(),
                                                        2,
                                                        1,
                                                        1)
                                                .record(
                                                        "_"
                                                                + ee
                                                                + "._tcp.unusable TLSA 7 1 1 "
                                                                + "00".repeat(32))
                                                .tlsa(ee, "tcp", "bogus", EE.cert(), 3, 1, 1)
                                                .breakRRset(
                                                        "_" + ee + "._tcp.bogus",
                                                        Type.TLSA,
                                                        Breakage.TAMPERED_DATA))
                        .zone(
                                "localhost.",
                                z -> z.tlsa(localServer.port(), "tcp", "@", LOCAL.cert(), 3, 1, 1))
                        .start();
        resolver =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .build();
    }

    @AfterAll
    static void stop() throws Exception {
        resolver.close();
        world.close();
        for (LoopbackTlsServer s :
                List.of(eeServer, expiredServer, chainServer, localServer, pkixServer)) {
            s.close();
        }
    }

    private static DaneTrustManager.Builder manager() {
        return DaneTrustManager.builder(resolver).clock(CLOCK).requireDane();
    }

    private static void handshake(DaneTrustManager tm, String host, int port) throws Exception {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), port);
                SSLSocket s =
                        (SSLSocket)
                                tm.sslContext()
                                        .getSocketFactory()
                                        .createSocket(raw, host, port, true)) {
            s.setSSLParameters(DaneTrustManager.sslParameters(host));
            s.startHandshake();
        }
    }

    private static CertificateException rejected(DaneTrustManager tm, String host, int port) {
        SSLHandshakeException e =
                assertThrows(SSLHandshakeException.class, () -> handshake(tm, host, port));
        Throwable t = e;
        while (t != null && !(t instanceof CertificateException)) {
            t = t.getCause();
        }
        return assertInstanceOf(CertificateException.class, t, "cause of " + e);
    }

    @Test
    void daneEeRecordAuthenticatesSelfSignedServer() throws Exception {
        handshake(manager().build(), "ee.example.test", eeServer.port());
    }

    @Test
    void expiredLeafUnderDaneEePasses() throws Exception {
        handshake(manager().build(), "expired.example.test", expiredServer.port());
    }

    @Test
    void daneTaRecordForTheIntermediateAuthenticatesTheChain() throws Exception {
        handshake(manager().build(), "ta.example.test", chainServer.port());
    }

    @Test
    void pkixTaRecordNeedsThePkixTrustStore() throws Exception {
        DaneVerifier withRoot =
                DaneVerifier.builder().clock(CLOCK).trustStore(List.of(ROOT.cert())).build();
        handshake(manager().verifier(withRoot).build(), "pkix.example.test", pkixServer.port());
        DaneVerifier empty = DaneVerifier.builder().clock(CLOCK).trustStore(List.of()).build();
        CertificateException e =
                rejected(manager().verifier(empty).build(), "pkix.example.test", pkixServer.port());
        // The root the record names is neither presented nor in the (empty) store: nothing matches.
        assertTrue(e.getMessage().contains("matches the presented chain"), e.getMessage());
    }

    @Test
    void daneTaMatchWithTheWrongNameFails() {
        CertificateException e =
                rejected(manager().build(), "ta-wrong-name.example.test", chainServer.port());
        assertTrue(e.getMessage().contains("reference names"), e.getMessage());
    }

    @Test
    void wrongKeyFailsAndTheMessageListsChainRecordsAndDnssecStatus() {
        CertificateException e = rejected(manager().build(), "wrong.example.test", eeServer.port());
        String m = e.getMessage();
        assertTrue(m.contains(Association.spkiSha256(EE.cert())), m);
        assertTrue(m.contains("CN=ee.example.test"), m);
        assertTrue(
                m.contains(
                        TlsaRecords.create(
                                        OTHER.cert(),
                                        CertUsage.DANE_EE,
                                        Selector.SPKI,
                                        MatchingType.SHA2_256)
                                .toString()),
                m);
        assertTrue(m.contains("DNSSEC: Secure"), m);
    }

    @Test
    void bogusTlsaFails() {
        CertificateException e = rejected(manager().build(), "bogus.example.test", eeServer.port());
        assertTrue(e.getMessage().contains("Bogus"), e.getMessage());
    }

    @Test
    void withoutTlsaRecordsRequiredDaneFailsAndTheFallbackDecidesOtherwise() throws Exception {
        CertificateException e = rejected(manager().build(), "none.example.test", eeServer.port());
        assertTrue(e.getMessage().contains("DANE is required"), e.getMessage());
        // The default fallback is the JDK's PKIX trust manager, which does not know this
        // self-signed server.
        DaneTrustManager fallback = DaneTrustManager.builder(resolver).clock(CLOCK).build();
        assertThrows(
                SSLHandshakeException.class,
                () -> handshake(fallback, "none.example.test", eeServer.port()));
    }

    @Test
    void allUnusableRecordsMeanNoDane() {
        CertificateException e =
                rejected(manager().build(), "unusable.example.test", eeServer.port());
        assertTrue(e.getMessage().contains("unusable"), e.getMessage());
    }

    @Test
    void sslEngineHandshakeIsAuthenticatedByTheEnginesPeerHostAndPort() throws Exception {
        SSLEngine client =
                manager().build().sslContext().createSSLEngine("ee.example.test", eeServer.port());
        SSLEngine server =
                LoopbackTlsServer.serverContext(List.of(EE.cert()), EE.privateKey())
                        .createSSLEngine();
        engineHandshake(client, server);
        assertEquals(EE.cert(), client.getSession().getPeerCertificates()[0]);
    }

    @Test
    void sslEngineHandshakeWithAKeyNotInTheDnsFails() throws Exception {
        SSLEngine client =
                manager()
                        .build()
                        .sslContext()
                        .createSSLEngine("wrong.example.test", eeServer.port());
        SSLEngine server =
                LoopbackTlsServer.serverContext(List.of(EE.cert()), EE.privateKey())
                        .createSSLEngine();
        SSLHandshakeException e =
                assertThrows(SSLHandshakeException.class, () -> engineHandshake(client, server));
        Throwable t = e;
        while (t != null && !(t instanceof CertificateException)) {
            t = t.getCause();
        }
        assertTrue(
                t != null && t.getMessage().contains("none of the 1 usable TLSA records"),
                String.valueOf(t));
    }

    /**
     * Runs a TLS handshake between two engines in memory, as an NIO server and client would over a
     * socket.
     */
    private static void engineHandshake(SSLEngine client, SSLEngine server) throws Exception {
        client.setUseClientMode(true);
        server.setUseClientMode(false);
        ByteBuffer toServer = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        ByteBuffer toClient = ByteBuffer.allocate(server.getSession().getPacketBufferSize());
        ByteBuffer clientApp = ByteBuffer.allocate(client.getSession().getApplicationBufferSize());
        ByteBuffer serverApp = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());
        ByteBuffer nothing = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 200; round++) {
            client.wrap(nothing, toServer);
            runTasks(client);
            server.wrap(nothing, toClient);
            runTasks(server);
            toServer.flip();
            toClient.flip();
            server.unwrap(toServer, serverApp);
            runTasks(server);
            client.unwrap(toClient, clientApp);
            runTasks(client);
            toServer.compact();
            toClient.compact();
            boolean done =
                    client.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                            && server.getHandshakeStatus()
                                    == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
            if (done && toServer.position() == 0 && toClient.position() == 0) {
                return;
            }
        }
        throw new AssertionError("the in-memory handshake did not finish in 200 rounds");
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask();
                task != null;
                task = engine.getDelegatedTask()) {
            task.run(); // the certificate check, DNS lookups included, runs here
        }
    }

    @Test
    void httpClientThroughTheSslContextHelper() throws Exception {
        DaneTrustManager dane =
                DaneTrustManager.builder(resolver).clock(CLOCK).requireDane().build();
        HttpClient client = HttpClient.newBuilder().sslContext(dane.sslContext()).build();
        HttpResponse<String> r =
                client.send(
                        HttpRequest.newBuilder(
                                        URI.create("https://localhost:" + localServer.port() + "/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("ok", r.body());
    }

    @Test
    void httpClientRejectsAServerWhoseKeyIsNotInTheDns() {
        DaneTrustManager dane =
                DaneTrustManager.builder(resolver)
                        .clock(CLOCK)
                        .requireDane()
                        .service("wrong.example.test", eeServer.port())
                        .build();
        HttpClient client = HttpClient.newBuilder().sslContext(dane.sslContext()).build();
        assertThrows(
                java.io.IOException.class,
                () ->
                        client.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "https://localhost:"
                                                                + eeServer.port()
                                                                + "/"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()));
    }
}
