package dev.daneel.openpgpkey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The owner name of an address's OPENPGPKEY record (RFC 7929 §3): the SHA-256 of the local part,
 * truncated to 28 octets, as lowercase hex, then {@code ._openpgpkey.} and the domain.
 *
 * <pre>{@code
 * OpenPgpKeyName.of("hugh@example.com");
 * // "c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._openpgpkey.example.com."
 * }</pre>
 *
 * <p>The local part is hashed exactly as written (UTF-8); canonicalisation options arrive with the
 * OPENPGPKEY issue. Stateless and thread-safe.
 */
public final class OpenPgpKeyName {

    /** RFC 7929 §3: "truncated to 28 octets". */
    private static final int HASH_OCTETS = 28;

    private OpenPgpKeyName() {
    }

    /**
     * Returns the absolute owner name (with trailing dot) for {@code address}.
     *
     * @throws IllegalArgumentException if the address has no {@code @}, or an empty local part or domain
     */
    public static String of(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException(
                    "expected an address of the form local@domain, got \"" + address + "\"");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!domain.endsWith(".")) {
            domain = domain + ".";
        }
        byte[] hash = sha256(local.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, HASH_OCTETS) + "._openpgpkey." + domain;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
