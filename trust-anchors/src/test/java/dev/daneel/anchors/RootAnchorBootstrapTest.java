package dev.daneel.anchors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.RootAnchorBootstrap.Failure;
import dev.daneel.anchors.RootAnchorBootstrap.Reason;
import dev.daneel.anchors.RootAnchorBootstrap.Success;
import dev.daneel.anchors.TestKeys.SigningKey;
import dev.daneel.testkit.RootAnchorsPublisher;
import dev.daneel.testkit.RootAnchorsPublisher.KeyDigest;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * {@link RootAnchorBootstrap} against a real HTTPS server on 127.0.0.1 (the testkit's {@link
 * RootAnchorsPublisher}, whose test CA stands in for ICANN's): a good file is verified, matched
 * against the live root DNSKEY RRset and written to the store; a bad signature, an expired
 * KeyDigest, a file naming a key the live root does not use, and an unreachable URL each fail with
 * their reason and write nothing. Fixed clock.
 */
class RootAnchorBootstrapTest {

    static final Instant NOW = Instant.parse("2030-07-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    final SigningKey ksk = TestKeys.ksk(Name.root, 172800);
    final SigningKey zsk = TestKeys.zsk(Name.root, 172800);
    final RRset live =
            TestKeys.dnskeys(
                    List.of(ksk, zsk),
                    List.of(ksk),
                    NOW.minus(Duration.ofDays(1)),
                    NOW.plus(Duration.ofDays(14)));
    final RootAnchorsPublisher iana = RootAnchorsPublisher.start(NOW);

    @TempDir Path dir;

    @AfterEach
    void stop() {
        iana.close();
    }

    RootAnchorBootstrap bootstrap(AnchorStore store) {
        RootAnchorBootstrap.Builder b =
                RootAnchorBootstrap.builder()
                        .source(iana.url())
                        .trustedCas(List.of(iana.caCertificate()))
                        .sslContext(iana.clientSslContext())
                        .clock(CLOCK);
        return (store == null ? b : b.store(store)).build();
    }

    KeyDigest current(SigningKey k) {
        return new KeyDigest("Kcurrent", k.ds(), NOW.minus(Duration.ofDays(900)), null);
    }

    @Test
    void aGoodFileAnchorsTheLiveKeyAndIsWrittenToTheStore() throws Exception {
        SigningKey retired = TestKeys.ksk(Name.root, 172800);
        iana.publish(
                List.of(
                        new KeyDigest(
                                "Kold",
                                retired.ds(),
                                NOW.minus(Duration.ofDays(3000)),
                                NOW.minus(Duration.ofDays(400))),
                        current(ksk)));
        AnchorStore store = AnchorStore.at(dir.resolve("anchors.state"));
        Success s = assertInstanceOf(Success.class, bootstrap(store).run(live));
        assertEquals(
                List.of(ksk.tag()),
                s.digests().stream().map(d -> d.getFootprint()).toList(),
                "the expired digest is left out");
        assertEquals(List.of(ksk.dnskey()), s.matched());
        assertEquals(
                List.of(ksk.tag()),
                s.anchors().forZone(Name.root).orElseThrow().keys().stream()
                        .map(DNSKEYRecord::getFootprint)
                        .toList());
        TrustPointState saved = store.load().orElseThrow().get(0);
        assertEquals(Name.root, saved.zone());
        assertEquals(
                AnchorState.VALID,
                saved.keys().stream()
                        .filter(k -> k.keyTag() == ksk.tag())
                        .findFirst()
                        .orElseThrow()
                        .state());
        assertEquals(URI.create(iana.url() + "root-anchors.xml"), s.source());
        assertEquals(2, iana.requests(), "one request for the file, one for its signature");
    }

    @Test
    void aStaleTrackerIsReanchoredWithTheBootstrappedState() {
        SigningKey old = TestKeys.ksk(Name.root, 172800);
        AnchorTracker stale =
                AnchorTracker.builder().clock(CLOCK).initial(TrustAnchors.of(old.ds())).build();
        assertEquals(
                AnchorTracker.Outcome.NOT_VALIDATED,
                stale.onDnskeyResponse(live).outcome(),
                "the root moved on");
        iana.publish(List.of(current(ksk)));
        Success s = assertInstanceOf(Success.class, bootstrap(null).run(live));
        s.states().forEach(stale::reanchor);
        assertEquals(List.of(ksk.dnskey()), stale.anchor(Name.root).orElseThrow().keys());
        assertEquals(AnchorTracker.Outcome.VALIDATED, stale.onDnskeyResponse(live).outcome());
    }

    @Test
    void theStoreKeepsItsOtherTrustPoints() throws Exception {
        SigningKey island = TestKeys.ksk(Name.fromString("island.test."), 3600);
        AnchorStore store = AnchorStore.at(dir.resolve("anchors.state"));
        store.save(
                List.of(
                        TrustPointState.initial(
                                TrustAnchors.of(island.ds())
                                        .forZone(Name.fromString("island.test."))
                                        .orElseThrow())));
        iana.publish(List.of(current(ksk)));
        assertInstanceOf(Success.class, bootstrap(store).run(live));
        assertEquals(
                List.of(Name.root, Name.fromString("island.test.")),
                store.load().orElseThrow().stream().map(TrustPointState::zone).toList());
    }

    @Test
    void aFileSignedByAnotherCaIsRefused() throws Exception {
        byte[] xml = RootAnchorsPublisher.rootAnchorsXml(List.of(current(ksk)));
        iana.publishRaw(xml, RootAnchorsPublisher.signByStranger(xml));
        assertRefused(Reason.BAD_SIGNATURE, "does not chain to the given CA");
    }

    @Test
    void aFileChangedAfterSigningIsRefused() throws Exception {
        SigningKey attacker = TestKeys.ksk(Name.root, 172800);
        byte[] signedXml = RootAnchorsPublisher.rootAnchorsXml(List.of(current(ksk)));
        byte[] swapped = RootAnchorsPublisher.rootAnchorsXml(List.of(current(attacker)));
        iana.publishRaw(swapped, iana.sign(signedXml));
        assertRefused(Reason.BAD_SIGNATURE, "does not verify");
    }

    @Test
    void anUnsignedFileIsRefused() throws Exception {
        iana.publishRaw(
                RootAnchorsPublisher.rootAnchorsXml(List.of(current(ksk))),
                "not a signature".getBytes(StandardCharsets.US_ASCII));
        assertRefused(Reason.BAD_SIGNATURE, "not a CMS SignedData");
        iana.withdraw();
        assertRefused(Reason.HTTP_ERROR, "HTTP 404");
    }

    @Test
    void anExpiredKeyDigestIsNotAccepted() throws Exception {
        iana.publish(
                List.of(
                        new KeyDigest(
                                "Kexpired",
                                ksk.ds(),
                                NOW.minus(Duration.ofDays(900)),
                                NOW.minus(Duration.ofDays(1)))));
        assertRefused(Reason.NO_VALID_DIGEST, "expired at");
        iana.publish(
                List.of(new KeyDigest("Kfuture", ksk.ds(), NOW.plus(Duration.ofDays(10)), null)));
        assertRefused(Reason.NO_VALID_DIGEST, "valid only from");
    }

    @Test
    void aFileListingAKeyTheLiveRootDoesNotUseIsRefused() throws Exception {
        SigningKey other = TestKeys.ksk(Name.root, 172800);
        iana.publish(List.of(current(other)));
        Failure f = assertRefused(Reason.NO_MATCHING_KEY, "name key tags [" + other.tag() + "]");
        assertTrue(f.detail().contains("signed by [" + ksk.tag() + "]"), f.detail());
        // the live root publishes the listed key, but it does not sign the DNSKEY RRset: still no
        // anchor
        iana.publish(List.of(current(zsk)));
        assertRefused(Reason.NO_MATCHING_KEY, "name key tags");
    }

    @Test
    void anUnreachableUrlFailsWithAdvice() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        AnchorStore store = AnchorStore.at(dir.resolve("anchors.state"));
        RootAnchorBootstrap b =
                RootAnchorBootstrap.builder()
                        .source(URI.create("https://127.0.0.1:" + closed + "/root-anchors/"))
                        .trustedCas(List.of(iana.caCertificate()))
                        .sslContext(iana.clientSslContext())
                        .clock(CLOCK)
                        .timeout(Duration.ofSeconds(2))
                        .store(store)
                        .build();
        Failure f = assertInstanceOf(Failure.class, b.run(live));
        assertEquals(Reason.UNREACHABLE, f.reason());
        assertTrue(f.message().contains("Check the machine's network"), f.message());
        assertFalse(Files.exists(store.file()));
    }

