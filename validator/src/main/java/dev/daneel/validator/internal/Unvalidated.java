package dev.daneel.validator.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The CNAME/DNAME chain and final records of a response as it gives them, for an Indeterminate
 * answer (no anchor, or nothing DNSSEC can judge): handed out as unvalidated data, for no longer
 * than their smallest TTL.
 */
record Unvalidated(List<Record> chain, List<Record> records) {

    /**
     * Follows the response's CNAME/DNAME links from {@code qname}, at most {@code maxHops},
     * stopping at loops.
     */
    static Unvalidated of(Message response, Name qname, int qtype, int maxHops) {
        List<RRset> answers = response.getSectionRRsets(Section.ANSWER);
        List<Record> chain = new ArrayList<>();
        Name current = qname;
        Set<Name> visited = new HashSet<>();
        for (int hops = 0; hops <= maxHops && visited.add(current); hops++) {
            List<RRset> exact = Responses.find(answers, current, qtype);
            if (!exact.isEmpty()) {
                List<Record> records = new ArrayList<>();
                exact.forEach(set -> records.addAll(set.rrs(false)));
                return new Unvalidated(chain, records);
            }
            RRset dname = Responses.dnameAbove(answers, current);
            List<RRset> cname = Responses.find(answers, current, org.xbill.DNS.Type.CNAME);
            if (dname != null) {
                chain.add(dname.first());
            }
            if (cname.isEmpty()) {
                break;
            }
            chain.add(cname.get(0).first());
            current = ((CNAMERecord) cname.get(0).first()).getTarget();
        }
        return new Unvalidated(chain, List.of());
    }

    /** The smallest TTL of the records handed out: how long unvalidated data may be used. */
    long ttl() {
        long ttl = Long.MAX_VALUE;
        for (Record r : chain) {
            ttl = Math.min(ttl, r.getTTL());
        }
        for (Record r : records) {
            ttl = Math.min(ttl, r.getTTL());
        }
        return ttl == Long.MAX_VALUE ? 0 : ttl;
    }
}
