package dev.daneel.anchors.internal;

import dev.daneel.anchors.AnchorFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The checks every anchor format shares: a record's RDATA parses and makes sense as an anchor, and
 * a DS given next to DNSKEY records for the same zone names one of them.
 */
public final class AnchorChecks {

    /** RFC 4034 §2.1.2: the DNSKEY protocol field is always 3. */
    private static final int DNSKEY_PROTOCOL = 3;

    private AnchorChecks() {}

    /** Parses one DS or DNSKEY RDATA and checks it, naming {@code source:line} on failure. */
    public static Record record(
            String source, int line, Name owner, int type, long ttl, String rdata) {
        String shape =
                type == Type.DS
                        ? "DS KEYTAG ALGORITHM DIGESTTYPE HEX"
                        : "DNSKEY FLAGS 3 ALGORITHM BASE64";
        if (rdata.isBlank()) {
            throw new AnchorFormatException(
                    source,
                    line,
                    "expected '" + shape + "', saw no data after " + Type.string(type));
        }
        Record r;
        try {
            r = Record.fromString(owner, type, DClass.IN, ttl, rdata, Name.root);
        } catch (IOException | RuntimeException e) {
            // dnsjava's tokenizer prefixes its own "<none>:1: " position, meaningless here
            String why = String.valueOf(e.getMessage()).replaceFirst("^<none>:\\d+: ", "");
            throw new AnchorFormatException(
                    source,
                    line,
                    "expected '" + shape + "', saw '" + abbreviate(rdata) + "': " + why,
                    e);
        }
        if (r instanceof DNSKEYRecord) {
            checkKey(source, line, (DNSKEYRecord) r);
        } else {
            checkDs(source, line, (DSRecord) r);
        }
        return r;
    }

    /** A DNSKEY anchor must be a zone key of protocol 3 and must not be revoked. */
    public static void checkKey(String source, int line, DNSKEYRecord k) {
        if (k.getProtocol() != DNSKEY_PROTOCOL) {
            throw new AnchorFormatException(
                    source,
                    line,
                    "expected DNSKEY protocol 3 (RFC 4034 §2.1.2), saw " + k.getProtocol());
        }
        if ((k.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) == 0) {
            throw new AnchorFormatException(
                    source,
                    line,
                    "expected a zone key (flags with bit 0x0100, like 256 or 257), saw flags "
                            + k.getFlags());
        }
        if ((k.getFlags() & DNSKEYRecord.Flags.REVOKE) != 0) {
            throw new AnchorFormatException(
                    source,
                    line,
                    "key "
                            + k.getFootprint()
                            + " has the REVOKE flag (0x0080, flags "
                            + k.getFlags()
                            + "): a revoked key is never a trust anchor (RFC 5011 §2.1); remove it or use the zone's current key");
        }
        if (k.getKey() == null
                || k.getKey().length == 0) { // dnsjava leaves the key null when the line ends early
            throw new AnchorFormatException(
                    source, line, "expected a public key after the algorithm, saw none");
        }
    }

    /** A DS anchor's digest must have the length its digest type says. */
    public static void checkDs(String source, int line, DSRecord ds) {
        int expected;
        switch (ds.getDigestID()) {
            case DNSSEC.Digest.SHA1:
                expected = 20;
                break;
            case DNSSEC.Digest.SHA256:
                expected = 32;
                break;
            case DNSSEC.Digest.SHA384:
                expected = 48;
                break;
            default:
                return; // other digest types: the validator treats them as unsupported
        }
        int length =
                ds.getDigest() == null ? 0 : ds.getDigest().length; // null when the line ends early
        if (length != expected) {
            throw new AnchorFormatException(
                    source,
                    line,
                    "expected a "
                            + expected
                            + "-byte digest for DS digest type "
                            + ds.getDigestID()
                            + " ("
                            + 2 * expected
                            + " hex digits), saw "
                            + length
                            + " bytes");
        }
    }

    /**
     * Where a file gives both DS and DNSKEY records for a zone, each DS must name one of those
     * keys; a DS that matches none is a wrong digest or a missing key, and an anchor that could
     * silently never match.
     */
    public static void dsMatchKeys(String source, List<LocatedRecord> records) {
        Map<Name, List<DNSKEYRecord>> keys = new LinkedHashMap<>();
        for (LocatedRecord lr : records) {
            if (lr.record() instanceof DNSKEYRecord) {
                keys.computeIfAbsent(lr.record().getName(), n -> new ArrayList<>())
                        .add((DNSKEYRecord) lr.record());
            }
        }
        for (LocatedRecord lr : records) {
            if (!(lr.record() instanceof DSRecord)) {
                continue;
            }
            DSRecord ds = (DSRecord) lr.record();
            List<DNSKEYRecord> zoneKeys = keys.get(ds.getName());
            if (zoneKeys == null || !computable(ds.getDigestID())) {
                continue;
            }
            if (zoneKeys.stream().noneMatch(k -> ProbeProcessor.dsMatches(ds, k))) {
                StringJoiner tags = new StringJoiner(", ");
                zoneKeys.forEach(k -> tags.add(Integer.toString(k.getFootprint())));
                throw new AnchorFormatException(
                        source,
                        lr.line(),
                        "DS "
                                + ds.getFootprint()
                                + " "
                                + ds.getAlgorithm()
                                + " "
                                + ds.getDigestID()
                                + " for '"
                                + ds.getName()
                                + "' matches none of the DNSKEY records given for it in"
                                + " this input (key tags "
                                + tags
                                + "): the digest is wrong or its key is missing");
            }
        }
    }

    private static boolean computable(int digest) {
        return digest == DNSSEC.Digest.SHA1
                || digest == DNSSEC.Digest.SHA256
                || digest == DNSSEC.Digest.SHA384;
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }
}
