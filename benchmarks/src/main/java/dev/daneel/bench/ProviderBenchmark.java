package dev.daneel.bench;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.math.ec.rfc8032.Ed448;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One signature verification per DNSSEC algorithm family, by provider, with and without a decoded
 * key kept between verifications: the numbers that decide which implementation the validator should
 * call on each runtime. The message is 105 octets (about the size of a small RRset's canonical
 * form); the public key starts from its DNSKEY wire form (RFC 3110 exponent and modulus, RFC 6605 x
 * | y, RFC 8080 the encoded point).
 *
 * <ul>
 *   <li>{@code jdk} — the runtime's own providers through JCA (SunEC, SunRsaSign), key decoded
 *       once;
 *   <li>{@code jdk-decode} — the same, the key decoded from its DNSKEY form on every call (what
 *       dnsjava's {@code DNSSEC.verify} does);
 *   <li>{@code bc} — Bouncy Castle's lightweight API, the key decoded on every call (what the
 *       validator's ECDSA/EdDSA code does today): for ECDSA a new point, so its wNAF table is built
 *       again;
 *   <li>{@code bc-cached} — the same with the decoded key kept: the ECDSA point keeps its wNAF
 *       precomputation, EdDSA keeps its decompressed {@code PublicPoint}, RSA its parameters;
 *   <li>{@code bc-jca} — Bouncy Castle's JCA provider (a private instance, never registered), key
 *       decoded once.
 * </ul>
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ProviderBenchmark -p algorithm=ECDSAP256SHA256
 * }</pre>
 *
 * <p>Every call checks that the signature verified, so a broken setup fails the run instead of
 * timing a rejection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProviderBenchmark {

    /** The DNSSEC algorithm's mnemonic (RSASHA256 with a 2048-bit modulus, as the root's keys). */
    @Param({"RSASHA256", "ECDSAP256SHA256", "ECDSAP384SHA384", "ED25519", "ED448"})
    public String algorithm;

    /** Whose implementation, and whether the decoded key is kept; see the class comment. */
    @Param({"jdk", "jdk-decode", "bc", "bc-cached", "bc-jca"})
    public String implementation;

    private final byte[] message =
            "the canonical form of a small RRset, about a hundred octets long, more or less, for a benchmark..."
                    .getBytes(StandardCharsets.US_ASCII);

    private String jcaName;
    private String keyAlgorithm;
    private byte[] jcaSignature; // as JCA produces and consumes it (DER for ECDSA)
    private byte[] rawSignature; // as DNSSEC carries it (r | s for ECDSA)
    private byte[] dnskey; // the public key's DNSKEY wire form
    private PublicKey jdkKey;
    private PublicKey bcJcaKey;
    private Provider bc;
    private ECDomainParameters domain;
    private ECPublicKeyParameters ecKey;
    private Ed25519.PublicPoint ed25519Point;
    private Ed448.PublicPoint ed448Point;
    private RSAKeyParameters rsaKey;
    private byte[] x509Prefix;

    /** Makes a key pair and one signature with the runtime's own providers. */
    @Setup
    public void sign() throws GeneralSecurityException, java.io.IOException {
        bc = new BouncyCastleProvider();
        KeyPairGenerator g;
        switch (algorithm) {
            case "RSASHA256" -> {
                jcaName = "SHA256withRSA";
                keyAlgorithm = "RSA";
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
            }
            case "ECDSAP256SHA256", "ECDSAP384SHA384" -> {
                boolean p256 = algorithm.equals("ECDSAP256SHA256");
                jcaName = p256 ? "SHA256withECDSA" : "SHA384withECDSA";
                keyAlgorithm = "EC";
                g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(p256 ? "secp256r1" : "secp384r1"));
                X9ECParameters p = CustomNamedCurves.getByName(p256 ? "secp256r1" : "secp384r1");
                domain =
                        new ECDomainParameters(
                                p.getCurve(), p.getG(), p.getN(), p.getH(), p.getSeed());
            }
            case "ED25519", "ED448" -> {
                jcaName = algorithm.equals("ED25519") ? "Ed25519" : "Ed448";
                keyAlgorithm = jcaName;
                g = KeyPairGenerator.getInstance(jcaName);
            }
            default -> throw new IllegalArgumentException("unknown algorithm " + algorithm);
        }
        KeyPair pair = g.generateKeyPair();
        Signature s = Signature.getInstance(jcaName);
        s.initSign(pair.getPrivate());
        s.update(message);
        jcaSignature = s.sign();
        jdkKey = pair.getPublic();
        bcJcaKey =
                KeyFactory.getInstance(keyAlgorithm, bc)
                        .generatePublic(new X509EncodedKeySpec(jdkKey.getEncoded()));
        rawSignature = jcaSignature;
        switch (keyAlgorithm) {
            case "RSA" -> {
                RSAPublicKey k = (RSAPublicKey) jdkKey;
                dnskey = rfc3110(k.getPublicExponent(), k.getModulus());
            }
            case "EC" -> {
                ECPublicKey k = (ECPublicKey) jdkKey;
                int size = (k.getParams().getCurve().getField().getFieldSize() + 7) / 8;
                dnskey =
                        concat(
                                fixed(k.getW().getAffineX(), size),
                                fixed(k.getW().getAffineY(), size));
                ASN1Sequence seq = ASN1Sequence.getInstance(jcaSignature);
                rawSignature =
                        concat(
                                fixed(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue(), size),
                                fixed(
                                        ASN1Integer.getInstance(seq.getObjectAt(1)).getValue(),
                                        size));
            }
            default -> {
                byte[] x509 = jdkKey.getEncoded();
                int size =
                        keyAlgorithm.equals("Ed25519")
                                ? Ed25519.PUBLIC_KEY_SIZE
                                : Ed448.PUBLIC_KEY_SIZE;
                dnskey = Arrays.copyOfRange(x509, x509.length - size, x509.length);
                x509Prefix = Arrays.copyOf(x509, x509.length - size);
            }
        }
        // The kept keys, decoded once from the DNSKEY form.
        switch (algorithm) {
            case "RSASHA256" -> rsaKey = rsaParameters(dnskey);
            case "ECDSAP256SHA256", "ECDSAP384SHA384" ->
                    ecKey = new ECPublicKeyParameters(point(dnskey), domain);
            case "ED25519" -> ed25519Point = Ed25519.validatePublicKeyPartialExport(dnskey, 0);
            default -> ed448Point = Ed448.validatePublicKeyPartialExport(dnskey, 0);
        }
        if (!verify()) {
            throw new IllegalStateException(
                    implementation + " did not verify a good " + algorithm + " signature");
        }
    }

    /** One verification; throws (failing the run) when the signature does not verify. */
    @Benchmark
    public boolean verify() throws GeneralSecurityException {
        boolean ok =
                switch (implementation) {
                    case "jdk" -> jca(Signature.getInstance(jcaName), jdkKey);
                    case "jdk-decode" -> jca(Signature.getInstance(jcaName), decodeJdk());
                    case "bc-jca" -> jca(Signature.getInstance(jcaName, bc), bcJcaKey);
                    case "bc" -> lightweight(false);
                    case "bc-cached" -> lightweight(true);
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown implementation " + implementation);
                };
        if (!ok) {
            throw new IllegalStateException(
                    implementation + " rejected a good " + algorithm + " signature");
        }
        return ok;
    }

    private boolean jca(Signature s, PublicKey key) throws GeneralSecurityException {
        s.initVerify(key);
        s.update(message);
        return s.verify(jcaSignature);
    }

    private PublicKey decodeJdk() throws GeneralSecurityException {
        KeyFactory f = KeyFactory.getInstance(keyAlgorithm);
        return switch (keyAlgorithm) {
            case "RSA" -> {
                RSAKeyParameters p = rsaParameters(dnskey);
                yield f.generatePublic(new RSAPublicKeySpec(p.getModulus(), p.getExponent()));
            }
            case "EC" -> {
                int size = dnskey.length / 2;
                ECPoint w =
                        new ECPoint(
                                new BigInteger(1, Arrays.copyOfRange(dnskey, 0, size)),
                                new BigInteger(1, Arrays.copyOfRange(dnskey, size, 2 * size)));
                yield f.generatePublic(new ECPublicKeySpec(w, ((ECPublicKey) jdkKey).getParams()));
            }
            default -> f.generatePublic(new X509EncodedKeySpec(concat(x509Prefix, dnskey)));
        };
    }

    private boolean lightweight(boolean cached) {
        switch (algorithm) {
            case "RSASHA256" -> {
                RSADigestSigner signer = new RSADigestSigner(new SHA256Digest());
                signer.init(false, cached ? rsaKey : rsaParameters(dnskey));
                signer.update(message, 0, message.length);
                return signer.verifySignature(rawSignature);
            }
            case "ECDSAP256SHA256", "ECDSAP384SHA384" -> {
                Digest digest =
                        algorithm.equals("ECDSAP256SHA256")
                                ? new SHA256Digest()
                                : new SHA384Digest();
                byte[] hash = new byte[digest.getDigestSize()];
                digest.update(message, 0, message.length);
                digest.doFinal(hash, 0);
                ECDSASigner signer = new ECDSASigner();
                signer.init(
                        false, cached ? ecKey : new ECPublicKeyParameters(point(dnskey), domain));
                int size = rawSignature.length / 2;
                return signer.verifySignature(
                        hash,
                        new BigInteger(1, Arrays.copyOfRange(rawSignature, 0, size)),
                        new BigInteger(1, Arrays.copyOfRange(rawSignature, size, 2 * size)));
            }
            case "ED25519" -> {
                return cached
                        ? Ed25519.verify(rawSignature, 0, ed25519Point, message, 0, message.length)
                        : Ed25519.verify(rawSignature, 0, dnskey, 0, message, 0, message.length);
            }
            default -> {
                return cached
                        ? Ed448.verify(
                                rawSignature,
                                0,
                                ed448Point,
                                new byte[0],
                                message,
                                0,
                                message.length)
                        : Ed448.verify(
                                rawSignature,
                                0,
                                dnskey,
                                0,
                                new byte[0],
                                message,
                                0,
                                message.length);
            }
        }
    }

    private org.bouncycastle.math.ec.ECPoint point(byte[] xy) {
        byte[] encoded = new byte[1 + xy.length];
        encoded[0] = 0x04;
        System.arraycopy(xy, 0, encoded, 1, xy.length);
        return domain.getCurve().decodePoint(encoded);
    }

    /** RFC 3110 §2: exponent length (one octet, or zero and two), exponent, modulus. */
    private static byte[] rfc3110(BigInteger e, BigInteger n) {
        byte[] exp = unsigned(e);
        byte[] mod = unsigned(n);
        byte[] head =
                exp.length < 256
                        ? new byte[] {(byte) exp.length}
                        : new byte[] {0, (byte) (exp.length >> 8), (byte) exp.length};
        return concat(concat(head, exp), mod);
    }

    private static RSAKeyParameters rsaParameters(byte[] key) {
        int at = 1;
        int expLength = key[0] & 0xff;
        if (expLength == 0) {
            expLength = ((key[1] & 0xff) << 8) | (key[2] & 0xff);
            at = 3;
        }
        BigInteger e = new BigInteger(1, Arrays.copyOfRange(key, at, at + expLength));
        BigInteger n = new BigInteger(1, Arrays.copyOfRange(key, at + expLength, key.length));
        return new RSAKeyParameters(false, n, e);
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b[0] == 0 && b.length > 1 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static byte[] fixed(BigInteger v, int size) {
        byte[] b = unsigned(v);
        byte[] out = new byte[size];
        System.arraycopy(b, 0, out, size - b.length, b.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
