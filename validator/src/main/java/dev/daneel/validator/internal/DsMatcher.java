package dev.daneel.validator.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;

/**
 * Which DS records a validator may use, and which keys they name.
 *
 * <p>Digests 2 (SHA-256) and 4 (SHA-384) are used; 1 (SHA-1) only when the DS RRset has no usable
 * stronger digest (RFC 4509 §3). DS records for unsupported algorithms or digests are ignored; when
 * nothing usable remains the zone is Insecure (RFC 4035 §5.2, RFC 6840 §5.2).
 */
final class DsMatcher {

    static final Set<Integer> SUPPORTED_DIGESTS = Set.of(1, 2, 4);

    private DsMatcher() {}

    /** The DS records this validator can use. */
    static List<DSRecord> usable(List<DSRecord> ds, Crypto crypto) {
        List<DSRecord> out = new ArrayList<>();
        boolean stronger = false;
        for (DSRecord d : ds) {
            if (crypto.supported(d.getAlgorithm()) && SUPPORTED_DIGESTS.contains(d.getDigestID())) {
                out.add(d);
                stronger |= d.getDigestID() != 1;
            }
        }
        if (stronger) {
            out.removeIf(d -> d.getDigestID() == 1);
        }
        return out;
    }

    /**
     * The SHA-1 DS records of supported algorithms that {@link #usable} set aside because a
     * stronger digest was present (RFC 4509 §3). Unbound's default (harden-algo-downgrade off)
     * falls back to them when no stronger DS matches a key; they are signed by the parent like the
     * rest, so this is no forgery path.
     */
    static List<DSRecord> sha1Fallback(List<DSRecord> ds, Crypto crypto) {
        List<DSRecord> out = new ArrayList<>();
        for (DSRecord d : ds) {
            if (crypto.supported(d.getAlgorithm()) && d.getDigestID() == 1) {
                out.add(d);
            }
        }
        return out;
    }

    /** Whether {@code ds} names {@code key}: owner, tag, algorithm and digest all match. */
    static boolean matches(DSRecord ds, DNSKEYRecord key) {
        if (!ds.getName().equals(key.getName())
                || ds.getFootprint() != key.getFootprint()
                || ds.getAlgorithm() != key.getAlgorithm()) {
            return false;
        }
        DSRecord computed = new DSRecord(key.getName(), key.getDClass(), 0, ds.getDigestID(), key);
        return Arrays.equals(computed.getDigest(), ds.getDigest());
    }
}
