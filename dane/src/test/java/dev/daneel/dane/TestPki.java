package dev.daneel.dane;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates generated in code (ECDSA P-256), for tests. */
final class TestPki {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final AtomicLong SERIAL = new AtomicLong(1);

    /** A key pair and its certificate. */
    record Issued(KeyPair keys, X509Certificate cert) {
        PrivateKey privateKey() {
            return keys.getPrivate();
        }
    }

    private TestPki() {
    }

    static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Issued root(String cn) {
        KeyPair k = keyPair();
        return new Issued(k, build(cn, cn, k, k.getPrivate(), true, NOW.minusSeconds(86400), NOW.plusSeconds(86400L * 365)));
    }

    static Issued ca(String cn, Issued issuer) {
        KeyPair k = keyPair();
        return new Issued(k, build(cn, issuer.cert().getSubjectX500Principal().getName(), k, issuer.privateKey(), true,
                NOW.minusSeconds(86400), NOW.plusSeconds(86400L * 365)));
    }

    static Issued leaf(String dnsName, Issued issuer) {
        return leaf(dnsName, issuer, NOW.minusSeconds(86400), NOW.plusSeconds(86400L * 90));
    }

    static Issued leaf(String dnsName, Issued issuer, Instant notBefore, Instant notAfter) {
        KeyPair k = keyPair();
        return new Issued(k, build(dnsName, issuer.cert().getSubjectX500Principal().getName(), k, issuer.privateKey(),
                false, notBefore, notAfter));
    }

    /** A self-signed leaf (what DANE-EE servers often use). */
    static Issued selfSignedLeaf(String dnsName, Instant notBefore, Instant notAfter) {
        KeyPair k = keyPair();
        return new Issued(k, build(dnsName, "CN=" + dnsName, k, k.getPrivate(), false, notBefore, notAfter));
    }

    private static X509Certificate build(String subjectCn, String issuerDn, KeyPair subject, PrivateKey signer,
                                         boolean ca, Instant notBefore, Instant notAfter) {
        try {
            X500Name subjectName = new X500Name(subjectCn.startsWith("CN=") ? subjectCn : "CN=" + subjectCn);
            X500Name issuerName = new X500Name(issuerDn.startsWith("CN=") ? issuerDn : "CN=" + issuerDn);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(notBefore), Date.from(notAfter), subjectName,
                    subject.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, subjectCn.replaceFirst("^CN=", ""))));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