    Failure assertRefused(Reason reason, String detailFragment) throws Exception {
        AnchorStore store = AnchorStore.at(dir.resolve("refused-" + reason + ".state"));
        Failure f = assertInstanceOf(Failure.class, bootstrap(store).run(live));
        assertEquals(reason, f.reason(), f.message());
        assertTrue(f.detail().contains(detailFragment), f.detail());
        assertFalse(Files.exists(store.file()), "nothing is written after a failed bootstrap");
        return f;
    }

    @Test
    void theBuilderRefusesAnythingButAnHttpsFolder() throws Exception {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RootAnchorBootstrap.builder()
                                .source(URI.create("http://data.iana.org/root-anchors/")));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RootAnchorBootstrap.builder()
                                .source(URI.create("https://data.iana.org/root-anchors")));
        assertThrows(
                IllegalArgumentException.class,
                () -> RootAnchorBootstrap.builder().trustedCas(List.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> RootAnchorBootstrap.builder().timeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> RootAnchorBootstrap.builder().store(null));
        SigningKey notRoot = TestKeys.ksk(Name.fromString("test.", Name.root), 3600);
        RRset other =
                TestKeys.dnskeys(
                        List.of(notRoot), List.of(notRoot), NOW, NOW.plus(Duration.ofDays(1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> bootstrap(null).run(other),
                "only the root's DNSKEY RRset");
    }

    @Test
    void theBuiltInIcannRootCaIsSelfSignedAndNamedAsIanaPublishesIt() throws Exception {
        List<X509Certificate> cas = RootAnchorBootstrap.icannRootCa();
        assertEquals(1, cas.size());
        X509Certificate ca = cas.get(0);
        assertTrue(
                ca.getSubjectX500Principal().getName().contains("CN=ICANN Root CA"),
                ca.getSubjectX500Principal().getName());
        ca.verify(ca.getPublicKey()); // the bytes are intact: its own signature verifies
        assertEquals(Instant.parse("2029-12-18T04:19:12Z"), ca.getNotAfter().toInstant());
        assertEquals(RootAnchorBootstrap.IANA, URI.create("https://data.iana.org/root-anchors/"));
    }
}
