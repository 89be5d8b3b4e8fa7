package dev.daneel.validator.internal;

import dev.daneel.validator.Reason;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/**
 * What the validator knows about the keys that apply at a name (Unbound's key entry): the validated
 * DNSKEYs of the enclosing zone, a proven insecure delegation, or a failure. Cached until {@code ttl}
 * seconds after it was made.
 */
sealed interface KeyEntry {

    /** Seconds this entry may be cached. */
    long ttl();

    /**
     * The zone's DNSKEY RRset verified from an anchor.
     *
     * @param zone the zone apex whose keys these are
     * @param keys the zone keys (zone bit set, not revoked) of the verified DNSKEY RRset
     * @param algorithms algorithms used along the chain down to here
     * @param viaDlv whether a DLV record (RFC 5074) stood in for a DS somewhere above
     */
    record Secure(Name zone, List<DNSKEYRecord> keys, Set<Integer> algorithms, long ttl, boolean viaDlv) implements KeyEntry {
        public Secure {
            keys = List.copyOf(keys);
            algorithms = Set.copyOf(algorithms);
        }

        Secure(Name zone, List<DNSKEYRecord> keys, Set<Integer> algorithms, long ttl) {
            this(zone, keys, algorithms, ttl, false);
        }

        /** The same keys, usable for at most {@code ttl} seconds. */
        Secure capped(long ttl) {
            return new Secure(zone, keys, algorithms, Math.min(this.ttl, ttl), viaDlv);
        }
    }

    /** The chain provably ends at {@code delegation}. */
    record Insecure(Name delegation, Reason reason, String why, long ttl) implements KeyEntry {
    }

    /** No verdict is possible at this name: no anchor covers it, or its chain could not be fetched. */
    record Unanchored(dev.daneel.validator.Security.Cause cause, String detail, long ttl) implements KeyEntry {
    }

    /** The chain is broken. Cached briefly so a bogus zone is not re-fetched on every query. */
    record Bogus(Reason reason, String detail, long ttl) implements KeyEntry {
    }
}
