package dev.daneel.validator.internal;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Small readings of a response's sections that every stage of validation needs. Stateless. */
final class Responses {

    private Responses() {}

    /**
     * The RRsets of {@code owner} and {@code type} that hold records. dnsjava groups an RRSIG whose
     * RRset is absent into a signatures-only RRset typed as the covered type; such a set is no data
     * (and its first record an RRSIG), so it is never returned here.
     */
    static List<RRset> find(List<RRset> sets, Name owner, int type) {
        List<RRset> out = new ArrayList<>();
        for (RRset s : sets) {
            if (s.size() > 0
                    && s.getName().equals(owner)
                    && (s.getType() == type || type == Type.ANY && s.getType() != Type.RRSIG)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The DNAME RRset whose owner is a proper ancestor of {@code name}, if the answer has one. */
    static RRset dnameAbove(List<RRset> sets, Name name) {
        for (RRset s : sets) {
            if (s.size() > 0
                    && s.getType() == Type.DNAME
                    && name.subdomain(s.getName())
                    && !name.equals(s.getName())) {
                return s;
            }
        }
        return null;
    }

    /** The negative-caching TTL of RFC 2308 §5: min(SOA TTL, SOA minimum), or 0 without an SOA. */
    static long soaTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(soa.getTTL(), soa.getMinimum());
            }
        }
        return 0;
    }
}
