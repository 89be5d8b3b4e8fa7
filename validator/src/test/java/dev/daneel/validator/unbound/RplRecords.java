package dev.daneel.validator.unbound;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TTL;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Reads the record and question lines of a replay file the way testpkts does ({@code add_rr}, with
 * {@code sldns_str2wire_rr_buf}): one record per line, names relative to the current {@code
 * $ORIGIN}, the current {@code $TTL} (3600 until one is given) for records written without a TTL.
 * That state lasts for the whole file, as testpkts' parse state does. Not thread-safe.
 *
 * <p>dnsjava's presentation parser is stricter than ldns in a few places, and scenarios damage
 * records on purpose to test the validator. A record dnsjava refuses is therefore built in wire
 * form from its fields where the type is one a validator reads (RRSIG, DNSKEY, DS): an RRSIG with a
 * cut signature field keeps the whole base64 quanta, and one with an empty signature field (which
 * dnsjava refuses even in wire form) holds a single zero octet; either reaches the validator as a
 * signature that does not verify, which is what the scenario means. Algorithm mnemonics (ldns reads
 * {@code DS 30899 RSASHA1 1 …}) become numbers. Every liberty is written to {@link #notes()}. A
 * record whose RFC 3597 generic rdata does not fit its type (an A record of 5 octets), or that
 * dnsjava cannot hold at all, is dropped with a note: Unbound's scrubber drops such malformed
 * records too, and the note appears in any failure the scenario reports.
 */
final class RplRecords {

    /** testpkts' default TTL for records written without one. */
    static final long DEFAULT_TTL = 3600;

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

    private Name origin = Name.root;
    private long defaultTtl = DEFAULT_TTL;
    private final List<String> notes = new ArrayList<>();
    private boolean emptySignature;

    List<String> notes() {
        return notes;
    }

    /** {@code $ORIGIN name} (relative to the current origin, as ldns reads it). */
    void origin(String text) throws IOException {
        String w = text.strip().split("\\s+")[0];
        origin = Name.fromString(w, origin);
    }

    /** {@code $TTL n} (testpkts uses {@code atoi}: a number, no units). */
    void ttl(String text) {
        String w = text.strip().split("\\s+")[0];
        try {
            defaultTtl = TTL.parseTTL(w);
        } catch (NumberFormatException e) {
            defaultTtl = 0;
        }
    }

    /** A question line: {@code owner [class] [type]} (ldns' question parser; type A if none). */
    RplScenario.Question question(String line) throws IOException {
        List<String> w = words(stripComment(line));
        if (w.isEmpty()) {
            throw new IOException("empty question line");
        }
        Name n = Name.fromString(w.get(0), origin);
        int dclass = DClass.IN;
        int type = Type.A;
        for (int i = 1; i < w.size(); i++) {
            int c = DClass.value(w.get(i));
            int t = Type.value(w.get(i), true);
            if (w.get(i).matches("\\d+")) {
                continue; // a TTL on a question line means nothing
            }
            if (c >= 0 && t < 0) {
                dclass = c;
            } else if (t >= 0) {
                type = t;
            } else {
                throw new IOException(
                        "question '"
                                + line.strip()
                                + "': '"
                                + w.get(i)
                                + "' is neither a class nor a type");
            }
        }
        return new RplScenario.Question(n, type, dclass);
    }

    /** One record line; null (with a note) when it cannot be held. */
    Record record(String line, int lineNo) throws IOException {
        String text = numericAlgorithm(stripComment(line)).strip();
        if (text.isEmpty()) {
            return null;
        }
        String preamble = "$ORIGIN " + origin + "\n$TTL " + defaultTtl + "\n";
        try (Master m =
                new Master(
                        new ByteArrayInputStream(
                                (preamble + text + "\n").getBytes(StandardCharsets.UTF_8)))) {
            Record r = m.nextRecord();
            if (r != null) {
                return r;
            }
        } catch (IOException | RuntimeException e) {
            emptySignature = false;
            Record r = wireForm(text);
            if (r != null) {
                notes.add(
                        "line "
                                + lineNo
                                + ": built in wire form, as ldns reads it"
                                + (emptySignature
                                        ? ", its empty signature held as one zero octet"
                                        : "")
                                + " (dnsjava refuses '"
                                + text
                                + "': "
                                + e.getMessage()
                                + ")");
                return r;
            }
            if (text.contains("\\#")) {
                notes.add(
                        "line "
                                + lineNo
                                + ": dropped a record whose generic rdata does not fit its type (dnsjava cannot "
                                + "hold it; Unbound's scrubber drops such A/AAAA records too): "
                                + text);
                return null;
            }
            // ldns read it (testbound would have stopped otherwise) but dnsjava cannot hold it: the
            // record is
            // left out, visibly, as a malformed record a scrubber drops.
            notes.add(
                    "line "
                            + lineNo
                            + ": dropped a record dnsjava cannot hold ("
                            + e.getMessage()
                            + "): "
                            + text);
            return null;
        }
        throw new IOException("line " + lineNo + ": no record in '" + text + "'");
    }

    // ---- the wire-form fallback
    // ------------------------------------------------------------------------

    /**
     * The record built from its fields for the DNSSEC types, leniently as ldns reads them; null
     * otherwise.
     */
    private Record wireForm(String text) {
        List<String> w = words(text.replace("(", " ").replace(")", " "));
        if (w.size() < 2) {
            return null;
        }
        try {
            Name owner = Name.fromString(w.get(0), origin);
            int at = 1;
            long ttl = defaultTtl;
            int dclass = DClass.IN;
            for (int k = 0; k < 2 && at < w.size(); k++) {
                String t = w.get(at);
                if (Character.isDigit(t.charAt(0))) {
                    ttl = TTL.parseTTL(t);
                    at++;
                } else if (DClass.value(t) >= 0 && Type.value(t, true) < 0) {
                    dclass = DClass.value(t);
                    at++;
                }
            }
            int type = Type.value(w.get(at++), true);
            List<String> f = w.subList(at, w.size());
            byte[] rdata =
                    switch (type) {
                        case Type.RRSIG, Type.SIG -> rrsig(f);
                        case Type.DNSKEY, Type.KEY -> dnskey(f);
                        case Type.DS, Type.DLV, Type.CDS -> ds(f);
                        default -> null;
                    };
            return rdata == null ? null : Record.newRecord(owner, type, dclass, ttl, rdata);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * RRSIG: covered algorithm labels original-TTL expiration inception key-tag signer [signature].
     */
    private byte[] rrsig(List<String> f) throws IOException {
        if (f.size() < 8) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int covered = Type.value(f.get(0), true);
        if (covered < 0) {
            return null;
        }
        u16(out, covered);
        out.write(algorithm(f.get(1)));
        out.write(Integer.parseInt(f.get(2)));
        u32(out, TTL.parseTTL(f.get(3)));
        u32(out, time(f.get(4)));
        u32(out, time(f.get(5)));
        u16(out, Integer.parseInt(f.get(6)));
        out.writeBytes(Name.fromString(f.get(7), origin).toWireCanonical());
        byte[] signature =
                f.size() > 8 ? base64(String.join("", f.subList(8, f.size()))) : new byte[0];
        if (signature.length == 0) {
            // dnsjava refuses an empty signature even in wire form; one zero octet verifies no
            // better
            signature = new byte[1];
            emptySignature = true;
        }
        out.writeBytes(signature);
        return out.toByteArray();
    }

    /** DNSKEY: flags protocol algorithm [key]. */
    private static byte[] dnskey(List<String> f) {
        if (f.size() < 3) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, Integer.parseInt(f.get(0)));
        out.write(Integer.parseInt(f.get(1)));
        out.write(algorithm(f.get(2)));
        if (f.size() > 3) {
            out.writeBytes(base64(String.join("", f.subList(3, f.size()))));
        }
        return out.toByteArray();
    }

    /** DS: key-tag algorithm digest-type [digest]. */
    private static byte[] ds(List<String> f) {
        if (f.size() < 3) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, Integer.parseInt(f.get(0)));
        out.write(algorithm(f.get(1)));
        out.write(Integer.parseInt(f.get(2)));
        String hex = String.join("", f.subList(3, f.size())).replaceAll("[^0-9A-Fa-f]", "");
        for (int i = 0; i + 1 < hex.length(); i += 2) {
            out.write(Integer.parseInt(hex.substring(i, i + 2), 16));
        }
        return out.toByteArray();
    }

    private static int algorithm(String s) {
        if (s.matches("\\d+")) {
            return Integer.parseInt(s);
        }
        int a = DNSSEC.Algorithm.value(s);
        if (a < 0) {
            throw new IllegalArgumentException("unknown algorithm " + s);
        }
        return a;
    }

    /** RFC 4034 §3.2: YYYYMMDDHHmmSS, or seconds since the epoch. */
    private static long time(String s) {
        if (s.length() == 14 && s.matches("\\d+")) {
            return LocalDateTime.parse(s, DATE).toInstant(ZoneOffset.UTC).getEpochSecond();
        }
        return Long.parseLong(s) & 0xFFFFFFFFL;
    }

    /** Base64 as ldns decodes a damaged field: the valid characters, cut to whole quanta. */
    static byte[] base64(String s) {
        String clean = s.replaceAll("[^A-Za-z0-9+/]", "");
        clean = clean.substring(0, clean.length() - clean.length() % 4);
        return java.util.Base64.getDecoder().decode(clean);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xFF);
        out.write(v & 0xFF);
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        u16(out, (int) (v >>> 16));
        u16(out, (int) v);
    }

    /**
     * ldns reads "DS 30899 RSASHA1 1 …" and "DNSKEY 257 3 RSASHA1 …"; dnsjava wants the algorithm
     * number.
     */
    private static String numericAlgorithm(String text) {
        String[] w = text.trim().split("\\s+");
        for (int i = 1; i + 2 < w.length; i++) {
            String t = w[i].toUpperCase(Locale.ROOT);
            int slot =
                    switch (t) {
                        case "DS", "DLV", "CDS", "DNSKEY", "CDNSKEY", "KEY" -> i + 2;
                        default -> -1;
                    };
            if (slot > 0
                    && slot < w.length
                    && !w[slot].matches("\\d+")
                    && DNSSEC.Algorithm.value(w[slot]) >= 0) {
                w[slot] = Integer.toString(DNSSEC.Algorithm.value(w[slot]));
                return String.join(" ", w);
            }
        }
        return text;
    }

    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.strip().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** The text before a {@code ;} comment (outside quotes, not escaped). */
    static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    static Instant parseDate(String value) {
        if (value.length() == 14) {
            return LocalDateTime.parse(value, DATE).toInstant(ZoneOffset.UTC);
        }
        return Instant.ofEpochSecond(Long.parseLong(value));
    }

    static Name name(String s) throws TextParseException {
        return Name.fromString(s.endsWith(".") ? s : s + ".");
    }
}
