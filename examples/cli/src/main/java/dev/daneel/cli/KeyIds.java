package dev.daneel.cli;

import dev.daneel.openpgpkey.PublishedKey;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * {@code --keyid}: which OpenPGP key a user means, written as GnuPG prints it — the 16-digit long
 * key ID, the 8-digit short one (its last 8 digits), or the 40-digit v4 fingerprint; an optional
 * {@code 0x}, case and blanks ignored. A key ring matches when its primary key or one of its
 * subkeys does, as {@code gpg --export KEYID} (what hash-slinger runs) selects it.
 *
 * <pre>{@code
 * KeyIds.matches(ring, "0x8C5E0EFB3E5B6D32")
 * }</pre>
 *
 * <p>Stateless.
 */
final class KeyIds {
    private KeyIds() {}

    /** The key ID in canonical form: uppercase hex without {@code 0x} or blanks. */
    static String check(String keyid) {
        String k = keyid.replace(" ", "").toUpperCase(Locale.ROOT);
        if (k.startsWith("0X")) {
            k = k.substring(2);
        }
        if (!k.matches("[0-9A-F]{8}|[0-9A-F]{16}|[0-9A-F]{40}")) {
            throw new UsageError(
                    "--keyid: expected a key ID of 8 or 16 hex digits or a 40-digit fingerprint, got \""
                            + keyid
                            + "\"");
        }
        return k;
    }

    static boolean matches(PGPPublicKeyRing ring, String keyid) {
        String k = check(keyid);
        for (PGPPublicKey key : ring) {
            String fp = HexFormat.of().formatHex(key.getFingerprint()).toUpperCase(Locale.ROOT);
            String id = String.format(Locale.ROOT, "%016X", key.getKeyID());
            if (k.length() == 40 ? fp.equals(k) : id.endsWith(k)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(PublishedKey key, String keyid) {
        return key.ring().map(r -> matches(r, keyid)).orElse(false);
    }

    /** {@code 16-DIGIT-ID (user ID)}, for an error that lists the keys there are. */
    static String describe(PGPPublicKeyRing ring) {
        PGPPublicKey primary = ring.getPublicKey();
        var ids = primary.getUserIDs();
        return String.format(Locale.ROOT, "%016X", primary.getKeyID())
                + (ids.hasNext() ? " (" + ids.next() + ")" : "");
    }
}
