package dev.daneel.dane.internal;

import dev.daneel.dane.MatchingType;
import dev.daneel.dane.Selector;
import dev.daneel.dane.TlsaRecord;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.Properties;

/** Computing and comparing certificate association data (RFC 6698 §2.1.2, §2.1.3). */
public final class Association {

    /**
     * Key algorithms a Full(0) SPKI record may carry; tried in turn because the SPKI names its own
     * OID.
     */
    private static final String[] KEY_ALGORITHMS = {"EC", "RSA", "Ed25519", "Ed448", "DSA"};

    private static final String ALLOW_EMPTY_ISSUER =
            "org.bouncycastle.x509.allow_empty_issuer_cert";
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private Association() {}

    /** The selected content of a certificate. */
    public static byte[] select(X509Certificate cert, Selector selector) {
        try {
            return selector == Selector.CERT ? cert.getEncoded() : cert.getPublicKey().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException(
                    "certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** The association data for a certificate. */
    public static byte[] data(X509Certificate cert, Selector selector, MatchingType type) {
        return type.apply(select(cert, selector));
    }

    /** Whether a usable record matches a certificate, in constant time over the data. */
    public static boolean matches(TlsaRecord record, X509Certificate cert) {
        Selector s = record.certSelector().orElseThrow();
        MatchingType m = record.certMatchingType().orElseThrow();
        return MessageDigest.isEqual(data(cert, s, m), record.data());
    }

    /**
     * The certificate in a Cert(0) Full(0) record, or empty when the data is not one DER
     * certificate. The JDK parses first; Bouncy Castle is the fallback for certificates the JDK
     * refuses but DANE-EE(3) still accepts (an empty issuer name, as in OpenSSL's anonymous test
     * leaf).
     */
    public static Optional<X509Certificate> certificate(byte[] der) {
        Optional<X509Certificate> jdk = certificate(der, null);
        if (jdk.isPresent()) {
            return jdk;
        }
        // A thread-local override, so no global state changes.
        boolean was = Properties.setThreadOverride(ALLOW_EMPTY_ISSUER, true);
        try {
            return certificate(der, BOUNCY_CASTLE);
        } finally {
            if (!was) {
                Properties.removeThreadOverride(ALLOW_EMPTY_ISSUER);
            }
        }
    }

    private static Optional<X509Certificate> certificate(byte[] der, Provider provider) {
        try {
            CertificateFactory f =
                    provider == null
                            ? CertificateFactory.getInstance("X.509")
                            : CertificateFactory.getInstance("X.509", provider);
            ByteArrayInputStream in = new ByteArrayInputStream(der);
            X509Certificate cert = (X509Certificate) f.generateCertificate(in);
            return in.available() == 0 ? Optional.of(cert) : Optional.empty();
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The key in an SPKI(1) Full(0) record, or empty when no supported algorithm parses it. */
    public static Optional<PublicKey> publicKey(byte[] spki) {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                PublicKey key =
                        KeyFactory.getInstance(algorithm)
                                .generatePublic(new X509EncodedKeySpec(spki));
                if (java.util.Arrays.equals(key.getEncoded(), spki)) {
                    return Optional.of(key);
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm; try the next
            }
        }
        return Optional.empty();
    }

    /** Whether {@code cert}'s signature verifies under {@code key}. */
    public static boolean signedBy(X509Certificate cert, PublicKey key) {
        try {
            cert.verify(key);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code issuer} issued {@code cert}: names chain and the signature verifies. */
    public static boolean issued(X509Certificate issuer, X509Certificate cert) {
        return issuer.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
                && signedBy(cert, issuer.getPublicKey());
    }

    /** The hex SHA-256 of a certificate's SPKI, for messages. */
    public static String spkiSha256(X509Certificate cert) {
        return java.util.HexFormat.of()
                .formatHex(MatchingType.SHA2_256.apply(cert.getPublicKey().getEncoded()));
    }
}
