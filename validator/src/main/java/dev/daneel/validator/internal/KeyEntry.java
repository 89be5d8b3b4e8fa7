package dev.daneel.validator.internal;

import dev.daneel.validator.InsecureCause;
import dev.daneel.validator.Limit;
import dev.daneel.validator.Reason;
import dev.daneel.validator.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/**
 * What the validator knows about the keys that apply at a name (Unbound's key entry): the validated
 * DNSKEYs of the enclosing zone, a proven insecure delegation, or a failure. Cached until {@code
 * ttl} seconds after it was made. Immutable.
 */
sealed interface KeyEntry {

    /**
     * A broken chain is remembered this long, so a bogus zone is not re-fetched on every query (RFC
     * 4035 §4.7).
     */
    long BOGUS_TTL_SECONDS = 60;

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
    record Secure(
            Name zone, List<DNSKEYRecord> keys, Set<Integer> algorithms, long ttl, boolean viaDlv)
            implements KeyEntry {
        public Secure {
            keys = List.copyOf(keys);
            algorithms = Set.copyOf(algorithms);
        }

        /** The same keys, usable for at most {@code ttl} seconds. */
        Secure capped(long ttl) {
            return new Secure(zone, keys, algorithms, Math.min(this.ttl, ttl), viaDlv);
        }
    }

    /**
     * The chain provably ends at {@code delegation} (null when the proof names no cut) for {@code
     * cause}.
     */
    record Insecure(InsecureCause cause, Name delegation, String detail, long ttl)
            implements KeyEntry {}

    /**
     * No verdict is possible at this name: no anchor covers it, or its chain could not be fetched.
     */
    record Unanchored(Verdict.Cause cause, String detail, long ttl) implements KeyEntry {}

    /** The chain is broken. Cached briefly so a bogus zone is not re-fetched on every query. */
    record Bogus(Verdict.Bogus verdict, long ttl) implements KeyEntry {

        static Bogus of(Reason reason, String detail) {
            return new Bogus(new Verdict.Bogus(reason, detail), BOGUS_TTL_SECONDS);
        }

        static Bogus of(Reason reason, String detail, Limit limit) {
            return new Bogus(
                    new Verdict.Bogus(reason, detail, Optional.ofNullable(limit)),
                    BOGUS_TTL_SECONDS);
        }

        /** The same failure, its detail prefixed with where in the chain it happened. */
        static Bogus at(String where, Verdict.Bogus b) {
            return new Bogus(
                    new Verdict.Bogus(b.reason(), where + b.detail(), b.limitHit()),
                    BOGUS_TTL_SECONDS);
        }

        Reason reason() {
            return verdict.reason();
        }

        String detail() {
            return verdict.detail();
        }
    }
}
