package dev.daneel.validator.internal;

import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.utils.base32;

/**
 * NSEC3 owner-name hashes (RFC 5155 §5) and the one definition of "an NSEC3 record covers a hash"
 * (RFC 5155 §3.1.7, the chain wrapping round at its end). Every hash is counted against the
 * lookup's {@link Budget} (CVE-2023-50868) and memoised, so asking twice costs once.
 *
 * <p>Not thread-safe; one per proof or per group of proofs on one thread.
 */
final class Nsec3Hasher {

    private static final base32 B32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);

    private final Budget budget;
    private final Map<String, String> hashes = new HashMap<>();
    private boolean refused;

    Nsec3Hasher(Budget budget) {
        this.budget = budget;
    }

    /**
     * The base32hex hash of {@code name} with {@code params}' algorithm, salt and iterations, in
     * lower case; null when the lookup's hash budget is spent (then {@link #budgetSpent()} turns
     * true).
     */
    String hash(Name name, NSEC3Record params) {
        byte[] salt = params.getSalt(); // null when the record has no salt ("-")
        String key =
                name
                        + "/"
                        + params.getIterations()
                        + "/"
                        + (salt == null ? "" : B32HEX.toString(salt));
        String h = hashes.get(key);
        if (h == null) {
            if (!budget.spendNsec3Hash()) {
                refused = true;
                return null;
            }
            try {
                h =
                        B32HEX.toString(
                                new NSEC3PARAMRecord(
                                                params.getName(),
                                                params.getDClass(),
                                                0,
                                                params.getHashAlgorithm(),
                                                0,
                                                params.getIterations(),
                                                params.getSalt())
                                        .hashName(name));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is on every Java platform", e);
            }
            hashes.put(key, h);
        }
        return h;
    }

    /** Whether a hash was refused because the lookup's budget is spent. */
    boolean budgetSpent() {
        return refused;
    }

    /** The lookup's hash limit, for messages. */
    int limit() {
        return budget.limits().maxNsec3Hashes();
    }

    /** Whether {@code r}'s hashed owner is {@code hash}. */
    static boolean matches(NSEC3Record r, String hash) {
        return r.getName().getLabelString(0).equalsIgnoreCase(hash);
    }

    /** Whether {@code hash} falls strictly between {@code r}'s hashed owner and its next hash. */
    static boolean covers(NSEC3Record r, String hash) {
        String owner = r.getName().getLabelString(0).toLowerCase();
        String next = B32HEX.toString(r.getNext());
        return owner.compareTo(next) < 0
                ? owner.compareTo(hash) < 0 && hash.compareTo(next) < 0
                : owner.compareTo(hash) < 0 || hash.compareTo(next) < 0;
    }
}
