package dev.daneel.anchors;

import java.util.List;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/**
 * The trust anchor of one zone: the DS records and DNSKEY records a validator accepts for its key
 * set.
 *
 * @param zone the anchored zone
 * @param ds DS records, each naming a key by digest
 * @param keys DNSKEY records trusted as they are
 */
public record Anchor(Name zone, List<DSRecord> ds, List<DNSKEYRecord> keys) {

    /** Copies the lists; an anchor needs at least one DS or DNSKEY record. */
    public Anchor {
        ds = List.copyOf(ds);
        keys = List.copyOf(keys);
        if (ds.isEmpty() && keys.isEmpty()) {
            throw new IllegalArgumentException(
                    "anchor for " + zone + " has neither DS nor DNSKEY records");
        }
    }

    @Override
    public String toString() {
        return zone + " (" + ds.size() + " DS, " + keys.size() + " DNSKEY)";
    }
}
