package dev.daneel.dane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.dane.internal.Association;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6698 / RFC 7671 matching, on chains generated in code and a fixed clock. */
class DaneVerifierTest {

    private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
    private static final TestPki.Issued ROOT = TestPki.root("Test Root");
    private static final TestPki.Issued CA = TestPki.ca("Test Issuing CA", ROOT);
    private static final TestPki.Issued LEAF = TestPki.leaf("www.example.test", CA);
    private static final List<X509Certificate> CHAIN = List.of(LEAF.cert(), CA.cert());
    private static final List<String> NAMES = List.of("www.example.test");

    private static DaneVerifier verifier() {
        return DaneVerifier.builder().clock(CLOCK).trustStore(List.of(ROOT.cert())).build();
    }

    private static TlsaRecord record(int usage, int selector, int mtype, X509Certificate cert) {
        return new TlsaRecord(
                usage,
                selector,
                mtype,
                Association.data(
                        cert,
                        Selector.fromCode(selector).orElseThrow(),
                        MatchingType.fromCode(mtype).orElseThrow()));
    }

    @Test
    void everyUsageSelectorAndMatchingTypeAuthenticatesItsOwnCertificate() {
        for (int selector = 0; selector <= 1; selector++) {
            for (int mtype = 0; mtype <= 2; mtype++) {
                assertAuthenticated(
                        CertUsage.DANE_EE, 0, record(3, selector, mtype, LEAF.cert()), CHAIN);
                assertAuthenticated(
                        CertUsage.PKIX_EE, 0, record(1, selector, mtype, LEAF.cert()), CHAIN);
                assertAuthenticated(
                        CertUsage.DANE_TA, 1, record(2, selector, mtype, CA.cert()), CHAIN);
                assertAuthenticated(
                        CertUsage.PKIX_TA, 1, record(0, selector, mtype, CA.cert()), CHAIN);
                // PKIX-TA may name the root in the trust store that the peer did not send (depth
                // 2).
                assertAuthenticated(
                        CertUsage.PKIX_TA, 2, record(0, selector, mtype, ROOT.cert()), CHAIN);
            }
        }
    }

    private static void assertAuthenticated(
            CertUsage usage, int depth, TlsaRecord r, List<X509Certificate> chain) {
        DaneResult result = verifier().verify(chain, List.of(r), NAMES);
        DaneResult.Authenticated a =
                assertInstanceOf(DaneResult.Authenticated.class, result, r + " -> " + result);
        assertEquals(usage, a.usage(), r.toString());
        assertEquals(depth, a.depth(), r.toString());
    }

    @Test
    void daneTaFullCertificateNotSentByThePeerSignsTheTopOfTheChain() {
        assertAuthenticated(CertUsage.DANE_TA, 2, record(2, 0, 0, ROOT.cert()), CHAIN);
        // A bare key signs the certificate at depth 1: OpenSSL reports the depth of the signed
        // certificate.
        assertAuthenticated(CertUsage.DANE_TA, 1, record(2, 1, 0, ROOT.cert()), CHAIN);
    }

    @Test
    void daneTaWhoseNameMatchesButWhoseKeyDidNotSignTheChainFails() {
        // An impostor CA with the same subject name as the real one, but another key.
        TestPki.Issued impostor = TestPki.ca("Test Issuing CA", ROOT);
        List<X509Certificate> chain = List.of(LEAF.cert(), impostor.cert());
        DaneResult r = verifier().verify(chain, List.of(record(2, 1, 1, impostor.cert())), NAMES);
        assertEquals(DaneFailure.NO_MATCH, assertInstanceOf(DaneResult.Failed.class, r).failure());
        // And a DANE-TA record for the leaf itself does not count as a trust anchor.
        r = verifier().verify(CHAIN, List.of(record(2, 1, 1, LEAF.cert())), NAMES);
        assertEquals(DaneFailure.NO_MATCH, assertInstanceOf(DaneResult.Failed.class, r).failure());
    }

    @Test
    void daneEeIgnoresNamesAndExpiry() {
        TestPki.Issued expired =
                TestPki.selfSignedLeaf(
                        "other.example",
                        TestPki.NOW.minusSeconds(86400L * 400),
                        TestPki.NOW.minusSeconds(86400L * 30));
        assertAuthenticated(
                CertUsage.DANE_EE, 0, record(3, 1, 1, expired.cert()), List.of(expired.cert()));
    }

