package dev.daneel.validator.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * Remembers which signatures verified, so the same signature over the same data with the same key
 * is computed once (Unbound keeps the same knowledge as the security status of its cached RRsets):
 * a zone's SOA and NSEC records come back in many negative answers, and every expansion of a
 * wildcard carries the same signature over the same canonical data (RFC 4035 §5.3.2). The cache key
 * is a SHA-256 digest of the algorithm, the public key, the signature and the signed data (RFC 4034
 * §3.1.8.1), so a hit means the very same computation; failures are never remembered. Entries live
 * until the signature expires, and the validity window is still checked on every use by {@link
 * SignatureVerifier}.
 *
 * <p>Thread-safe; one per engine, bounded like its other caches.
 */
final class VerifiedSignatures implements Crypto {

    private final Crypto delegate;
    private final Clock clock;
    private final TtlCache<ByteBuffer, Boolean> verified;

    VerifiedSignatures(Crypto delegate, Clock clock, int maxEntries) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = new TtlCache<>(clock, maxEntries);
    }

    @Override
    public boolean supported(int algorithm) {
        return delegate.supported(algorithm);
    }

    @Override
    public Optional<String> check(RRset set, RRSIGRecord signature, DNSKEYRecord key, Instant at) {
        ByteBuffer id = id(set, signature, key);
        if (verified.get(id) != null) {
            return Optional.empty();
        }
        Optional<String> failure = delegate.check(set, signature, key, at);
        if (failure.isEmpty()) {
            verified.put(
                    id,
                    Boolean.TRUE,
                    signature.getExpire().getEpochSecond() - clock.instant().getEpochSecond());
        }
        return failure;
    }

    private static ByteBuffer id(RRset set, RRSIGRecord signature, DNSKEYRecord key) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is on every Java platform", e);
        }
        sha256.update((byte) key.getAlgorithm());
        sha256.update(lengthOf(key.getKey()));
        sha256.update(key.getKey());
        sha256.update(lengthOf(signature.getSignature()));
        sha256.update(signature.getSignature());
        sha256.update(DNSSEC.digestRRset(signature, set));
        return ByteBuffer.wrap(sha256.digest());
    }

    /** Two octets of length before each variable field, so that no two inputs share an encoding. */
    private static byte[] lengthOf(byte[] field) {
        return new byte[] {(byte) (field.length >>> 8), (byte) field.length};
    }
}
