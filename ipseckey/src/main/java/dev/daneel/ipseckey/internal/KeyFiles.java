package dev.daneel.ipseckey.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Public keys from PEM ({@code PUBLIC KEY}, {@code CERTIFICATE}) or DER SubjectPublicKeyInfo. */
public final class KeyFiles {

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final List<String> KEY_FACTORIES = List.of("RSA", "EC", "Ed25519", "Ed448");

    private KeyFiles() {}

    public static PublicKey read(byte[] content) {
        String text = new String(content, StandardCharsets.US_ASCII);
        Matcher m = PEM.matcher(text);
        if (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2).strip());
            switch (m.group(1)) {
                case "PUBLIC KEY":
                    return spki(der);
                case "CERTIFICATE":
                    return certificate(der);
                default:
                    throw new IllegalArgumentException(
                            "PEM block \""
                                    + m.group(1)
                                    + "\" is not a public key; expected \"PUBLIC KEY\" (SubjectPublicKeyInfo) or \"CERTIFICATE\"");
            }
        }
        return spki(content);
    }

    private static PublicKey spki(byte[] der) {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : KEY_FACTORIES) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (GeneralSecurityException | ClassCastException e) {
                // try the next algorithm; the key's OID selects exactly one
            }
        }
        throw new IllegalArgumentException(
                "not a DER SubjectPublicKeyInfo of an RSA, EC, Ed25519 or Ed448 key");
    }

    private static PublicKey certificate(byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der))
                    .getPublicKey();
        } catch (CertificateException e) {
            throw new IllegalArgumentException(
                    "the PEM CERTIFICATE does not parse: " + e.getMessage(), e);
        }
    }
}
