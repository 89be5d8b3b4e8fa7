package dev.daneel.sshfp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.OpenSshServer;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MINA SSHD client with {@link MinaSshfpServerKeyVerifier} against a real OpenSSH {@code sshd} on
 * a loopback port, its ECDSA host key published (or not) as SSHFP in a testkit world.
 */
class MinaSshfpServerKeyVerifierTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir static Path dir;

    private static OpenSshServer sshd;
    private static int port;
    private static KeyPair user;
    private static String hostKeyLine;
    private static World world;
    private static ValidatingResolver resolver;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        user = g.generateKeyPair();
        Path authorized = dir.resolve("authorized_keys");
        Files.writeString(authorized, SshHostKey.of(user.getPublic()).toOpenSsh() + "\n");
        sshd = OpenSshServer.start(dir, "ecdsa", authorized);
        port = sshd.port();
        hostKeyLine = sshd.hostKeyLine();

        KeyPairGenerator other = KeyPairGenerator.getInstance("EC");
        other.initialize(new ECGenParameterSpec("secp256r1"));
        String otherLine = SshHostKey.of(other.generateKeyPair().getPublic()).toOpenSsh();
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z ->
                                        z.sshfp("good", hostKeyLine, 2)
                                                .sshfp("replaced", otherLine, 2)
                                                .record("nosshfp A 127.0.0.1"))
                        .zone("unsigned.test.", z -> z.unsigned().sshfp("good", hostKeyLine, 2))
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
        if (sshd != null) {
            sshd.close();
        }
        if (resolver != null) {
            resolver.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void matchingSecureSshfpLetsTheClientLogIn() throws Exception {
        login(builder("good.example.test.").build());
    }

    @Test
    void mismatchingSecureSshfpRefusesEvenWithAnAcceptingFallback() {
        CountingVerifier fallback = new CountingVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        assertThrows(
                IOException.class,
                () -> login(builder("replaced.example.test.").fallback(fallback).build()));
        assertEquals(0, fallback.calls.get(), "a Secure mismatch never reaches the fallback");
    }

    @Test
    void insecureZoneWithoutFallbackRefuses() {
        assertThrows(IOException.class, () -> login(builder("good.unsigned.test.").build()));
    }

    @Test
    void insecureZoneFallsBackToKnownHosts() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + hostKeyLine + "\n");
        CountingVerifier fallback =
                new CountingVerifier(
                        new KnownHostsServerKeyVerifier(
                                RejectAllServerKeyVerifier.INSTANCE, knownHosts));
        login(builder("good.unsigned.test.").fallback(fallback).build());
        assertEquals(1, fallback.calls.get());
    }

    @Test
    void noRecordsFallsBackAndTheFallbackMayRefuse() {
        CountingVerifier fallback = new CountingVerifier(RejectAllServerKeyVerifier.INSTANCE);
        assertThrows(
                IOException.class,
                () -> login(builder("nosshfp.example.test.").fallback(fallback).build()));
        assertTrue(fallback.calls.get() >= 1);
    }

    @Test
    void defaultOwnerNameIsTheHostGivenToConnect() {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServerKeyVerifier recording =
                (session, remote, key) -> {
                    seen.add(MinaSshfpServerKeyVerifier.connectHost(session));
                    return false;
                };
        // "127.0.0.1." provably does not exist in the world, so the lookup ends in NoRecords and
        // the fallback runs.
        assertThrows(
                IOException.class,
                () ->
                        login(
                                MinaSshfpServerKeyVerifier.builder(new SshfpVerifier(resolver))
                                        .fallback(recording)
                                        .build()));
        assertEquals(java.util.List.of("127.0.0.1"), seen);
    }

    /** A verifier that looks up SSHFP at {@code host}, the name the loopback sshd stands in for. */
    private static MinaSshfpServerKeyVerifier.Builder builder(String host) {
        return MinaSshfpServerKeyVerifier.builder(new SshfpVerifier(resolver))
                .hostName(session -> host);
    }

    /** Connects to the loopback sshd and authenticates with the user key. */
    private static void login(MinaSshfpServerKeyVerifier verifier) throws IOException {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(verifier);
        client.start();
        try (ClientSession session =
                client.connect(System.getProperty("user.name"), "127.0.0.1", port)
                        .verify(WAIT)
                        .getSession()) {
            session.addPublicKeyIdentity(user);
            session.auth().verify(WAIT);
        } finally {
            client.stop();
        }
    }

    /** Delegates and counts how often it was asked. */
    private static final class CountingVerifier implements ServerKeyVerifier {
        final AtomicInteger calls = new AtomicInteger();
        private final ServerKeyVerifier delegate;

        CountingVerifier(ServerKeyVerifier delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean verifyServerKey(
                ClientSession session, java.net.SocketAddress remote, java.security.PublicKey key) {
            calls.incrementAndGet();
            return delegate.verifyServerKey(session, remote, key);
        }
    }
}
