package dev.daneel.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code --wrap}: a record line split over several lines inside RFC 1035 §5.1 parentheses, so that
 * an OPENPGPKEY record of several kilobytes is not one line of thousands of characters. BIND, NSD
 * and ldns load the result (the CLI's tests load it with {@code named-checkzone}, {@code
 * nsd-checkzone} and {@code ldns-read-zone}).
 *
 * <pre>{@code
 * _443._tcp.www.example.test. IN TLSA 3 0 2 (
 *         4d2f...64 hex digits...
 *         9a1c... )
 * }</pre>
 *
 * <p>Only the last field is split, and only for types whose last field is base64 or hex that the
 * RFCs let contain blanks (RFC 4034 DNSKEY/RRSIG/DS, RFC 6698 TLSA, RFC 7929 OPENPGPKEY, RFC 4255
 * SSHFP, RFC 3597 {@code \#} data, ...). Comment lines and other records are returned unchanged: a
 * wrapped record must mean exactly what the one-line record means.
 *
 * <p>Stateless.
 */
final class RecordWrap {
    /**
     * Characters of base64 or hex per continuation line: what {@code dnssec-keygen} and ldns print,
     * about.
     */
    static final int WIDTH = 56;

    /**
     * Types whose last field is base64 or hex in which blanks are allowed. Not IPSECKEY: BIND and
     * NSD read its key split over lines, but ldns (1.8) refuses a blank inside it, so it stays on
     * one line.
     */
    private static final Set<String> SPLITTABLE =
            Set.of(
                    "DNSKEY",
                    "CDNSKEY",
                    "RRSIG",
                    "DS",
                    "CDS",
                    "DLV",
                    "TLSA",
                    "SMIMEA",
                    "SSHFP",
                    "OPENPGPKEY",
                    "CERT",
                    "KEY",
                    "SIG",
                    "DHCID");

    private static final Pattern BASE64_OR_HEX = Pattern.compile("[A-Za-z0-9+/=]+");
    private static final Pattern CLASS =
            Pattern.compile("IN|CH|HS|CLASS[0-9]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern TTL = Pattern.compile("[0-9]+");

    private RecordWrap() {}

    static String wrap(String line) {
        if (line.isBlank()
                || line.stripLeading().startsWith(";")
                || line.contains("(")
                || line.contains("\"")) {
            return line;
        }
        String[] f = line.strip().split("\\s+");
        // OWNER [TTL] [CLASS] TYPE RDATA..., TTL and CLASS in either order (RFC 1035 §5.1)
        int t = 1;
        for (int k = 0;
                k < 2
                        && t < f.length
                        && (CLASS.matcher(f[t]).matches() || TTL.matcher(f[t]).matches());
                k++) {
            t++;
        }
        if (t + 1 >= f.length) {
            return line;
        }
        String type = f[t].toUpperCase(Locale.ROOT);
        boolean generic = f[t + 1].equals("\\#");
        String last = f[f.length - 1];
        if (!(SPLITTABLE.contains(type) || generic)
                || last.length() <= WIDTH
                || !BASE64_OR_HEX.matcher(last).matches()
                || (generic && f.length < t + 4)) {
            return line;
        }
        StringBuilder sb =
                new StringBuilder(String.join(" ", List.of(f).subList(0, f.length - 1)))
                        .append(" (");
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < last.length(); i += WIDTH) {
            chunks.add(last.substring(i, Math.min(last.length(), i + WIDTH)));
        }
        for (int i = 0; i < chunks.size(); i++) {
            sb.append("\n\t").append(chunks.get(i));
        }
        return sb.append(" )").toString();
    }
}
