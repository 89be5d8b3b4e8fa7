package dev.daneel.openpgpkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import dev.daneel.testkit.ZoneBuilder;
import dev.daneel.validator.Reason;
import dev.daneel.validator.ValidatingResolver;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class OpenPgpKeyFetcherTest {

    static TestKeys.Generated hugh;
    static TestKeys.Generated other;

    private World world;
    private ValidatingResolver resolver;

    @BeforeAll
    static void keys() {
        hugh = TestKeys.forUserIds("Hugh <hugh@example.test>").generate();
        other = TestKeys.forUserIds("Mallory <mallory@elsewhere.test>").generate();
    }

    @AfterEach
    void close() {
        if (resolver != null) {
            resolver.close();
        }
        if (world != null) {
            world.close();
        }
    }

    private OpenPgpKeyFetcher fetcher(String zone, Consumer<ZoneBuilder> description) {
        return fetcher(zone, description, UnaryOperator.identity());
    }

    private OpenPgpKeyFetcher fetcher(
            String zone,
            Consumer<ZoneBuilder> description,
            UnaryOperator<OpenPgpKeyFetcher.Builder> options) {
        world = World.builder().zone("test.").zone(zone, description).start();
        resolver =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .build();
        return options.apply(OpenPgpKeyFetcher.builder(resolver)).build();
    }

    @Test
    void secureKeyIsFoundParsedAndUsableForEncryption() {
        FetchResult r =
                fetcher("example.test.", z -> z.openpgpkey("hugh@example.test", hugh.encoded()))
                        .fetch("hugh@example.test");
        FetchResult.Secure s = assertInstanceOf(FetchResult.Secure.class, r);
        assertEquals(1, s.keys().size());
        PublishedKey k = s.keys().get(0);
        assertEquals(Set.of(), k.issues());
        assertTrue(k.usableForEncryption());
        assertEquals(
                hugh.publicRing().getPublicKey().getKeyID(),
                k.ring().orElseThrow().getPublicKey().getKeyID());
        assertTrue(
                k.encryptionKey().orElseThrow().getKeyID()
                        != k.ring().orElseThrow().getPublicKey().getKeyID(),
                "the encryption subkey, not the signing primary, is chosen");
        assertEquals(OpenPgpKeyName.of("hugh@example.test"), s.ownerName());
        assertEquals(List.of(), s.rejected());
    }

    @Test
    void insecureZoneIsATypedOutcomeAndHandsOutNoKey() {
        FetchResult r =
                fetcher(
                                "plain.test.",
                                z -> z.unsigned().openpgpkey("hugh@plain.test", hugh.encoded()))
                        .fetch("hugh@plain.test");
        FetchResult.Insecure i = assertInstanceOf(FetchResult.Insecure.class, r);
        assertEquals(1, i.recordsSeen());
        assertEquals("plain.test.", i.verdict().delegation().orElseThrow().toString());
    }

    @Test
    void tamperedKeyRecordIsBogus() {
        String owner = OpenPgpKeyName.of("hugh@example.test");
        FetchResult r =
                fetcher(
                                "example.test.",
                                z ->
                                        z.openpgpkey("hugh@example.test", hugh.encoded())
                                                .breakRRset(
                                                        owner,
                                                        Type.OPENPGPKEY,
                                                        Breakage.TAMPERED_DATA))
                        .fetch("hugh@example.test");
        FetchResult.Bogus b = assertInstanceOf(FetchResult.Bogus.class, r);
        assertEquals(Reason.DNSSEC_BOGUS, b.verdict().reason());
        assertEquals(owner, b.ownerName());
    }

    @Test
    void missingSignaturesOnTheKeyRecordAreBogus() {
        String owner = OpenPgpKeyName.of("hugh@example.test");
        FetchResult r =
                fetcher(
                                "example.test.",
                                z ->
                                        z.openpgpkey("hugh@example.test", hugh.encoded())
                                                .breakRRset(
                                                        owner,
                                                        Type.OPENPGPKEY,
                                                        Breakage.MISSING_RRSIGS))
                        .fetch("hugh@example.test");
        assertEquals(
                Reason.RRSIGS_MISSING,
                assertInstanceOf(FetchResult.Bogus.class, r).verdict().reason());
    }

    @Test
    void nonAsciiAddressWrittenDecomposedFindsTheKeyPublishedUnderItsNfcName() {
        TestKeys.Generated j = TestKeys.forUserIds("J\u00f6rg <j\u00f6rg@example.test>").generate();
        FetchResult r =
                fetcher("example.test.", z -> z.openpgpkey("j\u00f6rg@example.test", j.encoded()))
                        .fetch("jo\u0308rg@example.test");
        assertEquals(
                Set.of(), assertInstanceOf(FetchResult.Secure.class, r).keys().get(0).issues());
    }

    @Test
    void nxdomainIsSecureNoKey() {
        FetchResult r =
                fetcher("example.test.", z -> z.openpgpkey("hugh@example.test", hugh.encoded()))
                        .fetch("nobody@example.test");
        FetchResult.NoKey n = assertInstanceOf(FetchResult.NoKey.class, r);
        assertEquals(Rcode.NXDOMAIN, n.rcode());
    }

    @Test
    void nodataIsSecureNoKey() {
        String owner = OpenPgpKeyName.of("hugh@example.test");
        FetchResult r =
                fetcher("example.test.", z -> z.record(owner + " 300 TXT \"no key here\""))
                        .fetch("hugh@example.test");
        FetchResult.NoKey n = assertInstanceOf(FetchResult.NoKey.class, r);
        assertEquals(Rcode.NOERROR, n.rcode());
    }

    @Test
    void keyWhoseUserIdsLackTheAddressIsRejectedWithAReason() {
        FetchResult.Secure s =
                assertInstanceOf(
                        FetchResult.Secure.class,
                        fetcher(
                                        "example.test.",
                                        z -> z.openpgpkey("hugh@example.test", other.encoded()))
                                .fetch("hugh@example.test"));
        assertEquals(List.of(), s.keys());
        assertEquals(1, s.rejected().size());
        assertEquals(Set.of(KeyIssue.USER_ID_MISMATCH), s.rejected().get(0).issues());
        assertTrue(
                s.rejected().get(0).details().get(0).contains("Mallory <mallory@elsewhere.test>"),
                s.rejected().get(0).details().toString());
    }

    @Test
    void mismatchedKeyIsKeptOnlyWhenTheCallerAcceptsItInsecurely() {
        FetchResult.Secure s =
                assertInstanceOf(
                        FetchResult.Secure.class,
                        fetcher(
                                        "example.test.",
                                        z -> z.openpgpkey("hugh@example.test", other.encoded()),
                                        OpenPgpKeyFetcher.Builder::insecureAcceptUserIdMismatch)
                                .fetch("hugh@example.test"));
        assertEquals(1, s.keys().size());
        assertTrue(s.keys().get(0).issues().contains(KeyIssue.USER_ID_MISMATCH));
    }

    @Test
    void twoKeysInOneRrsetAreBothParsedAndJudgedSeparately() {
        TestKeys.Generated second = TestKeys.forUserIds("Hugh Two <hugh@example.test>").generate();
        FetchResult.Secure s =
                assertInstanceOf(
                        FetchResult.Secure.class,
                        fetcher(
                                        "example.test.",
                                        z ->
                                                z.openpgpkey("hugh@example.test", hugh.encoded())
                                                        .openpgpkey(
                                                                "hugh@example.test",
                                                                second.encoded())
                                                        .openpgpkey(
                                                                "hugh@example.test",
                                                                other.encoded()))
                                .fetch("hugh@example.test"));
        assertEquals(2, s.keys().size());
        assertEquals(2, s.encryptionKeys().size());
        assertEquals(1, s.rejected().size());
    }

    @Test
    void revokedExpiredAndSignOnlyKeysAreReported() {
        byte[] revoked = TestKeys.forUserIds("<a@example.test>").revoked().generate().encoded();
        byte[] expired = TestKeys.forUserIds("<b@example.test>").expired().generate().encoded();
        byte[] signOnly = TestKeys.forUserIds("<c@example.test>").signOnly().generate().encoded();
        OpenPgpKeyFetcher f =
                fetcher(
                        "example.test.",
                        z ->
                                z.openpgpkey("a@example.test", revoked)
                                        .openpgpkey("b@example.test", expired)
                                        .openpgpkey("c@example.test", signOnly));
        PublishedKey a = ((FetchResult.Secure) f.fetch("a@example.test")).keys().get(0);
        PublishedKey b = ((FetchResult.Secure) f.fetch("b@example.test")).keys().get(0);
        PublishedKey c = ((FetchResult.Secure) f.fetch("c@example.test")).keys().get(0);
        assertEquals(Set.of(KeyIssue.REVOKED), a.issues());
        assertTrue(b.issues().contains(KeyIssue.EXPIRED), b.toString());
        assertEquals(Set.of(KeyIssue.NO_ENCRYPTION_KEY), c.issues());
        assertFalse(a.usableForEncryption());
        assertFalse(b.usableForEncryption());
        assertFalse(c.usableForEncryption());
    }

    @Test
    void garbageRecordDataIsRejectedAsUnparseable() {
        FetchResult.Secure s =
                assertInstanceOf(
                        FetchResult.Secure.class,
                        fetcher(
                                        "example.test.",
                                        z ->
                                                z.openpgpkey(
                                                        "hugh@example.test",
                                                        new byte[] {1, 2, 3, 4}))
                                .fetch("hugh@example.test"));
        assertEquals(Set.of(KeyIssue.UNPARSEABLE), s.rejected().get(0).issues());
    }

    @Test
    void lowercaseRetryIsOffByDefaultAndFindsHashSlingerStyleRecordsWhenOn() {
        // Published as hash-slinger and gpg do: under the lowercased local part.
        TestKeys.Generated mixed = TestKeys.forUserIds("Hugh <Hugh@example.test>").generate();
        OpenPgpKeyFetcher strict =
                fetcher("example.test.", z -> z.openpgpkey("hugh@example.test", mixed.encoded()));
        assertInstanceOf(FetchResult.NoKey.class, strict.fetch("Hugh@example.test"));
        OpenPgpKeyFetcher lenient =
                OpenPgpKeyFetcher.builder(resolver).retryLowercaseLocalPart().build();
        FetchResult.Secure s =
                assertInstanceOf(FetchResult.Secure.class, lenient.fetch("Hugh@example.test"));
        assertEquals(OpenPgpKeyName.lowercased("Hugh@example.test"), s.ownerName());
        assertEquals(1, s.keys().size());
    }

    @Test
    void verifyMatchesTheLocalKeyByFingerprint() {
        OpenPgpKeyFetcher f =
                fetcher("example.test.", z -> z.openpgpkey("hugh@example.test", hugh.encoded()));
        assertTrue(f.verify("hugh@example.test", List.of(hugh.publicRing())).allMatch());
        Verification wrong = f.verify("hugh@example.test", List.of(other.publicRing()));
        assertFalse(wrong.anyMatch());
        assertEquals(1, wrong.unmatched().size());
    }

    @Test
    void userIdCertifiedOnlyByAThirdPartyDoesNotCount() throws Exception {
        // Mallory's key with "hugh@example.test" appended as a user ID that Hugh's key (not
        // Mallory's) certifies:
        // the address is in the key, but without a self-signature it does not bind the key to Hugh.
        org.bouncycastle.openpgp.PGPPublicKey mallory = other.publicRing().getPublicKey();
        var privateKey = hugh.secretRing().getSecretKey().extractPrivateKey(null);
        var gen =
                new org.bouncycastle.openpgp.PGPSignatureGenerator(
                        new org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder(
                                        hugh.publicRing().getPublicKey().getAlgorithm(),
                                        org.bouncycastle.bcpg.HashAlgorithmTags.SHA256)
                                .setProvider(TestKeys.BC),
                        hugh.publicRing().getPublicKey());
        gen.init(org.bouncycastle.openpgp.PGPSignature.POSITIVE_CERTIFICATION, privateKey);
        String uid = "Hugh <hugh@example.test>";
        var forged =
                org.bouncycastle.openpgp.PGPPublicKey.addCertification(
                        mallory, uid, gen.generateCertification(uid, mallory));
        byte[] data =
                org.bouncycastle.openpgp.PGPPublicKeyRing.insertPublicKey(
                                other.publicRing(), forged)
                        .getEncoded(true);

        FetchResult.Secure s =
                assertInstanceOf(
                        FetchResult.Secure.class,
                        fetcher("example.test.", z -> z.openpgpkey("hugh@example.test", data))
                                .fetch("hugh@example.test"));
        assertEquals(List.of(), s.keys());
        assertEquals(Set.of(KeyIssue.USER_ID_MISMATCH), s.rejected().get(0).issues());
    }

    @Test
    void unreachableUpstreamIsUnavailableNotNoKey() throws Exception {
        int closedPort;
        try (java.net.DatagramSocket socket =
                new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        world = World.builder().zone("test.").zone("example.test.").build();
        resolver =
                ValidatingResolver.builder()
                        .upstream("127.0.0.1", closedPort)
                        .timeout(java.time.Duration.ofMillis(300))
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .build();
        FetchResult r = OpenPgpKeyFetcher.builder(resolver).build().fetch("hugh@example.test");
        assertInstanceOf(FetchResult.Unavailable.class, r);
    }
}
