package dev.daneel.anchors.autotrust;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
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
 * Record and question lines as replay files and autotrust files write them ({@code owner [ttl]
 * [class] type rdata ;comment}), read with ldns' parse state: names relative to the current {@code
 * $ORIGIN}, the current {@code $TTL} for records without one, and (in autotrust files, {@code
 * autotrust.c}) the previous owner for a line that starts with white space. Records dnsjava's
 * parser refuses but ldns reads are built in wire form for the DNSSEC types: algorithm mnemonics
 * become numbers, a cut base64 field keeps its whole quanta and an empty RRSIG signature is held as
 * one zero octet (dnsjava refuses an empty one even in wire form), so that a record damaged on
 * purpose reaches the tracker as one that does not verify. Not thread-safe.
 */
final class RecordLines {

    /** testpkts.c's TTL for records written without one. */
    static final long DEFAULT_TTL = 3600;

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

    private Name origin = Name.root;
    private long defaultTtl;
    private Name previous;

    RecordLines(long defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    /** The replay file's state: origin {@code .}, TTL 3600. */
    RecordLines() {
        this(DEFAULT_TTL);
    }

    /** A question line: owner, class, type. */
    record Question(Name name, int type) {}

    void origin(String text) {
        try {
            origin = Name.fromString(text.strip().split("\\s+")[0], origin);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(
                    "$ORIGIN " + text.strip() + ": " + e.getMessage(), e);
        }
    }

    void ttl(String text) {
        try {
            defaultTtl = TTL.parseTTL(text.strip().split("\\s+")[0]);
        } catch (NumberFormatException e) {
            defaultTtl = 0;
        }
    }

    /** One record line with the static defaults of a replay file. */
    static Record parse(String line) {
        return new RecordLines().record(line);
    }

    /** One record line. */
    Record record(String line) {
        String data = stripComment(line);
        if (!data.isEmpty() && Character.isWhitespace(data.charAt(0)) && previous != null) {
            data = previous + " " + data.strip(); // the owner is the previous record's (ldns)
        }
        String text = numericAlgorithm(data.strip());
        String preamble = "$ORIGIN " + origin + "\n$TTL " + defaultTtl + "\n";
        Record r;
        try (Master m =
                new Master(
                        new ByteArrayInputStream(
                                (preamble + text + "\n").getBytes(StandardCharsets.UTF_8)))) {
            r = m.nextRecord();
        } catch (IOException | RuntimeException e) {
            r = wireForm(text);
            if (r == null) {
                throw new IllegalArgumentException(
                        "cannot parse record line '" + line.strip() + "': " + e.getMessage(), e);
            }
        }
        if (r == null) {
            throw new IllegalArgumentException("no record in '" + line.strip() + "'");
        }
        previous = r.getName();
        return r;
    }

    static Question question(String line) {
        return new RecordLines().questionLine(line);
    }

    /** A question line: {@code owner [class] [type]}. */
    Question questionLine(String line) {
        List<String> t = words(stripComment(line));
        try {
            Name owner = Name.fromString(t.get(0), origin);
            int type = Type.A;
            for (String w : t.subList(1, t.size())) {
                int v = Type.value(w, true);
                if (v >= 0 && DClass.value(w) < 0) {
                    type = v;
                }
            }
            return new Question(owner, type);
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("cannot parse question line '" + line + "'", e);
        }
    }

    private Record wireForm(String text) {
        List<String> w = words(text.replace("(", " ").replace(")", " "));
        try {
            Name owner = Name.fromString(w.get(0), origin);
            int at = 1;
            long ttl = defaultTtl;
            int dclass = DClass.IN;
            for (int k = 0; k < 2 && at < w.size(); k++) {
                if (Character.isDigit(w.get(at).charAt(0))) {
                    ttl = TTL.parseTTL(w.get(at++));
                } else if (DClass.value(w.get(at)) >= 0 && Type.value(w.get(at), true) < 0) {
                    dclass = DClass.value(w.get(at++));
                }
            }
            int type = Type.value(w.get(at++), true);
            List<String> f = w.subList(at, w.size());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if ((type == Type.RRSIG || type == Type.SIG) && f.size() >= 8) {
                u16(out, Type.value(f.get(0), true));
                out.write(algorithm(f.get(1)));
                out.write(Integer.parseInt(f.get(2)));
                u32(out, TTL.parseTTL(f.get(3)));
                u32(out, time(f.get(4)));
                u32(out, time(f.get(5)));
                u16(out, Integer.parseInt(f.get(6)));
                out.writeBytes(Name.fromString(f.get(7), origin).toWireCanonical());
                byte[] sig = base64(String.join("", f.subList(8, f.size())));
                out.writeBytes(sig.length == 0 ? new byte[1] : sig);
            } else if ((type == Type.DNSKEY || type == Type.KEY) && f.size() >= 3) {
                u16(out, Integer.parseInt(f.get(0)));
                out.write(Integer.parseInt(f.get(1)));
                out.write(algorithm(f.get(2)));
                out.writeBytes(base64(String.join("", f.subList(3, f.size()))));
            } else if (type == Type.DS && f.size() >= 3) {
                u16(out, Integer.parseInt(f.get(0)));
                out.write(algorithm(f.get(1)));
                out.write(Integer.parseInt(f.get(2)));
                String hex = String.join("", f.subList(3, f.size())).replaceAll("[^0-9A-Fa-f]", "");
                for (int i = 0; i + 1 < hex.length(); i += 2) {
                    out.write(Integer.parseInt(hex.substring(i, i + 2), 16));
                }
            } else {
                return null;
            }
            return Record.newRecord(owner, type, dclass, ttl, out.toByteArray());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int algorithm(String s) {
        return s.matches("\\d+") ? Integer.parseInt(s) : DNSSEC.Algorithm.value(s);
    }

    private static long time(String s) {
        if (s.length() == 14 && s.matches("\\d+")) {
            return LocalDateTime.parse(s, DATE).toInstant(ZoneOffset.UTC).getEpochSecond();
        }
        return Long.parseLong(s) & 0xFFFFFFFFL;
    }

    private static byte[] base64(String s) {
        String clean = s.replaceAll("[^A-Za-z0-9+/]", "");
        return Base64.getDecoder().decode(clean.substring(0, clean.length() - clean.length() % 4));
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
        String[] w = text.split("\\s+");
        for (int i = 1; i + 2 < w.length; i++) {
            String t = w[i].toUpperCase(Locale.ROOT);
            if ((t.equals("DS") || t.equals("DNSKEY") || t.equals("CDS") || t.equals("CDNSKEY"))
                    && !w[i + 2].matches("\\d+")
                    && DNSSEC.Algorithm.value(w[i + 2]) >= 0) {
                w[i + 2] = Integer.toString(DNSSEC.Algorithm.value(w[i + 2]));
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

    /** The text before a {@code ;} comment outside quotes (leading white space kept). */
    static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                return line.substring(0, i).stripTrailing();
            }
        }
        return line.stripTrailing();
    }
}
