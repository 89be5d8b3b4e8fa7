package dev.daneel.milter.internal;

import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises mail that is encrypted as a whole, and only that, so that it is passed on untouched:
 *
 * <ul>
 *   <li>PGP/MIME (RFC 3156 §4): {@code multipart/encrypted; protocol="application/pgp-encrypted"}
 *       whose first part is {@code application/pgp-encrypted} with the body {@code Version: 1}, and
 *       whose second part holds an armored PGP MESSAGE;
 *   <li>inline PGP: a non-multipart body whose only content is one armored PGP MESSAGE block;
 *   <li>S/MIME (RFC 8551 §3.2): {@code application/pkcs7-mime} whose CMS content type (read from
 *       the body, not trusted from {@code smime-type}) is enveloped-data or authEnveloped-data.
 * </ul>
 *
 * Anything else — an armored block attached to plaintext, a {@code multipart/encrypted} header over
 * plaintext, S/MIME signed-data or compressed-data, a {@code smime-type} that the body contradicts
 * — is not encrypted as a whole and gets encrypted as usual: a wrong "already encrypted" sends the
 * mail in clear.
 *
 * <pre>{@code
 * Optional<String> why = AlreadyEncrypted.check(mail);   // "already encrypted (PGP/MIME)" or empty
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class AlreadyEncrypted {

    private static final String BEGIN = "-----BEGIN PGP MESSAGE-----";
    private static final String END = "-----END PGP MESSAGE-----";

    /**
     * CMS content types (RFC 5652 §6.1 and RFC 5083 §2.1) as their DER encodings after the 0x06 tag
     * and length.
     */
    private static final byte[] ENVELOPED_DATA = {
        0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x07, 0x03
    };

    private static final byte[] AUTH_ENVELOPED_DATA = {
        0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x17
    };
    private static final Pattern BOUNDARY =
            Pattern.compile("(?i);\\s*boundary\\s*=\\s*(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern PROTOCOL =
            Pattern.compile("(?i);\\s*protocol\\s*=\\s*\"?application/pgp-encrypted\"?\\s*(?:;|$)");

    private AlreadyEncrypted() {}

    /** Why {@code mail} is already encrypted as a whole, if it is. */
    public static Optional<String> check(Mail mail) {
        String type = unfold(mail.header("Content-Type").orElse("text/plain"));
        String lower = type.toLowerCase(Locale.ROOT);
        String body = Mail.latin1(mail.body());
        if (lower.startsWith("multipart/encrypted")) {
            return pgpMime(type, body)
                    ? Optional.of("already encrypted (PGP/MIME)")
                    : Optional.empty();
        }
        if (lower.startsWith("application/pkcs7-mime")
                || lower.startsWith("application/x-pkcs7-mime")) {
            return envelopedCms(body)
                    ? Optional.of("already encrypted (S/MIME enveloped-data)")
                    : Optional.empty();
        }
        if (lower.startsWith("multipart/") || lower.startsWith("message/")) {
            return Optional.empty();
        }
        return onlyArmoredMessage(body)
                ? Optional.of("already encrypted (inline PGP)")
                : Optional.empty();
    }

    private static boolean pgpMime(String type, String body) {
        Matcher b = BOUNDARY.matcher(type);
        if (!PROTOCOL.matcher(type).find() || !b.find()) {
            return false;
        }
        String delimiter = "--" + (b.group(1) != null ? b.group(1) : b.group(2));
        String text = body.replace("\r\n", "\n");
        String[] parts = ("\n" + text).split("\n" + Pattern.quote(delimiter), -1);
        // parts[0] is the preamble; then the version part, the encrypted part, and what follows the
        // close.
        if (parts.length < 4 || !parts[3].startsWith("--")) {
            return false;
        }
        String[] version = headersAndBody(parts[1]);
        String[] encrypted = headersAndBody(parts[2]);
        return version != null
                && encrypted != null
                && headerValue(version[0], "content-type")
                        .toLowerCase(Locale.ROOT)
                        .startsWith("application/pgp-encrypted")
                && version[1]
                        .strip()
                        .lines()
                        .map(String::strip)
                        .anyMatch(l -> l.equalsIgnoreCase("Version: 1"))
                && onlyArmoredMessage(encrypted[1]);
    }

    /** A MIME part's header block and body, or null when it has no blank line. */
    private static String[] headersAndBody(String part) {
        int lineEnd = part.indexOf('\n'); // the rest of the delimiter line (transport padding)
        if (lineEnd < 0 || !part.substring(0, lineEnd).isBlank()) {
            return null;
        }
        String p = part.substring(lineEnd + 1);
        if (p.startsWith("\n")) {
            return new String[] {"", p.substring(1)};
        }
        int sep = p.indexOf("\n\n");
        return sep < 0 ? null : new String[] {p.substring(0, sep), p.substring(sep + 2)};
    }

    private static String headerValue(String headerBlock, String name) {
        for (String line : unfold(headerBlock).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return "";
    }

    /** Whether {@code text}, apart from white space, is exactly one armored PGP MESSAGE block. */
    static boolean onlyArmoredMessage(String text) {
        String t = text.strip();
        return t.startsWith(BEGIN)
                && t.endsWith(END)
                && t.indexOf(BEGIN, 1) < 0
                && t.indexOf(END) == t.length() - END.length();
    }

    /**
     * Whether the base64 body is a CMS ContentInfo whose content type is enveloped-data or
     * authEnveloped-data.
     */
    private static boolean envelopedCms(String body) {
        byte[] der;
        try {
            // Only the start is needed: SEQUENCE, its length, then OBJECT IDENTIFIER (RFC 5652 §3).
            String b64 = body.replaceAll("[^A-Za-z0-9+/]", "");
            der = Base64.getDecoder().decode(b64.substring(0, Math.min(b64.length(), 64) / 4 * 4));
        } catch (IllegalArgumentException e) {
            return false;
        }
        int i = 0;
        if (der.length < 2 || der[i++] != 0x30) {
            return false;
        }
        int len = der[i++] & 0xff;
        if (len > 0x80) {
            i += len - 0x80; // long form; 0x80 is BER's indefinite length, nothing to skip
        }
        if (i + 2 > der.length || der[i] != 0x06) {
            return false;
        }
        int oidLength = der[i + 1] & 0xff;
        int start = i + 2;
        if (start + oidLength > der.length) {
            return false;
        }
        byte[] oid = java.util.Arrays.copyOfRange(der, start, start + oidLength);
        return java.util.Arrays.equals(oid, ENVELOPED_DATA)
                || java.util.Arrays.equals(oid, AUTH_ENVELOPED_DATA);
    }

    private static String unfold(String s) {
        return s.replace("\r\n", "\n").replaceAll("\n[ \t]+", " ");
    }
}
