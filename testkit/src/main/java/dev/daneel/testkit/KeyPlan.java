package dev.daneel.testkit;

import dev.daneel.testkit.internal.KeyMaker;
import java.util.Objects;

/**
 * One key of a zone described key by key (see {@link ZoneBuilder#key(KeyPlan)}): its algorithm,
 * role, RSA size, and whether it is published revoked, signs, and has a DS in the parent. With such
 * plans a zone can be double-signed with two algorithms, hold a KSK that is published but not (yet,
 * or any more) signing, or a revoked key of one algorithm beside a valid key of another — the
 * phases of an algorithm roll (RFC 6781 §4.1.4).
 *
 * <pre>{@code
 * World.builder().reuseKeysAcrossWorlds()
 *     .zone(".", z -> z
 *         .key(KeyPlan.ksk("ksk-rsa", 8).revoke())        // published with REVOKE, signs the DNSKEY RRset itself
 *         .key(KeyPlan.ksk("ksk-ecdsa", 13))
 *         .key(KeyPlan.zsk("zsk-rsa", 8).rsaBits(1536))
 *         .key(KeyPlan.zsk("zsk-ecdsa", 13)))
 *     .start();
 * }</pre>
 *
 * <p>The label is the key's identity: with {@link World.Builder#reuseKeysAcrossWorlds()}, the same
 * zone, label, algorithm and size give the same key in every world, so a key can be followed
 * through several phases. Immutable; every wither checks its argument.
 *
 * @param label the key's name within its zone (letters, digits, {@code -}), unique in the zone
 * @param algorithm a DNSSEC algorithm, 1..255: the testkit signs with 5, 7, 8, 10, 13, 14, 15 and
 *     16; for any other (RSAMD5 1, DSA 3 and 6, GOST 12, unassigned numbers) the key bytes are
 *     random and its signatures, if it signs, are random bytes with the right key tag — a key no
 *     validator can use
 * @param role KSK (flags 257, signs the DNSKEY RRset), ZSK (flags 256, signs the rest) or CSK
 *     (both)
 * @param rsaBits RSA modulus size, 1024..4096, or 0 for the zone's {@link
 *     ZoneBuilder#rsaKeyBits(int)}
 * @param revoked whether the key is published with the REVOKE bit (RFC 5011 §2.1)
 * @param signs whether the key makes signatures (false: published only, as a pre-published or
 *     retiring key)
 * @param dsInParent for a KSK or CSK, whether the parent publishes a DS for it (of its unrevoked
 *     form)
 */
public record KeyPlan(
        String label,
        int algorithm,
        ZoneKey.Role role,
        int rsaBits,
        boolean revoked,
        boolean signs,
        boolean dsInParent) {

    public KeyPlan {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(role, "role");
        if (!label.matches("[A-Za-z0-9-]{1,40}")) {
            throw new IllegalArgumentException(
                    "key label must be 1..40 letters, digits or '-', got \"" + label + "\"");
        }
        if (algorithm < 1 || algorithm > 255) {
            throw new IllegalArgumentException(
                    "key " + label + ": algorithm must be 1..255, got " + algorithm);
        }
        if (rsaBits != 0 && (rsaBits < 1024 || rsaBits > 4096)) {
            throw new IllegalArgumentException(
                    "key "
                            + label
                            + ": rsaBits must be 1024..4096 (or 0 for the zone's size), got "
                            + rsaBits);
        }
        if (rsaBits != 0 && !KeyMaker.isRsa(algorithm)) {
            throw new IllegalArgumentException(
                    "key "
                            + label
                            + ": rsaBits applies to RSA algorithms (5, 7, 8, 10) only, got algorithm "
                            + algorithm);
        }
    }

    /** A key-signing key (flags 257) that signs the DNSKEY RRset and has a DS in the parent. */
    public static KeyPlan ksk(String label, int algorithm) {
        return new KeyPlan(label, algorithm, ZoneKey.Role.KSK, 0, false, true, true);
    }

    /** A zone-signing key (flags 256) that signs every RRset but the DNSKEY RRset. */
    public static KeyPlan zsk(String label, int algorithm) {
        return new KeyPlan(label, algorithm, ZoneKey.Role.ZSK, 0, false, true, false);
    }

    /** A combined signing key (flags 257) that signs everything and has a DS in the parent. */
    public static KeyPlan csk(String label, int algorithm) {
        return new KeyPlan(label, algorithm, ZoneKey.Role.CSK, 0, false, true, true);
    }

    /**
     * This key with an RSA modulus of {@code bits} (1024..4096), for example the 1536-bit root ZSK.
     */
    public KeyPlan rsaBits(int bits) {
        return new KeyPlan(label, algorithm, role, bits, revoked, signs, dsInParent);
    }

    /**
     * This key published with the REVOKE bit (0x0080); if it signs, it signs as revoked (RFC 5011
     * §2.1).
     */
    public KeyPlan revoke() {
        return new KeyPlan(label, algorithm, role, rsaBits, true, signs, dsInParent);
    }

    /** This key published but making no signature (pre-published, or a KSK no longer signing). */
    public KeyPlan publishedOnly() {
        return new KeyPlan(label, algorithm, role, rsaBits, revoked, false, dsInParent);
    }

    /** This key without a DS in the parent. */
    public KeyPlan withoutDs() {
        return new KeyPlan(label, algorithm, role, rsaBits, revoked, signs, false);
    }

    /** Whether the key signs the DNSKEY RRset (when it signs at all). */
    public boolean signsKeys() {
        return role != ZoneKey.Role.ZSK;
    }

    /** Whether the key signs RRsets other than DNSKEY (when it signs at all). */
    public boolean signsData() {
        return role != ZoneKey.Role.KSK;
    }
}
