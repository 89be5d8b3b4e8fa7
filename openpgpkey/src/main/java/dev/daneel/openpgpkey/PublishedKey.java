package dev.daneel.openpgpkey;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * One key from an OPENPGPKEY RRset, as parsed by Bouncy Castle, with what was found wrong with it.
 *
 * <pre>{@code
 * for (PublishedKey k : secure.keys()) {
 *     if (k.usableForEncryption()) encryptTo(k.encryptionKey().orElseThrow());
 * }
 * }</pre>
 *
 * <p>Immutable (the Bouncy Castle key ring is immutable too).
 */
public final class PublishedKey {

    private final byte[] data;
    private final PGPPublicKeyRing ring;
    private final PGPPublicKey encryptionKey;
    private final Set<KeyIssue> issues;
    private final List<String> details;

    /**
     * @param data the record data as published
     * @param ring the parsed key, or null when {@link KeyIssue#UNPARSEABLE}
     * @param encryptionKey the (sub)key to encrypt to, or null
     * @param issues what is wrong
     * @param details one human sentence per issue
     */
    public PublishedKey(
            byte[] data,
            PGPPublicKeyRing ring,
            PGPPublicKey encryptionKey,
            Set<KeyIssue> issues,
            List<String> details) {
        this.data = data.clone();
        this.ring = ring;
        this.encryptionKey = encryptionKey;
        this.issues = issues.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(issues));
        this.details = List.copyOf(details);
        if (ring == null && !issues.contains(KeyIssue.UNPARSEABLE)) {
            throw new IllegalArgumentException("a key without a parsed ring must be UNPARSEABLE");
        }
    }

    /**
     * Checks a transferable public key obtained other than from DNS (a Web Key Directory, say) for
     * {@code address} the way {@link OpenPgpKeyFetcher} checks a record's key: parsed with Bouncy
     * Castle, a self-signed user ID containing the address (domain compared without case; the local
     * part exactly, or without case when {@code ignoreLocalPartCase}), revocation, expiry and an
     * encryption-capable (sub)key. The result says nothing about where the key came from: that is
     * the caller's to judge.
     *
     * <pre>{@code
     * PublishedKey k = PublishedKey.check(bytesFromWkd, "alice@example.org", true, Instant.now());
     * if (k.issues().isEmpty() && k.usableForEncryption()) encryptTo(k.encryptionKey().orElseThrow());
     * }</pre>
     */
    public static PublishedKey check(
            byte[] transferablePublicKey,
            String address,
            boolean ignoreLocalPartCase,
            java.time.Instant now) {
        return dev.daneel.openpgpkey.internal.KeyInspector.inspect(
                transferablePublicKey, address, ignoreLocalPartCase, now);
    }

    /** The record data (a binary transferable public key, RFC 4880 §11.1). */
    public byte[] data() {
        return data.clone();
    }

    /** The parsed key ring; empty only for {@link KeyIssue#UNPARSEABLE}. */
    public Optional<PGPPublicKeyRing> ring() {
        return Optional.ofNullable(ring);
    }

    /**
     * The primary key's fingerprint as uppercase hex (as GnuPG prints it), or empty when
     * unparseable.
     */
    public String fingerprint() {
        return ring == null
                ? ""
                : HexFormat.of()
                        .formatHex(ring.getPublicKey().getFingerprint())
                        .toUpperCase(Locale.ROOT);
    }

    /** The primary key's 64-bit key ID as 16 uppercase hex digits, or empty when unparseable. */
    public String keyId() {
        return ring == null
                ? ""
                : String.format(Locale.ROOT, "%016X", ring.getPublicKey().getKeyID());
    }

    /** The user IDs of the primary key. */
    public List<String> userIds() {
        List<String> ids = new ArrayList<>();
        if (ring != null) {
            ring.getPublicKey().getUserIDs().forEachRemaining(ids::add);
        }
        return ids;
    }

    /** The (sub)key to encrypt to, when one is capable, not revoked and not expired. */
    public Optional<PGPPublicKey> encryptionKey() {
        return Optional.ofNullable(encryptionKey);
    }

    /** What is wrong; empty for a good key. */
    public Set<KeyIssue> issues() {
        return issues;
    }

    /** One sentence per issue, naming what was expected and what was seen. */
    public List<String> details() {
        return details;
    }

    /**
     * Whether a message may be encrypted to this key: parsed, not revoked, not expired, with an
     * encryption key.
     */
    public boolean usableForEncryption() {
        return encryptionKey != null
                && !issues.contains(KeyIssue.REVOKED)
                && !issues.contains(KeyIssue.EXPIRED)
                && !issues.contains(KeyIssue.UNPARSEABLE);
    }

    @Override
    public String toString() {
        return ring == null
                ? "unparseable key " + details
                : keyId() + " " + userIds() + " " + issues;
    }
}
