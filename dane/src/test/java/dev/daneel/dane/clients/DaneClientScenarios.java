package dev.daneel.dane.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.dane.DaneTrustManager;
import dev.daneel.testkit.HostsFile;
import dev.daneel.testkit.LoopbackTlsServer;
import dev.daneel.testkit.Pki;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scenarios every TLS client is driven through with {@link DaneTrustManager}: a local TLS
 * server per case on 127.0.0.1, the TLSA records in a signed testkit world on loopback, the names
 * reaching the servers through the JDK's resolver and a {@link HostsFile} (this test JVM runs with
 * {@code -Djdk.net.hosts.file}, see the {@code clients} execution in dane/pom.xml). A subclass says
 * how its client fetches {@code https://host:port/}.
 *
 * <p>The property is always set in that execution (so these tests never skip there); the condition
 * only keeps a {@code -Dtest} filter, which also selects them in {@code default-test}, from failing
 * there.
 *
 * <p>The clock is fixed at the start of the run, not at a constant: the PKIX fallback is the JDK's
 * own trust manager, which checks certificate validity at the real time.
 */
abstract class DaneClientScenarios {

    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Pki PKI = Pki.create(NOW);
    static final Pki.Issued CA = PKI.intermediate("Clients Test CA");

    /** DANE-EE: a self-signed server named by its own 3 1 1 record. */
    static final Pki.Issued MATCH = PKI.selfSigned("match.clients.test");

    /** DANE-TA: a leaf under the intermediate the 2 1 1 record names. */
    static final Pki.Issued TA = PKI.leaf(CA, "ta.clients.test");

    /** The key the records for impostor.clients.test name… */
    static final Pki.Issued GENUINE = PKI.selfSigned("impostor.clients.test");

    /** …and the key the server there presents: same name, another key. */
    static final Pki.Issued IMPOSTOR = PKI.selfSigned("impostor.clients.test");

    /** No TLSA records: a PKIX certificate under this run's test root. */
    static final Pki.Issued NONE = PKI.leaf(CA, "none.clients.test");

    static LoopbackTlsServer matchServer;
    static LoopbackTlsServer taServer;
    static LoopbackTlsServer impostorServer;
    static LoopbackTlsServer noneServer;
    static World world;
    static ValidatingResolver resolver;

    @BeforeAll
    static void startServersAndWorld() throws Exception {
        Assumptions.assumeTrue(
                System.getProperty(HostsFile.PROPERTY) != null,
                "runs in the surefire execution "
                        + "'clients', whose JVM has -Djdk.net.hosts.file (a -Dtest filter also selects it in default-test, which has not)");
        matchServer = LoopbackTlsServer.start(MATCH);
        taServer = LoopbackTlsServer.start(TA);
        impostorServer = LoopbackTlsServer.start(IMPOSTOR);
        noneServer = LoopbackTlsServer.start(NONE);
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone(
                                "clients.test.",
                                z ->
                                        z.record(
                                                        MATCH.tlsaLine(
                                                                matchServer.port(),
                                                                "match",
                                                                3,
                                                                1,
                                                                1))
                                                .record(CA.tlsaLine(taServer.port(), "ta", 2, 1, 1))
                                                .record(
                                                        GENUINE.tlsaLine(
                                                                impostorServer.port(),
                                                                "impostor",
                                                                3,
                                                                1,
                                                                1)))
                        .start();
        resolver =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .build();
        HostsFile hosts = HostsFile.ofThisJvm();
        for (String name : List.of("match", "ta", "impostor", "none")) {
            hosts.add(name + ".clients.test", "127.0.0.1");
        }
        hosts.write();
    }

    @AfterAll
    static void stopServersAndWorld() throws Exception {
        if (resolver != null) {
            resolver.close();
        }
        if (world != null) {
            world.close();
        }
        for (LoopbackTlsServer s :
                new LoopbackTlsServer[] {matchServer, taServer, impostorServer, noneServer}) {
            if (s != null) {
                s.close();
            }
        }
    }

    /**
     * Fetches {@code https://host:port/} with the client under test, trusting through {@code dane};
     * the body.
     */
    abstract String fetch(DaneTrustManager dane, String host, int port) throws Exception;

    static DaneTrustManager requireDane() {
        return DaneTrustManager.builder(resolver).clock(CLOCK).requireDane().build();
    }

    /**
     * No TLSA records: the JDK's PKIX trust manager decides, trusting only this run's test root.
     */
    static DaneTrustManager withPkixFallback() {
        return DaneTrustManager.builder(resolver)
                .clock(CLOCK)
                .fallback(PKI.pkixTrustManager())
                .build();
    }

    /** The client's failure, unwrapped down to the trust manager's {@link CertificateException}. */
    CertificateException rejected(DaneTrustManager dane, String host, int port) {
        Exception e =
                assertThrows(
                        Exception.class,
                        () -> fetch(dane, host, port),
                        "the client accepted " + host + ":" + port);
        return certificateException(e)
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "expected the trust manager's CertificateException among the causes of "
                                                + e,
                                        e));
    }

    static Optional<CertificateException> certificateException(Throwable top) {
        Deque<Throwable> todo = new ArrayDeque<>(List.of(top));
        for (int seen = 0; !todo.isEmpty() && seen < 50; seen++) {
            Throwable t = todo.pop();
            if (t instanceof CertificateException c) {
                return Optional.of(c);
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        return Optional.empty();
    }

    @Test
    void matchingDaneEeRecordAuthenticatesASelfSignedServer() throws Exception {
        assertEquals("ok", fetch(requireDane(), "match.clients.test", matchServer.port()));
    }

    @Test
    void daneTaRecordForTheIntermediateAuthenticatesTheChainTheServerSends() throws Exception {
        assertEquals("ok", fetch(requireDane(), "ta.clients.test", taServer.port()));
    }

    @Test
    void impostorWithTheRightNameButAnotherKeyIsRejectedEvenWithAFallback() {
        CertificateException e =
                rejected(requireDane(), "impostor.clients.test", impostorServer.port());
        assertTrue(
                e.getMessage()
                        .contains("none of the 1 usable TLSA records matches the presented chain"),
                e.getMessage());
        // A TLSA mismatch never falls back: the PKIX fallback would not be asked even if it trusted
        // the server.
        CertificateException again =
                rejected(withPkixFallback(), "impostor.clients.test", impostorServer.port());
        assertTrue(
                again.getMessage().contains("none of the 1 usable TLSA records"),
                again.getMessage());
        assertEquals(0, impostorServer.handshakes());
    }

    @Test
    void noTlsaRecordsWithRequireDaneIsRejected() {
        CertificateException e = rejected(requireDane(), "none.clients.test", noneServer.port());
        assertTrue(e.getMessage().contains("DANE is required"), e.getMessage());
    }

    @Test
    void noTlsaRecordsWithoutRequireDaneFallsBackToPkix() throws Exception {
        assertEquals("ok", fetch(withPkixFallback(), "none.clients.test", noneServer.port()));
        // The same fallback with an authority that did not issue the server's certificate refuses
        // it.
        DaneTrustManager strangers =
                DaneTrustManager.builder(resolver)
                        .clock(CLOCK)
                        .fallback(Pki.create(NOW).pkixTrustManager())
                        .build();
        assertThrows(
                Exception.class, () -> fetch(strangers, "none.clients.test", noneServer.port()));
    }
}
