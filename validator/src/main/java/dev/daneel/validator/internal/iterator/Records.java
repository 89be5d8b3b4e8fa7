package dev.daneel.validator.internal.iterator;

import java.util.Arrays;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Record helpers dnsjava lacks. Stateless. */
final class Records {

    private Records() {}

    /**
     * A copy of {@code r} with another TTL (dnsjava records are immutable), rdata and case
     * unchanged.
     */
    static Record withTtl(Record r, long ttl) {
        if (r instanceof OPTRecord) {
            return r; // its TTL field is flags, not a lifetime
        }
        byte[] wire =
                r.toWire(Section.ANSWER); // uncompressed: owner, type, class, TTL, rdlength, rdata
        byte[] rdata = Arrays.copyOfRange(wire, r.getName().length() + 10, wire.length);
        return Record.newRecord(r.getName(), r.getType(), r.getDClass(), ttl, rdata);
    }
}
