package dev.daneel.openpgpkey;

import dev.daneel.validator.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of looking up an address's OPENPGPKEY RRset. Only {@link Secure} carries keys to use;
 * the other outcomes say why there are none, and never hand out unvalidated key data.
 *
 * <pre>{@code
 * FetchResult r = fetcher.fetch("hugh@example.test");
 * if (r instanceof FetchResult.Secure s && !s.encryptionKeys().isEmpty()) {
 *     encryptTo(s.encryptionKeys().get(0).encryptionKey().orElseThrow());
 * } else if (r instanceof FetchResult.NoKey || r instanceof FetchResult.Insecure) {
 *     sendInClear();                        // proven: no key, or no DNSSEC to trust a key with
 * } else if (r instanceof FetchResult.Bogus b) {
 *     defer(b.verdict().detail());         // an attack or a broken zone
 * } else {
 *     retryLater();                         // Unavailable, or Secure without a usable key
 * }
 * }</pre>
 */
public sealed interface FetchResult {

    /** The address asked for. */
    String address();

    /** The owner name queried last (the lowercased one when the retry was used). */
    String ownerName();

    /**
     * A Secure OPENPGPKEY RRset.
     *
     * @param keys the keys whose user ID contains the address (or all parseable keys, when the
     *     fetcher accepts mismatches insecurely); revoked, expired and non-encrypting keys are here
     *     with their issues
     * @param rejected keys that could not be parsed or whose user IDs do not contain the address
     * @param verdict the verdict
     */
    record Secure(
            String address,
            String ownerName,
            List<PublishedKey> keys,
            List<PublishedKey> rejected,
            Verdict.Secure verdict)
            implements FetchResult {
        /** Copies the key lists; checks that the verdict is present. */
        public Secure {
            keys = List.copyOf(keys);
            rejected = List.copyOf(rejected);
            Objects.requireNonNull(verdict, "security");
        }

        /** The accepted keys a message may be encrypted to. */
        public List<PublishedKey> encryptionKeys() {
            return keys.stream().filter(PublishedKey::usableForEncryption).toList();
        }
    }

    /**
     * A Secure proof that no OPENPGPKEY RRset exists at the owner name (NXDOMAIN or NODATA).
     *
     * @param rcode NXDOMAIN or NOERROR (NODATA)
     */
    record NoKey(String address, String ownerName, int rcode) implements FetchResult {}

    /**
     * The zone is provably unsigned (or signed with algorithms this validator does not implement).
     * Any records it served are not returned: RFC 7929 §5 requires DNSSEC.
     *
     * @param recordsSeen how many OPENPGPKEY records the unvalidated answer held
     */
    record Insecure(String address, String ownerName, int recordsSeen, Verdict.Insecure verdict)
            implements FetchResult {
        /** Checks that the verdict is present. */
        public Insecure {
            Objects.requireNonNull(verdict, "security");
        }
    }

    /** Validation failed: an attack or a broken zone. Nothing from the answer may be used. */
    record Bogus(String address, String ownerName, Verdict.Bogus verdict) implements FetchResult {
        /** Checks that the verdict is present. */
        public Bogus {
            Objects.requireNonNull(verdict, "security");
        }
    }

    /** No verdict: no trust anchor covers the name, or the upstream could not be reached. */
    record Unavailable(String address, String ownerName, Verdict.Indeterminate verdict)
            implements FetchResult {
        /** Checks that the verdict is present. */
        public Unavailable {
            Objects.requireNonNull(verdict, "security");
        }
    }
}
