package dev.daneel.openpgpkey;

/**
 * Something wrong with one key published in an OPENPGPKEY RRset. The first two make the key
 * {@linkplain FetchResult.Secure#rejected() rejected}; the others are reported on an accepted key.
 *
 * <pre>{@code
 * if (key.issues().contains(KeyIssue.NO_ENCRYPTION_KEY)) { ... cannot encrypt to it ... }
 * }</pre>
 */
public enum KeyIssue {
    /** The record data is not an OpenPGP transferable public key that Bouncy Castle can read. */
    UNPARSEABLE,
    /**
     * No user ID with a valid self-signature contains the address looked up (RFC 7929 §5.3).
     * Rejected unless the fetcher was built with {@link
     * OpenPgpKeyFetcher.Builder#insecureAcceptUserIdMismatch()}.
     */
    USER_ID_MISMATCH,
    /** The primary key carries a key revocation signature. */
    REVOKED,
    /** The primary key's validity period ended before the fetcher's clock. */
    EXPIRED,
    /** Neither the primary key nor any valid subkey may encrypt (by algorithm and key flags). */
    NO_ENCRYPTION_KEY
}
