package dev.daneel.milter.internal;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mail addresses as the milter compares them. Envelope addresses arrive as UTF-8 (SMTPUTF8, RFC
 * 6531) and are decoded so by {@link Packet#text}. {@link #lookupKey} gives the form a key is
 * looked up under: the domain lowercased and the local part kept as written (RFC 7929 §3 hashes it
 * so; the lowercased retry is the fetcher's), both in Unicode NFC, so that {@code alice@KEYS.test}
 * and {@code alice@keys.test} are one lookup. {@link #named} reads the addresses a message's To and
 * Cc headers show to every recipient.
 *
 * <pre>{@code
 * Addresses.lookupKey("Jörg@Keys.TEST");              // "Jörg@keys.test"
 * Addresses.named(mail.headers());                     // {"alice@keys.test", "carol@keys.test"}
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Addresses {

    /**
     * An addr-spec once quoted strings and comments are gone: no spaces, brackets or separators.
     */
    private static final Pattern ADDR_SPEC =
            Pattern.compile("[^\\s<>,;:\"()\\[\\]]+@[^\\s<>,;:\"()\\[\\]]+");

    private Addresses() {}

    /** The form looked up and compared: domain lowercased, both parts NFC; "" stays "". */
    public static String lookupKey(String address) {
        String a = Normalizer.normalize(address.strip(), Normalizer.Form.NFC);
        int at = a.lastIndexOf('@');
        if (at < 0) {
            return a;
        }
        String domain = a.substring(at + 1).toLowerCase(Locale.ROOT);
        while (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        return a.substring(0, at + 1) + domain;
    }

    /**
     * The form compared to decide visibility: the whole address lowercased (mailbox case rarely
     * matters).
     */
    public static String visibilityKey(String address) {
        return lookupKey(address).toLowerCase(Locale.ROOT);
    }

    /**
     * The addresses in the To and Cc headers (display names, quoted strings and comments skipped),
     * as {@link #visibilityKey}s. Resent-To and Resent-Cc count too: they are shown to the
     * recipients as well.
     */
    public static Set<String> named(List<Mail.Header> headers) {
        Set<String> out = new LinkedHashSet<>();
        for (Mail.Header h : headers) {
            String n = h.name().toLowerCase(Locale.ROOT);
            if (n.equals("to")
                    || n.equals("cc")
                    || n.equals("resent-to")
                    || n.equals("resent-cc")) {
                Matcher m = ADDR_SPEC.matcher(withoutQuotesAndComments(h.value()));
                while (m.find()) {
                    out.add(visibilityKey(m.group()));
                }
            }
        }
        return out;
    }

    /** RFC 5322 §3.2: a quoted string or comment may hold an @ that is no address ("a@b" <c@d>). */
    static String withoutQuotesAndComments(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean quoted = false;
        int comment = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && (quoted || comment > 0)) {
                i++;
            } else if (quoted) {
                quoted = c != '"';
                if (!quoted) {
                    out.append(' ');
                }
            } else if (comment > 0) {
                comment += c == '(' ? 1 : c == ')' ? -1 : 0;
                if (comment == 0) {
                    out.append(' ');
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(') {
                comment = 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
