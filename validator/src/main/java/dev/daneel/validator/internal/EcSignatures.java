package dev.daneel.validator.internal;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.math.ec.rfc8032.Ed448;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * ECDSA (RFC 6605: algorithms 13, 14) and EdDSA (RFC 8080: 15, 16) signature mathematics from
 * Bouncy Castle's curve code, because the JDK 17 implementations behind {@link DNSSEC#verify} are
 * slow: one P-256 or Ed25519 verification costs about a millisecond there, roughly ten times Bouncy
 * Castle's (see {@code SignatureBenchmark} in the benchmarks module), and a cold lookup verifies
 * several.
 *
 * <p>The signed data is dnsjava's own ({@link DNSSEC#digestRRset}, RFC 4034 §3.1.8.1 canonical
 * form); only the curve arithmetic differs. A failure's reason comes from the same computation, so
 * a failing signature costs one verification, as the lookup's budget counts it ({@code
 * EcSignaturesTest} checks that dnsjava agrees). Stateless and thread-safe.
 */
final class EcSignatures {

    private static final ECDomainParameters P256 = domain("secp256r1");
    private static final ECDomainParameters P384 = domain("secp384r1");
    private static final byte[] NO_CONTEXT = new byte[0];

    private EcSignatures() {}

    private static ECDomainParameters domain(String curve) {
        X9ECParameters p = CustomNamedCurves.getByName(curve);
        return new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH(), p.getSeed());
    }

    /** Whether this class computes signatures of {@code algorithm}. */
    static boolean handles(int algorithm) {
        return algorithm == DNSSEC.Algorithm.ECDSAP256SHA256
                || algorithm == DNSSEC.Algorithm.ECDSAP384SHA384
                || algorithm == DNSSEC.Algorithm.ED25519
                || algorithm == DNSSEC.Algorithm.ED448;
    }

    /**
     * True when {@code signature} by {@code key} over {@code set} verifies and is valid at {@code
     * at}; false when it does not, or the input is malformed, or the algorithm is not one of {@link
     * #handles}.
     */
    static boolean verifies(RRset set, RRSIGRecord signature, DNSKEYRecord key, Instant at) {
        return handles(signature.getAlgorithm()) && check(set, signature, key, at).isEmpty();
    }

    /** Empty when the signature verifies; else why not, found by this one computation. */
    static Optional<String> check(RRset set, RRSIGRecord signature, DNSKEYRecord key, Instant at) {
        int alg = signature.getAlgorithm();
        if (!handles(alg)) {
            return Optional.of("algorithm " + alg + " is not ECDSA or EdDSA");
        }
        if (key.getAlgorithm() != alg
                || key.getFootprint() != signature.getFootprint()
                || !key.getName().equals(signature.getSigner())) {
            return Optional.of("the key does not match the signature's signer, tag and algorithm");
        }
        if (at.isAfter(signature.getExpire()) || at.isBefore(signature.getTimeSigned())) {
            return Optional.of("outside the signature's validity window");
        }
        byte[] data = DNSSEC.digestRRset(signature, set);
        byte[] sig = signature.getSignature();
        byte[] pk = key.getKey();
        int keySize =
                switch (alg) {
                    case DNSSEC.Algorithm.ECDSAP256SHA256 -> 64;
                    case DNSSEC.Algorithm.ECDSAP384SHA384 -> 96;
                    case DNSSEC.Algorithm.ED25519 -> Ed25519.PUBLIC_KEY_SIZE;
                    default -> Ed448.PUBLIC_KEY_SIZE;
                };
        int sigSize =
                switch (alg) {
                    case DNSSEC.Algorithm.ED25519 -> Ed25519.SIGNATURE_SIZE;
                    case DNSSEC.Algorithm.ED448 -> Ed448.SIGNATURE_SIZE;
                    default -> keySize;
                };
        if (pk.length != keySize) {
            return Optional.of(
                    "malformed public key: "
                            + pk.length
                            + " octets, algorithm "
                            + alg
                            + " needs "
                            + keySize);
        }
        if (sig.length != sigSize) {
            return Optional.of(
                    "malformed signature: "
                            + sig.length
                            + " octets, algorithm "
                            + alg
                            + " needs "
                            + sigSize);
        }
        boolean ok;
        try {
            ok =
                    switch (alg) {
                        case DNSSEC.Algorithm.ECDSAP256SHA256 ->
                                ecdsa(P256, 32, new SHA256Digest(), pk, sig, data);
                        case DNSSEC.Algorithm.ECDSAP384SHA384 ->
                                ecdsa(P384, 48, new SHA384Digest(), pk, sig, data);
                        case DNSSEC.Algorithm.ED25519 ->
                                Ed25519.verify(sig, 0, pk, 0, data, 0, data.length);
                        default -> Ed448.verify(sig, 0, pk, 0, NO_CONTEXT, data, 0, data.length);
                    };
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.of(
                    "malformed public key: " + e.getMessage()); // e.g. a point off the curve
        }
        return ok ? Optional.empty() : Optional.of("Signature verification failed");
    }

    /** RFC 6605 §4: the key is x | y, the signature r | s, each {@code size} octets. */
    private static boolean ecdsa(
            ECDomainParameters domain,
            int size,
            org.bouncycastle.crypto.Digest digest,
            byte[] pk,
            byte[] sig,
            byte[] data) {
        if (pk.length != 2 * size || sig.length != 2 * size) {
            return false;
        }
        byte[] encoded = new byte[1 + pk.length];
        encoded[0] = 0x04; // uncompressed point (SEC 1 §2.3.3)
        System.arraycopy(pk, 0, encoded, 1, pk.length);
        ECPoint q = domain.getCurve().decodePoint(encoded); // checks the point lies on the curve
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, new ECPublicKeyParameters(q, domain));
        byte[] hash = new byte[digest.getDigestSize()];
        digest.update(data, 0, data.length);
        digest.doFinal(hash, 0);
        return signer.verifySignature(
                hash,
                new BigInteger(1, Arrays.copyOfRange(sig, 0, size)),
                new BigInteger(1, Arrays.copyOfRange(sig, size, 2 * size)));
    }
}
