package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private static void pkixValidate(Pki.Issued leaf, X509Certificate root) throws Exception {
        PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        p.setRevocationEnabled(false);
        p.setDate(Date.from(NOW));
        CertPathValidator.getInstance("PKIX")
                .validate(
                        CertificateFactory.getInstance("X.509").generateCertPath(leaf.chain()), p);
    }

    @Test
    void leafUnderTwoIntermediatesChainsToTheRootInTheJdksPkixValidator() throws Exception {
        Pki pki = Pki.create(NOW);
        Pki.Issued ca1 = pki.intermediate("CA one");
        Pki.Issued ca2 = pki.intermediate(ca1, "CA two");
        Pki.Issued leaf = pki.leaf(ca2, "www.example.test", "alt.example.test");
        assertEquals(
                List.of(leaf.certificate(), ca2.certificate(), ca1.certificate()), leaf.chain());
        pkixValidate(leaf, pki.root().certificate());
        assertEquals(
                List.of(List.of(2, "www.example.test"), List.of(2, "alt.example.test")),
                List.copyOf(leaf.certificate().getSubjectAlternativeNames()));
        // Another authority's root does not anchor it.
        assertThrows(
                CertPathValidatorException.class,
                () -> pkixValidate(leaf, Pki.create(NOW).root().certificate()));
    }

    @Test
    void pkixTrustManagerTrustsOnlyThisRoot() throws Exception {
        Pki pki = Pki.create(NOW);
        Pki.Issued leaf = pki.leaf(pki.root(), "www.example.test");
        X509Certificate[] chain = leaf.chain().toArray(new X509Certificate[0]);
        pki.pkixTrustManager().checkServerTrusted(chain, "ECDHE_ECDSA");
        Pki other = Pki.create(NOW);
        assertThrows(
                java.security.cert.CertificateException.class,
                () -> other.pkixTrustManager().checkServerTrusted(chain, "ECDHE_ECDSA"));
    }

    @Test
    void leafCannotIssue() {
        Pki pki = Pki.create(NOW);
        Pki.Issued leaf = pki.selfSigned("www.example.test");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> pki.leaf(leaf, "x.example.test"));
        assertTrue(e.getMessage().contains("expected a CA certificate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pki.selfSigned("www.example.test."));
    }

    @Test
    void tlsaLineFormatsOwnerAndData() {
        Pki.Issued leaf = Pki.create(NOW).selfSigned("www.example.test");
        String data = leaf.tlsaData(3, 1, 1);
        assertTrue(data.matches("3 1 1 [0-9A-F]{64}"), data);
        assertEquals("_443._tcp.www TLSA " + data, leaf.tlsaLine(443, "www", 3, 1, 1));
        assertEquals("_25._tcp TLSA " + leaf.tlsaData(3, 1, 1), leaf.tlsaLine(25, "@", 3, 1, 1));
        assertTrue(leaf.tlsaData(3, 0, 2).matches("3 0 2 [0-9A-F]{128}"));
    }

    /**
     * The 3 1 1 digest equals what OpenSSL computes from the PEM the class writes (RFC 6698 §2.1
     * and Appendix A).
     */
    @Test
    void tlsaDigestAndPemAgreeWithOpenssl(@TempDir Path dir) throws Exception {
        String openssl = RealTools.require("openssl", "openssl");
        Pki pki = Pki.create(NOW);
        Pki.Issued leaf = pki.leaf(pki.intermediate("CA"), "www.example.test");
        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, leaf.certificatePem());
        Path key = dir.resolve("key.pem");
        Files.writeString(key, leaf.privateKeyPem());
        Path spki = dir.resolve("spki.der");
        RealTools.run(
                dir,
                openssl,
                "x509",
                "-in",
                cert.toString(),
                "-noout",
                "-pubkey",
                "-out",
                dir.resolve("pub.pem").toString());
        RealTools.run(
                dir,
                openssl,
                "pkey",
                "-pubin",
                "-in",
                dir.resolve("pub.pem").toString(),
                "-outform",
                "DER",
                "-out",
                spki.toString());
        String digest =
                RealTools.run(dir, openssl, "dgst", "-sha256", "-r", spki.toString()).split(" ")[0];
        assertEquals("3 1 1 " + digest.toUpperCase(java.util.Locale.ROOT), leaf.tlsaData(3, 1, 1));
        // The private key PEM is the certificate's: OpenSSL derives the same public key from it.
        RealTools.run(
                dir,
                openssl,
                "pkey",
                "-in",
                key.toString(),
                "-pubout",
                "-outform",
                "DER",
                "-out",
                dir.resolve("derived.der").toString());
        assertEquals(
                HexFormat.of().formatHex(Files.readAllBytes(spki)),
                HexFormat.of().formatHex(Files.readAllBytes(dir.resolve("derived.der"))));
        // chainPem holds leaf then intermediate.
        assertEquals(2, leaf.chainPem().split("BEGIN CERTIFICATE").length - 1);
    }
}
