package dev.daneel.openpgpkey;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The owner name of an address's OPENPGPKEY record (RFC 7929 §3): the SHA-256 of the local part,
 * truncated to 28 octets, as lowercase hex, then {@code ._openpgpkey.} and the domain.
 *
 * <pre>{@code
 * OpenPgpKeyName.of("hugh@example.com");
 * // "c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._openpgpkey.example.com."
 * OpenPgpKeyName.of("\"hugh\"@bücher.example");   // same hash as hugh; domain "xn--bcher-kva.example."
 * }</pre>
 *
 * <p>The local part is canonicalised only as RFC 7929 §3 allows: comments and white space outside
 * quotes are removed, as are enclosing double quotes and backslash quoting, and the result is put
 * in Unicode NFC; then it is hashed as UTF-8. Case is kept: {@code Hugh} and {@code hugh} have
 * different owner names (RFC 7929 §5). {@link #lowercased(String)} gives the name hash-slinger,
 * GnuPG's {@code export-dane} and openpgpkey-milter use, which lowercase the local part; {@link
 * OpenPgpKeyFetcher} retries with it only when asked to. The domain is lowercased and an
 * internationalised domain is written as A-labels (IDNA, {@link IDN#toASCII(String, int)}).
 *
 * <p>Stateless and thread-safe.
 */
public final class OpenPgpKeyName {

    /** RFC 7929 §3: "truncated to 28 octets". */
    private static final int HASH_OCTETS = 28;

    private OpenPgpKeyName() {}

    /**
     * Returns the absolute owner name (with trailing dot) for {@code address}, local part
     * canonicalised as RFC 7929 §3 allows and case kept.
     *
     * @throws IllegalArgumentException if the address has no {@code @}, or an empty local part or
     *     domain, or a domain that is not a valid IDN
     */
    public static String of(String address) {
        return ownerName(localPart(address), domain(address));
    }

    /**
     * Returns the owner name with the local part also lowercased ({@link Locale#ROOT}), as
     * hash-slinger, GnuPG ({@code --export-options export-dane}) and openpgpkey-milter compute it.
     * RFC 7929 does not sanction this mapping; it is what publishers using those tools have in
     * their zones.
     */
    public static String lowercased(String address) {
        return ownerName(localPart(address).toLowerCase(Locale.ROOT), domain(address));
    }

    /**
     * The canonical local part of {@code address} (RFC 7929 §3 steps 2–3), the string that is
     * hashed.
     */
    public static String localPart(String address) {
        int at = split(address);
        String local = canonicalLocalPart(address.substring(0, at));
        if (local.isEmpty()) {
            throw new IllegalArgumentException(
                    "the local part of \""
                            + address
                            + "\" is empty after removing"
                            + " quotes, comments and white space");
        }
        return local;
    }

    /** The domain of {@code address} as lowercase A-labels, absolute (with trailing dot). */
    public static String domain(String address) {
        String domain = address.substring(split(address) + 1);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the domain of \"" + address + "\" is not a valid IDN: " + e.getMessage(), e);
        }
        return ascii.toLowerCase(Locale.ROOT) + ".";
    }

    private static String ownerName(String localPart, String domain) {
        byte[] hash = sha256(localPart.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, HASH_OCTETS) + "._openpgpkey." + domain;
    }

    private static int split(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1 || address.substring(at + 1).equals(".")) {
            throw new IllegalArgumentException(
                    "expected an address of the form local@domain, got \"" + address + "\"");
        }
        return at;
    }

    /**
     * RFC 7929 §3: comments and folding white space outside quotes are removed, as are enclosing
     * double quotes and backslash quoting; the result is put in Unicode NFC. Nothing else is
     * mapped.
     */
    private static String canonicalLocalPart(String localPart) {
        StringBuilder out = new StringBuilder(localPart.length());
        boolean quoted = false;
        int comment = 0;
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c == '\\' && (quoted || comment > 0) && i + 1 < localPart.length()) {
                c = localPart.charAt(++i);
                if (comment == 0) {
                    out.append(c);
                }
            } else if (comment > 0) {
                comment += c == '(' ? 1 : c == ')' ? -1 : 0;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (quoted) {
                out.append(c);
            } else if (c == '(') {
                comment = 1;
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
