package dev.daneel.openpgpkey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * The comparison of the keys published for an address with local keys, by primary-key fingerprint.
 *
 * <pre>{@code
 * Verification v = fetcher.verify("hugh@example.test", LocalKeys.read(Path.of("hugh.asc")));
 * if (!v.allMatch()) System.err.println(v);
 * }</pre>
 *
 * @param fetched what the DNS gave
 * @param matched the accepted Secure keys whose fingerprint equals a local key's
 * @param unmatched the accepted Secure keys with no local counterpart
 */
public record Verification(
        FetchResult fetched, List<PublishedKey> matched, List<PublishedKey> unmatched) {

    /** Checks that the fetch result is present; copies the lists. */
    public Verification {
        Objects.requireNonNull(fetched, "fetched");
        matched = List.copyOf(matched);
        unmatched = List.copyOf(unmatched);
    }

    /** Compares the accepted keys of {@code fetched} (none unless Secure) with {@code local}. */
    public static Verification of(FetchResult fetched, List<PGPPublicKeyRing> local) {
        List<PublishedKey> matched = new ArrayList<>();
        List<PublishedKey> unmatched = new ArrayList<>();
        if (fetched instanceof FetchResult.Secure secure) {
            for (PublishedKey key : secure.keys()) {
                byte[] fp = key.ring().orElseThrow().getPublicKey().getFingerprint();
                boolean found =
                        local.stream()
                                .anyMatch(
                                        r -> Arrays.equals(r.getPublicKey().getFingerprint(), fp));
                (found ? matched : unmatched).add(key);
            }
        }
        return new Verification(fetched, matched, unmatched);
    }

    /**
     * Whether the answer was Secure, had at least one accepted key, and every accepted key is held
     * locally.
     */
    public boolean allMatch() {
        return fetched instanceof FetchResult.Secure && !matched.isEmpty() && unmatched.isEmpty();
    }

    /** Whether at least one Secure, accepted published key is held locally. */
    public boolean anyMatch() {
        return !matched.isEmpty();
    }
}
