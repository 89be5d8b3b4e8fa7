package dev.daneel.testkit;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/** Test helpers that check signatures and digests independently of the code under test. */
final class Signatures {

    private Signatures() {}

    /** Groups records into RRsets (RRSIGs attached to the RRset they cover). */
    static List<RRset> rrsets(List<org.xbill.DNS.Record> records) {
        Map<String, RRset> sets = new LinkedHashMap<>();
        for (org.xbill.DNS.Record r : records) {
            String key = r.getName() + "/" + r.getRRsetType();
            sets.computeIfAbsent(key, k -> new RRset()).addRR(r);
        }
        return new ArrayList<>(sets.values());
    }

    /**
     * Verifies one signature against the zone's keys with a matching tag; throws what dnsjava
     * throws.
     */
    static void verify(RRset set, RRSIGRecord sig, List<DNSKEYRecord> keys, Instant now)
            throws DNSSEC.DNSSECException {
        DNSSEC.DNSSECException last = null;
        for (DNSKEYRecord k : keys) {
            if (keyTag(k) == sig.getFootprint() && k.getAlgorithm() == sig.getAlgorithm()) {
                try {
                    DNSSEC.verify(set, sig, k, now);
                    return;
                } catch (DNSSEC.DNSSECException e) {
                    last = e;
                }
            }
        }
        if (last != null) {
            throw last;
        }
        throw new AssertionError(
                "no key with tag "
                        + sig.getFootprint()
                        + " for "
                        + set.getName()
                        + "/"
                        + Type.string(set.getType()));
    }

    /** RFC 4034 Appendix B key tag, computed here rather than by dnsjava. */
    static int keyTag(DNSKEYRecord k) {
        byte[] rdata = k.rdataToWireCanonical();
        long ac = 0;
        for (int i = 0; i < rdata.length; i++) {
            ac += (i & 1) == 0 ? (rdata[i] & 0xff) << 8 : rdata[i] & 0xff;
        }
        ac += (ac >> 16) & 0xffff;
        return (int) (ac & 0xffff);
    }

    /** RFC 4034 §5.1.4 DS digest: hash(owner in canonical wire form | DNSKEY RDATA). */
    static byte[] dsDigest(DNSKEYRecord k, String algorithm) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.writeBytes(k.getName().canonicalize().toWireCanonical());
        buf.writeBytes(k.rdataToWireCanonical());
        return MessageDigest.getInstance(algorithm).digest(buf.toByteArray());
    }
}
