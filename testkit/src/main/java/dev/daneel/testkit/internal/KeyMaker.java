package dev.daneel.testkit.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.DNSSEC;

/**
 * Creates key pairs for the DNSSEC algorithms the testkit can really sign with, and fabricated key
 * bytes for the ones it cannot (unsupported algorithms, KeyTrap decoys).
 *
 * <p>Thread-safe. The shared cache exists because RSA key generation costs tens of milliseconds per
 * key; worlds that opt into it get the same key for the same zone, algorithm, size and role.
 */
public final class KeyMaker {

    private static final Map<String, KeyPair> SHARED = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMaker() {}

    /** Whether {@link #generate} can make a key for this algorithm. */
    public static boolean canSign(int algorithm) {
        switch (algorithm) {
            case DNSSEC.Algorithm.RSASHA1:
            case DNSSEC.Algorithm.RSA_NSEC3_SHA1:
            case DNSSEC.Algorithm.RSASHA256:
            case DNSSEC.Algorithm.RSASHA512:
            case DNSSEC.Algorithm.ECDSAP256SHA256:
            case DNSSEC.Algorithm.ECDSAP384SHA384:
            case DNSSEC.Algorithm.ED25519:
            case DNSSEC.Algorithm.ED448:
                return true;
            default:
                return false;
        }
    }

    /** Whether the algorithm is RSA based (its key size is configurable). */
    public static boolean isRsa(int algorithm) {
        return algorithm == DNSSEC.Algorithm.RSASHA1
                || algorithm == DNSSEC.Algorithm.RSA_NSEC3_SHA1
                || algorithm == DNSSEC.Algorithm.RSASHA256
                || algorithm == DNSSEC.Algorithm.RSASHA512;
    }

    /**
     * Returns a key pair, fresh or from the JVM-wide cache under {@code cacheKey} when that is not
     * null.
     */
    public static KeyPair generate(int algorithm, int rsaBits, String cacheKey) {
        if (cacheKey == null) {
            return generate(algorithm, rsaBits);
        }
        return SHARED.computeIfAbsent(
                algorithm + "/" + rsaBits + "/" + cacheKey, k -> generate(algorithm, rsaBits));
    }

    private static KeyPair generate(int algorithm, int rsaBits) {
        try {
            KeyPairGenerator generator;
            if (isRsa(algorithm)) {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(
                        new RSAKeyGenParameterSpec(rsaBits, RSAKeyGenParameterSpec.F4), RANDOM);
            } else if (algorithm == DNSSEC.Algorithm.ECDSAP256SHA256
                    || algorithm == DNSSEC.Algorithm.ECDSAP384SHA384) {
                generator = KeyPairGenerator.getInstance("EC");
                String curve =
                        algorithm == DNSSEC.Algorithm.ECDSAP256SHA256 ? "secp256r1" : "secp384r1";
                generator.initialize(new ECGenParameterSpec(curve), RANDOM);
            } else if (algorithm == DNSSEC.Algorithm.ED25519) {
                generator = KeyPairGenerator.getInstance("Ed25519");
            } else if (algorithm == DNSSEC.Algorithm.ED448) {
                generator = KeyPairGenerator.getInstance("Ed448");
            } else {
                throw new IllegalArgumentException(
                        "the testkit cannot sign with algorithm "
                                + algorithm
                                + " ("
                                + DNSSEC.Algorithm.string(algorithm)
                                + "); signable: 5, 7, 8, 10, 13, 14, 15, 16."
                                + " Use ZoneBuilder.unsupportedAlgorithm(n) for a zone validators must not support");
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "this JDK cannot generate keys for DNSSEC algorithm " + algorithm, e);
        }
    }

    /** Length of the public key field of a DNSKEY of this algorithm, for fabricated keys. */
    public static int publicKeyLength(int algorithm) {
        switch (algorithm) {
            case DNSSEC.Algorithm.ECDSAP256SHA256:
                return 64;
            case DNSSEC.Algorithm.ECDSAP384SHA384:
                return 96;
            case DNSSEC.Algorithm.ED25519:
                return 32;
            case DNSSEC.Algorithm.ED448:
                return 57;
            default:
                return 260; // RSA-2048: exponent length, 3-byte exponent, 256-byte modulus
        }
    }

    /** Length of a signature of this algorithm, for fabricated signatures. */
    public static int signatureLength(int algorithm) {
        switch (algorithm) {
            case DNSSEC.Algorithm.ECDSAP256SHA256:
            case DNSSEC.Algorithm.ED25519:
                return 64;
            case DNSSEC.Algorithm.ECDSAP384SHA384:
                return 96;
            case DNSSEC.Algorithm.ED448:
                return 114;
            default:
                return 256;
        }
    }

    /** Random bytes from a seeded or the secure generator. */
    public static byte[] randomBytes(int length, Random random) {
        byte[] b = new byte[length];
        (random == null ? RANDOM : random).nextBytes(b);
        return b;
    }

    /**
     * Fabricates a public key field such that a DNSKEY with these flags, protocol 3 and this
     * algorithm has key tag {@code wantedTag} (RFC 4034 Appendix B). Used for KeyTrap decoys: the
     * validator cannot tell them from the real key by tag and has to try each.
     */
    public static byte[] keyWithTag(int flags, int algorithm, int wantedTag, Random random) {
        byte[] key = randomBytes(publicKeyLength(algorithm), random);
        byte[] rdata = new byte[4 + key.length];
        rdata[0] = (byte) (flags >>> 8);
        rdata[1] = (byte) flags;
        rdata[2] = 3;
        rdata[3] = (byte) algorithm;
        System.arraycopy(key, 0, rdata, 4, key.length);
        // Zero the last two octets, sum the rest, then pick the two octets that complete the tag.
        int a = rdata.length - 2;
        int b = rdata.length - 1;
        rdata[a] = 0;
        rdata[b] = 0;
        long base = tagSum(rdata);
        for (int v = 0; v < 65536; v++) {
            int hiAtA = (a & 1) == 0 ? (v >>> 8) << 8 : (v >>> 8);
            int loAtB = (b & 1) == 0 ? (v & 0xff) << 8 : (v & 0xff);
            long ac = base + hiAtA + loAtB;
            ac += (ac >> 16) & 0xffff;
            if ((ac & 0xffff) == wantedTag) {
                rdata[a] = (byte) (v >>> 8);
                rdata[b] = (byte) v;
                byte[] out = new byte[key.length];
                System.arraycopy(rdata, 4, out, 0, key.length);
                return out;
            }
        }
        throw new IllegalStateException("no two-octet completion reaches key tag " + wantedTag);
    }

    private static long tagSum(byte[] rdata) {
        long ac = 0;
        for (int i = 0; i < rdata.length; i++) {
            ac += (i & 1) == 0 ? (rdata[i] & 0xff) << 8 : rdata[i] & 0xff;
        }
        return ac;
    }
}
