package dev.daneel.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import dev.daneel.validator.Status;
import dev.daneel.validator.ValidatingResolver;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * TLSA lookup through the validator against a signed testkit world on loopback (RFC 6698 §3, RFC
 * 7671 §7, RFC 7673).
 */
class TlsaLookupTest {

    private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
    private static final TestPki.Issued WWW =
            TestPki.selfSignedLeaf(
                    "www.example.test",
                    TestPki.NOW.minusSeconds(60),
                    TestPki.NOW.plusSeconds(86400));
    private static World world;
    private static ValidatingResolver resolver;
    private static TlsaLookup lookup;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z ->
                                        z.record("www A 127.0.0.1")
                                                .tlsa(443, "tcp", "www", WWW.cert(), 3, 1, 1)
                                                .record("alias CNAME www")
                                                .record(
                                                        "_443._tcp.alias2 TLSA 3 1 1 "
                                                                + "aa".repeat(32))
                                                .record("alias2 CNAME nowhere")
                                                .record("nowhere A 127.0.0.1")
                                                .record("_25._tcp.mx CNAME _443._tcp.www")
                                                .record("mx A 127.0.0.1")
                                                .record("plain A 127.0.0.1")
                                                .record("_xmpp-client._tcp SRV 10 0 443 www")
                                                .record("_xmpp-client._tcp SRV 20 0 5222 plain")
                                                .tlsa(443, "tcp", "broken", WWW.cert(), 3, 1, 1)
                                                .breakRRset(
                                                        "_443._tcp.broken",
                                                        Type.TLSA,
                                                        Breakage.EXPIRED_SIGNATURES))
                        .zone(
                                "unsigned.test.",
                                z ->
                                        z.unsigned()
                                                .record("www A 127.0.0.1")
                                                .record("_imaps._tcp SRV 0 0 443 www.example.test.")
                                                .tlsa(443, "tcp", "www", WWW.cert(), 3, 1, 1))
                        .start();
        resolver =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .build();
        lookup = new TlsaLookup(resolver);
    }

    @AfterAll
    static void stop() {
        resolver.close();
        world.close();
    }

    @Test
    void secureTlsaRrsetIsDane() {
        TlsaAnswer.Dane d =
                assertInstanceOf(
                        TlsaAnswer.Dane.class, lookup.resolve("www.example.test", 443, "tcp"));
        assertEquals("_443._tcp.www.example.test.", d.owner());
        assertEquals(
                List.of(
                        TlsaRecords.create(
                                WWW.cert(),
                                CertUsage.DANE_EE,
                                Selector.SPKI,
                                MatchingType.SHA2_256)),
                d.records());
        assertEquals(List.of("www.example.test"), d.referenceNames());
        assertEquals(Status.SECURE, d.answer().status());
    }

    @Test
    void secureCnameTargetBecomesTheTlsaBaseDomainAndTheHostStaysAReferenceName() {
        TlsaAnswer.Dane d =
                assertInstanceOf(
                        TlsaAnswer.Dane.class, lookup.resolve("alias.example.test", 443, "tcp"));
        assertEquals("www.example.test", d.baseDomain());
        assertEquals(List.of("www.example.test", "alias.example.test"), d.referenceNames());
    }

    @Test
    void withoutTlsaAtTheCnameTargetTheHostNameIsTried() {
        TlsaAnswer.Dane d =
                assertInstanceOf(
                        TlsaAnswer.Dane.class, lookup.resolve("alias2.example.test", 443, "tcp"));
        assertEquals("alias2.example.test", d.baseDomain());
    }

    @Test
    void tlsaOwnerThatIsAnAliasIsFollowed() {
        TlsaAnswer.Dane d =
                assertInstanceOf(
                        TlsaAnswer.Dane.class, lookup.resolve("mx.example.test", 25, "tcp"));
        assertEquals(1, d.answer().chain().size());
        assertEquals(List.of("mx.example.test"), d.referenceNames());
    }

    @Test
    void provenAbsenceIsNoDane() {
        TlsaAnswer.NoDane n =
                assertInstanceOf(
                        TlsaAnswer.NoDane.class, lookup.resolve("plain.example.test", 443, "tcp"));
        assertEquals(Status.SECURE, n.verdict().status());
    }

    @Test
    void insecureTlsaRrsetIsNoDane() {
        TlsaAnswer.NoDane n =
                assertInstanceOf(
                        TlsaAnswer.NoDane.class, lookup.resolve("www.unsigned.test", 443, "tcp"));
        assertEquals(Status.INSECURE, n.verdict().status());
    }

    @Test
    void secureSrvTargetsGetTheirTlsaRecordsAndTheServiceDomainAsReferenceName() {
        SrvAnswer a = lookup.resolveSrv("xmpp-client", "tcp", "example.test");
        assertEquals(Status.SECURE, a.verdict().status());
        assertEquals(2, a.targets().size());
        SrvTarget first = a.targets().get(0);
        assertEquals("www.example.test", first.host());
        TlsaAnswer.Dane d = assertInstanceOf(TlsaAnswer.Dane.class, first.tlsa());
        assertEquals(List.of("www.example.test", "example.test"), d.referenceNames());
        assertInstanceOf(TlsaAnswer.NoDane.class, a.targets().get(1).tlsa());
    }

    @Test
    void insecureSrvRrsetMeansNoDaneEvenForASignedTarget() {
        SrvAnswer a = lookup.resolveSrv("imaps", "tcp", "unsigned.test");
        assertEquals(Status.INSECURE, a.verdict().status());
        assertInstanceOf(TlsaAnswer.NoDane.class, a.targets().get(0).tlsa());
    }

    @Test
    void bogusTlsaRrsetFails() {
        TlsaAnswer.Failed f =
                assertInstanceOf(
                        TlsaAnswer.Failed.class, lookup.resolve("broken.example.test", 443, "tcp"));
        assertEquals(Status.BOGUS, f.verdict().status());
    }
}
