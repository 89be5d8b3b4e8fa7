package dev.daneel.validator.internal.iterator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The CNAME/DNAME chain in an answer section, followed from a name in the order the links point,
 * not the order the records come in (RFC 1034 §4.3.2, RFC 6672 §3.2).
 *
 * @param links the chain's records (DNAME, CNAME and their RRSIGs) in chain order
 * @param data the records (and RRSIGs) at the end of the chain of the type asked
 * @param end the name the chain ends at ({@code start} when there is no chain)
 * @param hops how many CNAME or DNAME links were followed
 */
record Chain(List<Record> links, List<Record> data, Name end, int hops) {

    /** Whether the chain ends in data of the type asked. */
    boolean hasData() {
        return !data.isEmpty();
    }

    /**
     * @param answer the records of an answer section (RRSIGs included)
     * @param start the name asked
     * @param type the type asked; CNAME and DNAME are data here, not links
     * @param under only records at or below this name are looked at (the server's zone); null for
     *     all
     */
    static Chain follow(List<Record> answer, Name start, int type, Name under) {
        List<Record> links = new ArrayList<>();
        Name cur = start;
        int hops = 0;
        Set<Name> seen = new HashSet<>();
        seen.add(cur);
        boolean moved = true;
        while (moved && type != Type.CNAME && type != Type.ANY) {
            moved = false;
            if (type != Type.DNAME) {
                for (Record r : answer) {
                    if (r instanceof DNAMERecord d
                            && cur.subdomain(d.getName())
                            && !cur.equals(d.getName())
                            && inside(r, under)) {
                        Name target;
                        try {
                            target = cur.fromDNAME(d);
                        } catch (NameTooLongException e) {
                            // YXDOMAIN (RFC 6672 §2.2): the DNAME is the answer, there is nothing
                            // to follow.
                            links.add(r);
                            links.addAll(sigs(answer, d.getName(), Type.DNAME));
                            return new Chain(links, List.of(), cur, hops + 1);
                        }
                        links.add(r);
                        links.addAll(sigs(answer, d.getName(), Type.DNAME));
                        // The synthesised CNAME, when the server sent it (unsigned, RFC 6672
                        // §5.3.1).
                        for (Record c : answer) {
                            if (c instanceof CNAMERecord cn
                                    && cn.getName().equals(cur)
                                    && cn.getTarget().equals(target)) {
                                links.add(c);
                            }
                        }
                        cur = target;
                        hops++;
                        moved = seen.add(cur);
                        break;
                    }
                }
                if (moved) {
                    continue;
                }
            }
            for (Record r : answer) {
                if (r instanceof CNAMERecord c && c.getName().equals(cur) && inside(r, under)) {
                    links.add(r);
                    links.addAll(sigs(answer, cur, Type.CNAME));
                    cur = c.getTarget();
                    hops++;
                    moved = seen.add(cur);
                    break;
                }
            }
        }
        List<Record> data = new ArrayList<>();
        for (Record r : answer) {
            if (r.getName().equals(cur)
                    && (r.getType() == type || type == Type.ANY && r.getType() != Type.RRSIG)
                    && inside(r, under)) {
                data.add(r);
            }
        }
        if (!data.isEmpty()) {
            Set<Integer> types = new HashSet<>();
            data.forEach(r -> types.add(r.getType()));
            for (int t : types) {
                data.addAll(sigs(answer, cur, t));
            }
        }
        return new Chain(links, data, cur, hops);
    }

    private static boolean inside(Record r, Name under) {
        return under == null || r.getName().subdomain(under);
    }

    static List<Record> sigs(List<Record> records, Name owner, int covered) {
        List<Record> out = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof RRSIGRecord s
                    && s.getName().equals(owner)
                    && s.getTypeCovered() == covered) {
                out.add(r);
            }
        }
        return out;
    }
}
