package dev.daneel.testkit.internal;

import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/**
 * Changes one record of a signed RRset so its signatures no longer match, while the record still
 * parses: the first single-bit flip (from the last octet backwards) whose result is well-formed and
 * canonically different wins.
 */
final class Tamper {

    private Tamper() {}

    static RRset tamper(RRset signed) {
        List<Record> rrs = signed.rrs(false);
        Record victim = rrs.get(0);
        Record changed = flipOneBit(victim);
        RRset out = new RRset();
        out.addRR(changed);
        for (int i = 1; i < rrs.size(); i++) {
            out.addRR(rrs.get(i));
        }
        for (RRSIGRecord sig : signed.sigs()) {
            out.addRR(sig);
        }
        return out;
    }

    static Record flipOneBit(Record r) {
        byte[] rdata = r.rdataToWireCanonical();
        for (int i = rdata.length - 1; i >= 0; i--) {
            byte[] copy = rdata.clone();
            copy[i] ^= 0x01;
            try {
                Record candidate =
                        Record.newRecord(r.getName(), r.getType(), r.getDClass(), r.getTTL(), copy);
                if (!Arrays.equals(candidate.rdataToWireCanonical(), rdata)) {
                    return candidate;
                }
            } catch (RuntimeException e) {
                // this flip makes the RDATA malformed; try the previous octet
            }
        }
        throw new IllegalArgumentException(
                "cannot tamper with " + r + ": no single-bit change stays well-formed");
    }
}
