package dev.daneel.sshfp.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.HexFormat;

/** The SSH public key blob (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4) and hex helpers. */
public final class SshWire {

    private SshWire() {}

    /** The key type name at the start of a blob (its first SSH string). */
    public static String keyType(byte[] blob) {
        if (blob.length < 4) {
            throw new IllegalArgumentException(
                    "SSH key blob too short (" + blob.length + " octets)");
        }
        long len =
                ((blob[0] & 0xffL) << 24)
                        | ((blob[1] & 0xff) << 16)
                        | ((blob[2] & 0xff) << 8)
                        | (blob[3] & 0xff);
        if (len > blob.length - 4L || len == 0) {
            throw new IllegalArgumentException(
                    "SSH key blob's type name length "
                            + len
                            + " does not fit its "
                            + blob.length
                            + " octets");
        }
        return new String(blob, 4, (int) len, StandardCharsets.US_ASCII);
    }

    /**
     * The blob OpenSSH sends and fingerprints for a JCA public key (RSA, DSA, EC P-256/384/521,
     * Ed25519, Ed448).
     */
    public static byte[] blob(PublicKey key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (key instanceof RSAPublicKey) {
            RSAPublicKey rsa = (RSAPublicKey) key;
            string(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
            mpint(out, rsa.getPublicExponent());
            mpint(out, rsa.getModulus());
        } else if (key instanceof DSAPublicKey) {
            DSAPublicKey dsa = (DSAPublicKey) key;
            string(out, "ssh-dss".getBytes(StandardCharsets.US_ASCII));
            mpint(out, dsa.getParams().getP());
            mpint(out, dsa.getParams().getQ());
            mpint(out, dsa.getParams().getG());
            mpint(out, dsa.getY());
        } else if (key instanceof ECPublicKey) {
            ECPublicKey ec = (ECPublicKey) key;
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            String curve;
            switch (bits) {
                case 256:
                    curve = "nistp256";
                    break;
                case 384:
                    curve = "nistp384";
                    break;
                case 521:
                    curve = "nistp521";
                    break;
                default:
                    throw new IllegalArgumentException(
                            "SSH knows ECDSA only on P-256, P-384 and P-521, got a "
                                    + bits
                                    + "-bit curve");
            }
            string(out, ("ecdsa-sha2-" + curve).getBytes(StandardCharsets.US_ASCII));
            string(out, curve.getBytes(StandardCharsets.US_ASCII));
            int size = (bits + 7) / 8;
            byte[] point = new byte[1 + 2 * size];
            point[0] = 4;
            fixed(ec.getW().getAffineX(), point, 1, size);
            fixed(ec.getW().getAffineY(), point, 1 + size, size);
            string(out, point);
        } else {
            byte[] raw = rawEdDsa(key);
            string(
                    out,
                    (raw.length == 32 ? "ssh-ed25519" : "ssh-ed448")
                            .getBytes(StandardCharsets.US_ASCII));
            string(out, raw);
        }
        return out.toByteArray();
    }

    /**
     * The raw public key of an Ed25519 (32 octets) or Ed448 (57 octets) key, read from its
     * SubjectPublicKeyInfo: {@code 30 len 30 05 06 03 2b 65 70|71 03 len 00 <key>} (RFC 8410 §4).
     */
    public static byte[] rawEdDsa(PublicKey key) {
        byte[] spki = key.getEncoded();
        if (spki != null && spki.length == 44 && spki[8] == 0x70) {
            return Arrays.copyOfRange(spki, 12, 44);
        }
        if (spki != null && spki.length == 69 && spki[8] == 0x71) {
            return Arrays.copyOfRange(spki, 12, 69);
        }
        throw new IllegalArgumentException(
                "unsupported public key: "
                        + key.getAlgorithm()
                        + " (expected RSA, DSA, EC P-256/384/521, Ed25519 or Ed448)");
    }

    /** A digest by JCA name; SHA-1 and SHA-256 exist on every Java platform. */
    public static byte[] digest(String jcaName, byte[] data) {
        try {
            return MessageDigest.getInstance(jcaName).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is required on every Java platform", e);
        }
    }

    /** Lower-case hex. */
    public static String hex(byte[] data) {
        return HexFormat.of().formatHex(data);
    }

    /** Hex in either case, optionally split by white space. */
    public static byte[] unhex(String hex) {
        String compact = hex.replaceAll("\\s+", "");
        if (compact.length() % 2 != 0) {
            throw new IllegalArgumentException(
                    "hex must have an even number of digits, got " + compact.length());
        }
        return HexFormat.of().parseHex(compact);
    }

    private static void string(ByteArrayOutputStream out, byte[] data) {
        out.write(data.length >>> 24);
        out.write(data.length >>> 16);
        out.write(data.length >>> 8);
        out.write(data.length);
        out.writeBytes(data);
    }

    private static void mpint(ByteArrayOutputStream out, BigInteger value) {
        string(out, value.signum() == 0 ? new byte[0] : value.toByteArray());
    }

    private static void fixed(BigInteger value, byte[] into, int offset, int size) {
        byte[] b = value.toByteArray();
        int start = b.length > size ? b.length - size : 0;
        int len = b.length - start;
        System.arraycopy(b, start, into, offset + size - len, len);
    }
}
