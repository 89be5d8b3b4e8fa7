package dev.daneel.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * SMTP DANE (RFC 7672) against small JDK SMTP servers with STARTTLS on 127.0.0.2–127.0.0.4 and ::1
 * (one port for all, as SMTP has one), MX, A, AAAA and TLSA records served by a signed testkit
 * world.
 */
class SmtpDaneTest {

    private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
    private static final TestPki.Issued EE =
            TestPki.selfSignedLeaf(
                    "mx-ee.mail.test",
                    TestPki.NOW.minusSeconds(3600),
                    TestPki.NOW.plusSeconds(86400));
    private static final TestPki.Issued ROOT = TestPki.root("SMTP Test Root");
    private static final TestPki.Issued CA = TestPki.ca("SMTP Test CA", ROOT);
    private static final TestPki.Issued TA_LEAF = TestPki.leaf("mx-ta.mail.test", CA);
    private static final TestPki.Issued OTHER =
            TestPki.selfSignedLeaf(
                    "mx-ee.mail.test",
                    TestPki.NOW.minusSeconds(3600),
                    TestPki.NOW.plusSeconds(86400));

    private static final List<SmtpTestServer> SERVERS = new ArrayList<>();
    private static int port;
    private static SmtpTestServer v6;
    private static World world;
    private static ValidatingResolver resolver;

    @BeforeAll
    static void start() throws Exception {
        SmtpTestServer ee = new SmtpTestServer("127.0.0.2", 0, List.of(EE.cert()), EE.privateKey());
        port = ee.port();
        SERVERS.add(ee);
        SERVERS.add(
                new SmtpTestServer(
                        "127.0.0.3",
                        port,
                        List.of(TA_LEAF.cert(), CA.cert()),
                        TA_LEAF.privateKey()));
        SERVERS.add(new SmtpTestServer("127.0.0.4", port, null, null));
        v6 = new SmtpTestServer("::1", port, List.of(OTHER.cert()), OTHER.privateKey());
        SERVERS.add(v6);
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone(
                                "mail.test.",
                                z ->
                                        z.record("ee MX 10 mx-ee")
                                                .record("mx-ee A 127.0.0.2")
                                                .tlsa(port, "tcp", "mx-ee", EE.cert(), 3, 1, 1)
                                                .record("ta MX 10 mx-ta")
                                                .record("mx-ta A 127.0.0.3")
                                                .tlsa(port, "tcp", "mx-ta", CA.cert(), 2, 0, 1)
                                                .record("wrong MX 10 mx-wrong")
                                                .record("mx-wrong A 127.0.0.2")
                                                .tlsa(
                                                        port,
                                                        "tcp",
                                                        "mx-wrong",
                                                        OTHER.cert(),
                                                        3,
                                                        1,
                                                        1)
                                                .record("pkixonly MX 10 mx-pkix")
                                                .record("mx-pkix A 127.0.0.2")
                                                .tlsa(port, "tcp", "mx-pkix", EE.cert(), 1, 1, 1)
                                                .record("notls MX 10 mx-notls")
                                                .record("mx-notls A 127.0.0.4")
                                                .tlsa(port, "tcp", "mx-notls", EE.cert(), 3, 1, 1)
                                                .record("plain MX 10 mx-plain")
                                                .record("mx-plain A 127.0.0.4")
                                                .record("notlsa MX 10 mx-notlsa")
                                                .record("mx-notlsa A 127.0.0.2")
                                                .record("backup MX 10 mx-wrong")
                                                .record("backup MX 20 mx-ee")
                                                .record("bogus MX 10 mx-ee")
                                                .breakRRset(
                                                        "bogus", Type.MX, Breakage.TAMPERED_DATA)
                                                .record("nullmx MX 0 .")
                                                .record("v6 MX 10 mx-v6")
                                                .record("mx-v6 AAAA ::1")
                                                .tlsa(port, "tcp", "mx-v6", OTHER.cert(), 3, 1, 1)
                                                .record("fall MX 10 mx-fall")
                                                .record("mx-fall AAAA ::1")
                                                .record("mx-fall A 127.0.0.2")
                                                .tlsa(port, "tcp", "mx-fall", EE.cert(), 3, 1, 1)
                                                .record("badv6 MX 10 mx-badv6")
                                                .record("mx-badv6 AAAA ::1")
                                                .record("mx-badv6 A 127.0.0.2")
                                                .breakRRset(
                                                        "mx-badv6",
                                                        Type.AAAA,
                                                        Breakage.TAMPERED_DATA))
                        .zone(
                                "unsigned.test.",
                                z ->
                                        z.unsigned()
                                                .record("@ MX 10 mx")
                                                .record("mx A 127.0.0.2")
                                                .tlsa(port, "tcp", "mx", OTHER.cert(), 3, 1, 1))
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
        for (SmtpTestServer s : SERVERS) {
            s.close();
        }
    }

