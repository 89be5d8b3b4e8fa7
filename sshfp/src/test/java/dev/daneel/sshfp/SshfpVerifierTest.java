package dev.daneel.sshfp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** Presented host keys checked against SSHFP RRsets served by a signed testkit world. */
class SshfpVerifierTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
    static final SshHostKey ED25519 = SshHostKey.parse(KnownAnswerTest.ED25519);
    static final String WRONG_SHA256 = "00".repeat(32);

    private static World world;
    private static ValidatingResolver resolver;
    private static SshfpVerifier verifier;

    @BeforeAll
    static void start() {
        String sha1 =
                dev.daneel.sshfp.internal.SshWire.hex(ED25519.fingerprint(FingerprintType.SHA1));
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z ->
                                        z.sshfp("host", KnownAnswerTest.ED25519)
                                                .sshfp("host", KnownAnswerTest.RSA)
                                                .sshfp("old", KnownAnswerTest.ED25519, 1)
                                                .record(
                                                        "sha1trap SSHFP 4 1 "
                                                                + sha1
                                                                + "\nsha1trap SSHFP 4 2 "
                                                                + WRONG_SHA256)
                                                .sshfp("rsaonly", KnownAnswerTest.RSA)
                                                .record(
                                                        "plain A 192.0.2.1\nfuture SSHFP 4 9 abcdef\nfuture SSHFP 4 2 "
                                                                + WRONG_SHA256))
                        .zone(
                                "unsigned.test.",
                                z -> z.unsigned().sshfp("host", KnownAnswerTest.ED25519))
                        .zone(
                                "broken.test.",
                                z ->
                                        z.sshfp("host", KnownAnswerTest.ED25519)
                                                .breakRRset(
                                                        "host", Type.SSHFP, Breakage.TAMPERED_DATA))
                        .start();
        resolver =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .build();
        verifier = new SshfpVerifier(resolver);
    }

    @AfterAll
    static void stop() {
        resolver.close();
        world.close();
    }

    @Test
    void secureMatchingSha256RecordIsAMatch() {
        SshfpResult r = verifier.verify("host.example.test", ED25519);
        SshfpResult.Match m = assertInstanceOf(SshfpResult.Match.class, r);
        assertEquals(2, m.matched().fingerprintType());
        assertTrue(r.verified());
    }

    @Test
    void otherKeyOfThePublishedAlgorithmIsAMismatch() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        SshHostKey other = SshHostKey.of(g.generateKeyPair().getPublic());
        SshfpResult.Mismatch m =
                assertInstanceOf(
                        SshfpResult.Mismatch.class, verifier.verify("host.example.test.", other));
        assertEquals(4, m.records().size(), "SHA-1 and SHA-256 for Ed25519 and RSA");
        assertEquals(1, m.considered().size(), "only the Ed25519 SHA-256 record is compared");
    }

    @Test
    void sha1RecordCountsWhenItIsTheOnlyTypeForTheKeyAlgorithm() {
        SshfpResult.Match m =
                assertInstanceOf(
                        SshfpResult.Match.class, verifier.verify("old.example.test.", ED25519));
        assertEquals(1, m.matched().fingerprintType());
    }

    @Test
    void matchingSha1IsIgnoredWhenASha256RecordExistsForTheSameKeyType() {
        SshfpResult.Mismatch m =
                assertInstanceOf(
                        SshfpResult.Mismatch.class,
                        verifier.verify("sha1trap.example.test.", ED25519));
        assertEquals(
                List.of(2), m.considered().stream().map(SshfpRecord::fingerprintType).toList());
    }

    @Test
    void secureRecordsOnlyForAnotherAlgorithmAreAMismatch() {
        SshfpResult.Mismatch m =
                assertInstanceOf(
                        SshfpResult.Mismatch.class,
                        verifier.verify("rsaonly.example.test.", ED25519));
        assertEquals(List.of(), m.considered());
    }

    @Test
    void unknownFingerprintTypesAreIgnored() {
        SshfpResult.Mismatch m =
                assertInstanceOf(
                        SshfpResult.Mismatch.class,
                        verifier.verify("future.example.test.", ED25519));
        assertEquals(1, m.considered().size());
    }

    @Test
    void secureNodataAndNxdomainAreNoRecords() {
        assertInstanceOf(
                SshfpResult.NoRecords.class, verifier.verify("plain.example.test.", ED25519));
        assertInstanceOf(
                SshfpResult.NoRecords.class, verifier.verify("nonexistent.example.test.", ED25519));
    }

    @Test
    void recordsInAnUnsignedZoneAreInsecureAndNotAMatch() {
        SshfpResult r = verifier.verify("host.unsigned.test.", ED25519);
        SshfpResult.Insecure i = assertInstanceOf(SshfpResult.Insecure.class, r);
        assertEquals("unsigned.test.", i.verdict().delegation().orElseThrow().toString());
        assertTrue(!r.verified());
    }

    @Test
    void tamperedRecordsAreBogus() {
        SshfpResult.Bogus b =
                assertInstanceOf(
                        SshfpResult.Bogus.class, verifier.verify("host.broken.test.", ED25519));
        assertTrue(b.verdict().detail().contains("SSHFP"), b.verdict().toString());
    }

    @Test
    void unreachableUpstreamIsIndeterminate() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
        try (ValidatingResolver dead =
                ValidatingResolver.builder()
                        .upstream(closed)
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .timeout(Duration.ofMillis(200))
                        .build()) {
            assertInstanceOf(
                    SshfpResult.Indeterminate.class,
                    new SshfpVerifier(dead).verify("host.example.test.", ED25519));
        }
    }
}