    @Test
    void daneTaChecksTheLeafNameAndValidity() {
        DaneResult r =
                verifier()
                        .verify(
                                CHAIN,
                                List.of(record(2, 1, 1, CA.cert())),
                                List.of("mail.example.test"));
        DaneResult.Failed f = assertInstanceOf(DaneResult.Failed.class, r);
        assertEquals(DaneFailure.NAME_MISMATCH, f.failure());
        assertEquals(1, f.depth());
        TestPki.Issued old =
                TestPki.leaf(
                        "www.example.test",
                        CA,
                        TestPki.NOW.minusSeconds(86400L * 400),
                        TestPki.NOW.minusSeconds(86400L));
        r =
                verifier()
                        .verify(
                                List.of(old.cert(), CA.cert()),
                                List.of(record(2, 1, 1, CA.cert())),
                                NAMES);
        assertEquals(
                DaneFailure.CERTIFICATE_EXPIRED,
                assertInstanceOf(DaneResult.Failed.class, r).failure());
    }

    @Test
    void wildcardCoversExactlyOneLabel() {
        TestPki.Issued wild = TestPki.leaf("*.example.test", CA);
        List<X509Certificate> chain = List.of(wild.cert(), CA.cert());
        TlsaRecord ta = record(2, 1, 1, CA.cert());
        assertInstanceOf(
                DaneResult.Authenticated.class, verifier().verify(chain, List.of(ta), NAMES));
        assertInstanceOf(
                DaneResult.Failed.class,
                verifier().verify(chain, List.of(ta), List.of("a.b.example.test")));
    }

    @Test
    void pkixUsagesFailWithoutAPathToTheTrustStore() {
        DaneVerifier noStore = DaneVerifier.builder().clock(CLOCK).trustStore(List.of()).build();
        DaneResult r = noStore.verify(CHAIN, List.of(record(1, 1, 1, LEAF.cert())), NAMES);
        DaneResult.Failed f = assertInstanceOf(DaneResult.Failed.class, r);
        assertEquals(DaneFailure.NO_TRUSTED_ISSUER, f.failure());
        assertEquals(0, f.depth());
    }

    @Test
    void unusableRecordsAreIgnored() {
        TlsaRecord unknownUsage = new TlsaRecord(4, 1, 1, new byte[32]);
        TlsaRecord unknownSelector = new TlsaRecord(3, 2, 1, new byte[32]);
        TlsaRecord unknownMtype = new TlsaRecord(3, 1, 3, new byte[32]);
        TlsaRecord shortDigest = new TlsaRecord(3, 1, 1, new byte[31]);
        TlsaRecord garbageCert = new TlsaRecord(2, 0, 0, new byte[] {1, 2, 3});
        List<TlsaRecord> unusable =
                List.of(unknownUsage, unknownSelector, unknownMtype, shortDigest, garbageCert);
        assertInstanceOf(
                DaneResult.NoUsableRecords.class, verifier().verify(CHAIN, unusable, NAMES));
        // One usable record among them decides.
        List<TlsaRecord> mixed = new java.util.ArrayList<>(unusable);
        mixed.add(record(3, 1, 1, LEAF.cert()));
        assertInstanceOf(DaneResult.Authenticated.class, verifier().verify(CHAIN, mixed, NAMES));
    }

    @Test
    void usableRecordsThatMatchNothingFailWithoutFallback() {
        TestPki.Issued other = TestPki.leaf("www.example.test", CA);
        DaneResult r =
                verifier()
                        .verify(
                                CHAIN,
                                List.of(
                                        record(3, 1, 1, other.cert()),
                                        record(2, 1, 1, other.cert())),
                                NAMES);
        DaneResult.Failed f = assertInstanceOf(DaneResult.Failed.class, r);
        assertEquals(DaneFailure.NO_MATCH, f.failure());
        assertEquals(-1, f.depth());
    }

    @Test
    void sha512RecordsHideSha256RecordsOfTheSameUsageAndSelector() {
        // RFC 7671 §9: a correct SHA2-256 record is ignored once a SHA2-512 one is present (here:
        // wrong).
        TlsaRecord good256 = record(3, 1, 1, LEAF.cert());
        TlsaRecord bad512 = new TlsaRecord(3, 1, 2, new byte[64]);
        DaneResult r = verifier().verify(CHAIN, List.of(good256, bad512), NAMES);
        assertEquals(DaneFailure.NO_MATCH, assertInstanceOf(DaneResult.Failed.class, r).failure());
        assertTrue(DaneVerifier.usable(List.of(good256, bad512)).contains(bad512));
    }

    @Test
    void tlsaRecordParsesAndPrintsPresentationForm() {
        TlsaRecord r = TlsaRecord.parse("3 1 1 AB CD" + "00".repeat(30));
        assertEquals("3 1 1 abcd" + "00".repeat(30), r.toString());
        assertTrue(r.usable());
        assertEquals(CertUsage.DANE_EE, r.certUsage().orElseThrow());
    }
}
