package dev.daneel.anchors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/**
 * {@link TrustAnchors#fromSignedRootAnchors}: the detached CMS signature over root-anchors.xml,
 * with a CA, an intermediate and a signing certificate made here with Bouncy Castle (IANA's real
 * .p7s is not fetched).
 */
class RootAnchorsSignatureTest {

    static final BouncyCastleProvider BC = new BouncyCastleProvider();
    static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static KeyPair caKeys;
    static X509Certificate ca;
    static KeyPair intermediateKeys;
    static X509Certificate intermediate;
    static KeyPair signerKeys;
    static X509Certificate signer;
    static byte[] xml;

    @TempDir Path dir;

    static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static X509Certificate cert(
            String subject,
            KeyPair subjectKeys,
            String issuer,
            KeyPair issuerKeys,
            boolean isCa,
            Instant from,
            Instant until,
            long serial)
            throws Exception {
        X509v3CertificateBuilder b =
                new JcaX509v3CertificateBuilder(
                        new X500Name(issuer),
                        BigInteger.valueOf(serial),
                        Date.from(from),
                        Date.from(until),
                        new X500Name(subject),
                        subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        b.addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(
                        isCa
                                ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                                : KeyUsage.digitalSignature));
        ContentSigner cs =
                new JcaContentSignerBuilder("SHA256withECDSA")
                        .setProvider(BC)
                        .build(issuerKeys.getPrivate());
        return new JcaX509CertificateConverter().setProvider(BC).getCertificate(b.build(cs));
    }

    @BeforeAll
    static void pki() throws Exception {
        Instant from = NOW.minus(Duration.ofDays(365));
        Instant until = NOW.plus(Duration.ofDays(3650));
        caKeys = ecKeys();
        ca = cert("CN=Test Root CA", caKeys, "CN=Test Root CA", caKeys, true, from, until, 1);
        intermediateKeys = ecKeys();
        intermediate =
                cert(
                        "CN=Test DNSSEC CA",
                        intermediateKeys,
                        "CN=Test Root CA",
                        caKeys,
                        true,
                        from,
                        until,
                        2);
        signerKeys = ecKeys();
        signer =
                cert(
                        "CN=root-anchors signer",
                        signerKeys,
                        "CN=Test DNSSEC CA",
                        intermediateKeys,
                        false,
                        from,
                        NOW.plus(Duration.ofDays(30)),
                        3);
        try (InputStream in = TrustAnchors.class.getResourceAsStream("root-anchors.xml")) {
            xml = in.readAllBytes();
        }
    }

    static byte[] sign(
            byte[] content, KeyPair keys, X509Certificate cert, List<X509Certificate> carried)
            throws Exception {
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        ContentSigner cs =
                new JcaContentSignerBuilder("SHA256withECDSA")
                        .setProvider(BC)
                        .build(keys.getPrivate());
        gen.addSignerInfoGenerator(
                new JcaSignerInfoGeneratorBuilder(
                                new JcaDigestCalculatorProviderBuilder().setProvider(BC).build())
                        .build(cs, cert));
        gen.addCertificates(new JcaCertStore(carried));
        CMSSignedData signed =
                gen.generate(
                        new CMSProcessableByteArray(content),
                        false); // detached, like root-anchors.p7s
        return signed.getEncoded();
    }

    TrustAnchors load(byte[] content, byte[] p7s, List<X509Certificate> cas, Clock clock)
            throws Exception {
        Path x = dir.resolve("root-anchors.xml");
        Path s = dir.resolve("root-anchors.p7s");
        Files.write(x, content);
        Files.write(s, p7s);
        return TrustAnchors.fromSignedRootAnchors(x, s, cas, clock);
    }

    @Test
    void signatureChainingToTheGivenCaIsAccepted() throws Exception {
        TrustAnchors a =
                load(
                        xml,
                        sign(xml, signerKeys, signer, List.of(signer, intermediate)),
                        List.of(ca),
                        CLOCK);
        Set<Integer> tags =
                a.forZone(Name.root).orElseThrow().ds().stream()
                        .map(DSRecord::getFootprint)
                        .collect(Collectors.toSet());
        assertEquals(Set.of(20326, 38696), tags);
    }

    @Test
    void changedFileIsRejected() throws Exception {
        byte[] p7s = sign(xml, signerKeys, signer, List.of(signer, intermediate));
        byte[] changed =
                new String(xml, java.nio.charset.StandardCharsets.UTF_8)
                        .replace("Kmyv6jo", "Kmyv6jX")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SignatureException e =
                assertThrows(
                        SignatureException.class, () -> load(changed, p7s, List.of(ca), CLOCK));
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    }

    @Test
    void signerFromAnotherCaIsRejected() throws Exception {
        KeyPair otherKeys = ecKeys();
        X509Certificate other =
                cert(
                        "CN=Other CA",
                        otherKeys,
                        "CN=Other CA",
                        otherKeys,
                        true,
                        NOW.minus(Duration.ofDays(1)),
                        NOW.plus(Duration.ofDays(10)),
                        9);
        byte[] p7s = sign(xml, signerKeys, signer, List.of(signer, intermediate));
        SignatureException e =
                assertThrows(SignatureException.class, () -> load(xml, p7s, List.of(other), CLOCK));
        assertTrue(
                e.getMessage()
                        .contains("does not chain to the given CA certificate(s) [CN=Other CA]"),
                e.getMessage());
    }

    @Test
    void missingIntermediateMeansNoChain() throws Exception {
        byte[] p7s = sign(xml, signerKeys, signer, List.of(signer));
        assertThrows(SignatureException.class, () -> load(xml, p7s, List.of(ca), CLOCK));
    }

    @Test
    void expiredSigningCertificateIsRejected() throws Exception {
        byte[] p7s = sign(xml, signerKeys, signer, List.of(signer, intermediate));
        Clock later = Clock.fixed(NOW.plus(Duration.ofDays(60)), ZoneOffset.UTC);
        assertThrows(SignatureException.class, () -> load(xml, p7s, List.of(ca), later));
    }

    @Test
    void garbageSignatureFileIsRejected() throws Exception {
        SignatureException e =
                assertThrows(
                        SignatureException.class,
                        () -> load(xml, new byte[] {1, 2, 3}, List.of(ca), CLOCK));
        assertTrue(e.getMessage().contains("not a CMS SignedData"), e.getMessage());
    }
}
