package dev.daneel.ipseckey.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The public key field of IPSECKEY, per algorithm: RFC 3110 (RSA), RFC 6605 (ECDSA), RFC 8080
 * (EdDSA).
 */
public final class KeyCodec {

    /** SubjectPublicKeyInfo prefixes for raw EdDSA keys (RFC 8410 §4). */
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

    private static final byte[] ED448_SPKI = HexFormat.of().parseHex("3043300506032b6571033a00");

    /** An algorithm number and its key field. */
    public record Encoded(int algorithm, byte[] key) {}

    private KeyCodec() {}

    /** Encodes RSA, EC P-256/P-384, Ed25519 or Ed448 public keys. */
    public static Encoded encode(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return new Encoded(2, rfc3110((RSAPublicKey) key));
        }
        if (key instanceof ECPublicKey) {
            ECPublicKey ec = (ECPublicKey) key;
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            if (bits != 256 && bits != 384) {
                throw new IllegalArgumentException(
                        "IPSECKEY ECDSA keys are P-256 or P-384 (RFC 8005), got a "
                                + bits
                                + "-bit curve");
            }
            int size = bits / 8;
            byte[] out = new byte[2 * size];
            fixed(ec.getW().getAffineX(), out, 0, size);
            fixed(ec.getW().getAffineY(), out, size, size);
            return new Encoded(3, out);
        }
        byte[] spki = key.getEncoded();
        if (spki != null && spki.length == 44 && startsWith(spki, ED25519_SPKI)) {
            return new Encoded(4, Arrays.copyOfRange(spki, 12, 44));
        }
        if (spki != null && spki.length == 69 && startsWith(spki, ED448_SPKI)) {
            return new Encoded(4, Arrays.copyOfRange(spki, 12, 69));
        }
        throw new IllegalArgumentException(
                "IPSECKEY needs an RSA, ECDSA (P-256, P-384), Ed25519 or Ed448 key, got "
                        + key.getAlgorithm());
    }

    /** Decodes a key field into a JCA key. */
    public static PublicKey decode(int algorithm, byte[] key) {
        try {
            switch (algorithm) {
                case 2:
                    return rsa(key);
                case 3:
                    return ec(key);
                case 4:
                    if (key.length == 32) {
                        return KeyFactory.getInstance("Ed25519")
                                .generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI, key)));
                    }
                    if (key.length == 57) {
                        return KeyFactory.getInstance("Ed448")
                                .generatePublic(new X509EncodedKeySpec(concat(ED448_SPKI, key)));
                    }
                    throw new IllegalArgumentException(
                            "an EdDSA key has 32 (Ed25519) or 57 (Ed448) octets, got "
                                    + key.length);
                default:
                    throw new IllegalArgumentException(
                            "cannot make a Java key of IPSECKEY algorithm " + algorithm);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "the IPSECKEY key field is not a usable key: " + e.getMessage(), e);
        }
    }

    /** RFC 3110 §2: exponent length (one octet, or zero then two octets), exponent, modulus. */
    static byte[] rfc3110(RSAPublicKey key) {
        byte[] e = unsigned(key.getPublicExponent());
        byte[] n = unsigned(key.getModulus());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (e.length <= 255) {
            out.write(e.length);
        } else {
            out.write(0);
            out.write(e.length >>> 8);
            out.write(e.length);
        }
        out.writeBytes(e);
        out.writeBytes(n);
        return out.toByteArray();
    }

    private static PublicKey rsa(byte[] k) throws GeneralSecurityException {
        if (k.length < 3) {
            throw new IllegalArgumentException(
                    "an RFC 3110 key needs at least 3 octets, got " + k.length);
        }
        int off = 1;
        int eLen = k[0] & 0xff;
        if (eLen == 0) {
            eLen = ((k[1] & 0xff) << 8) | (k[2] & 0xff);
            off = 3;
        }
        if (off + eLen >= k.length) {
            throw new IllegalArgumentException(
                    "RFC 3110 exponent length "
                            + eLen
                            + " leaves no modulus in "
                            + k.length
                            + " octets");
        }
        BigInteger e = new BigInteger(1, Arrays.copyOfRange(k, off, off + eLen));
        BigInteger n = new BigInteger(1, Arrays.copyOfRange(k, off + eLen, k.length));
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    }

    private static PublicKey ec(byte[] k) throws GeneralSecurityException {
        String curve;
        if (k.length == 64) {
            curve = "secp256r1";
        } else if (k.length == 96) {
            curve = "secp384r1";
        } else {
            throw new IllegalArgumentException(
                    "an ECDSA key is 64 (P-256) or 96 (P-384) octets X‖Y, got " + k.length);
        }
        int size = k.length / 2;
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec(curve));
        ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
        ECPoint w =
                new ECPoint(
                        new BigInteger(1, Arrays.copyOfRange(k, 0, size)),
                        new BigInteger(1, Arrays.copyOfRange(k, size, k.length)));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static void fixed(BigInteger value, byte[] into, int offset, int size) {
        byte[] b = unsigned(value);
        System.arraycopy(b, 0, into, offset + size - b.length, b.length);
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length
                && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