    private static SmtpDane smtp(SmtpDanePolicy policy) {
        return SmtpDane.builder(resolver)
                .policy(policy)
                .port(port)
                .clock(CLOCK)
                .heloName("client.test")
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void daneEeMxIsAuthenticatedAfterStartTls() {
        SmtpDaneResult.Authenticated a =
                assertInstanceOf(
                        SmtpDaneResult.Authenticated.class,
                        smtp(SmtpDanePolicy.DANE).connect("ee.mail.test"));
        assertEquals(CertUsage.DANE_EE, a.match().usage());
        assertEquals("mx-ee.mail.test", a.mxHost());
    }

    @Test
    void daneTaMxWithIntermediateIsAuthenticatedWithTheMxHostName() {
        SmtpDaneResult.Authenticated a =
                assertInstanceOf(
                        SmtpDaneResult.Authenticated.class,
                        smtp(SmtpDanePolicy.DANE_ONLY).connect("ta.mail.test"));
        assertEquals(CertUsage.DANE_TA, a.match().usage());
        assertEquals(1, a.match().depth());
    }

    @Test
    void mismatchingTlsaFailsWithoutPlaintextFallback() {
        SmtpDaneResult.Failed f =
                assertInstanceOf(
                        SmtpDaneResult.Failed.class,
                        smtp(SmtpDanePolicy.DANE).connect("wrong.mail.test"));
        assertTrue(f.detail().contains("none of the 1 usable TLSA records"), f.detail());
    }

    @Test
    void aFailedMxIsSkippedForTheNextOne() {
        SmtpDaneResult.Authenticated a =
                assertInstanceOf(
                        SmtpDaneResult.Authenticated.class,
                        smtp(SmtpDanePolicy.DANE).connect("backup.mail.test"));
        assertEquals("mx-ee.mail.test", a.mxHost());
    }

    @Test
    void pkixUsagesAreUnusableInSmtpSoTlsIsMandatoryButUnauthenticated() {
        SmtpDaneResult.Encrypted e =
                assertInstanceOf(
                        SmtpDaneResult.Encrypted.class,
                        smtp(SmtpDanePolicy.DANE_ONLY).connect("pkixonly.mail.test"));
        assertTrue(e.why().contains("unusable"), e.why());
    }

    @Test
    void usableTlsaWithoutStartTlsFails() {
        SmtpDaneResult.Failed f =
                assertInstanceOf(
                        SmtpDaneResult.Failed.class,
                        smtp(SmtpDanePolicy.DANE).connect("notls.mail.test"));
        assertTrue(f.detail().contains("offers no STARTTLS"), f.detail());
    }

    @Test
    void withoutTlsaDaneIsOpportunisticAndDaneOnlyRefuses() {
        assertInstanceOf(
                SmtpDaneResult.Plaintext.class,
                smtp(SmtpDanePolicy.DANE).connect("plain.mail.test"));
        assertInstanceOf(
                SmtpDaneResult.Encrypted.class,
                smtp(SmtpDanePolicy.DANE).connect("notlsa.mail.test"));
        SmtpDaneResult.Failed f =
                assertInstanceOf(
                        SmtpDaneResult.Failed.class,
                        smtp(SmtpDanePolicy.DANE_ONLY).connect("notlsa.mail.test"));
        assertTrue(f.detail().contains("dane-only"), f.detail());
    }

    @Test
    void insecureMxIgnoresTlsaRecords() {
        // The TLSA record names another key, but an unsigned MX RRset means DANE does not apply.
        SmtpDaneResult.Encrypted e =
                assertInstanceOf(
                        SmtpDaneResult.Encrypted.class,
                        smtp(SmtpDanePolicy.DANE).connect("unsigned.test"));
        assertTrue(e.why().contains("not Secure"), e.why());
    }

    @Test
    void bogusMxFailsAndNullMxAcceptsNoMail() {
        SmtpDaneResult.Failed f =
                assertInstanceOf(
                        SmtpDaneResult.Failed.class,
                        smtp(SmtpDanePolicy.DANE).connect("bogus.mail.test"));
        assertTrue(f.detail().contains("Bogus"), f.detail());
        f =
                assertInstanceOf(
                        SmtpDaneResult.Failed.class,
                        smtp(SmtpDanePolicy.DANE).connect("nullmx.mail.test"));
        assertTrue(f.detail().contains("null MX"), f.detail());
    }

    @Test
    void anIpv6OnlyMxHostIsReachedOverIpv6AndAuthenticated() {
        // mx-v6 has only an AAAA record (::1), whose server presents OTHER, the key its TLSA names.
        SmtpDaneResult.Authenticated a =
                assertInstanceOf(
                        SmtpDaneResult.Authenticated.class,
                        smtp(SmtpDanePolicy.DANE_ONLY).connect("v6.mail.test"));
        assertEquals("mx-v6.mail.test", a.mxHost());
        assertEquals(CertUsage.DANE_EE, a.match().usage());
    }

    @Test
    void aFailedIpv6AddressFallsBackToTheIpv4Address() {
        // ::1 presents OTHER, which mx-fall's TLSA does not name; 127.0.0.2 presents EE, which it
        // does.
        int before = v6.sessions();
        SmtpDaneResult.Authenticated a =
                assertInstanceOf(
                        SmtpDaneResult.Authenticated.class,
                        smtp(SmtpDanePolicy.DANE_ONLY).connect("fall.mail.test"));
        assertEquals("mx-fall.mail.test", a.mxHost());
        assertEquals(before + 1, v6.sessions(), "the IPv6 address was tried first");
    }

    @Test
    void aBogusAaaaRrsetFailsTheHostEvenWithAGoodARrset() {
        SmtpDaneResult.Failed f =
                assertInstanceOf(
                        SmtpDaneResult.Failed.class,
                        smtp(SmtpDanePolicy.DANE).connect("badv6.mail.test"));
        assertTrue(f.detail().contains("AAAA records of mx-badv6.mail.test are Bogus"), f.detail());
    }
}
