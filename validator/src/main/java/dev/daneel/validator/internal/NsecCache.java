package dev.daneel.validator.internal;

import dev.daneel.validator.Evidence;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Validated NSEC and NSEC3 records kept for aggressive use (RFC 8198): a name covered by a cached
 * span, with its wildcard denied too, is proven not to exist without asking upstream again.
 *
 * <p>Only records that were part of a Secure negative proof go in (never from an opt-out proof),
 * each with the exchange that carried it (for the evidence of answers synthesised from it) and an
 * expiry of min(TTL, SOA minimum, RRSIG expiry) (RFC 8198 §5.4). NSEC records are kept in canonical
 * name order per zone, NSEC3 records in hash order per zone. The number of records is bounded: when
 * full, expired records go first, then the zone holding the most (the one a flood of denials
 * fills).
 *
 * <p>Thread-safe: every method holds the cache's lock briefly and never does I/O or hashing.
 */
final class NsecCache {

    /**
     * A cached NSEC or NSEC3 record, the exchange that proved it and when it stops being usable.
     */
    record Entry(Record record, Evidence.Exchange exchange, long expiresAtMillis) {}

    private static final Name WILDCARD = Name.fromConstantString("*");

    private final Clock clock;
    private final int maxRecords;
    private final Map<Name, TreeMap<Name, Entry>> nsecZones = new HashMap<>();

    /** Per zone, NSEC3 records by their hashed owner label (base32hex, lower case: hash order). */
    private final Map<Name, TreeMap<String, Entry>> nsec3Zones = new HashMap<>();

    private int size;

    NsecCache(Clock clock, int maxRecords) {
        this.clock = clock;
        this.maxRecords = maxRecords;
    }

    /**
     * Keeps the validated NSEC and NSEC3 records of {@code zone}'s proof for {@code ttlSeconds}.
     */
    synchronized void put(
            Name zone,
            List<NSECRecord> nsecs,
            List<NSEC3Record> nsec3s,
            Evidence.Exchange exchange,
            long ttlSeconds) {
        if (ttlSeconds <= 0 || nsecs.isEmpty() && nsec3s.isEmpty()) {
            return;
        }
        long expires = clock.millis() + Math.min(ttlSeconds, Integer.MAX_VALUE) * 1000;
        if (!nsecs.isEmpty()) {
            TreeMap<Name, Entry> spans = nsecZones.computeIfAbsent(zone, z -> new TreeMap<>());
            for (NSECRecord n : nsecs) {
                if (spans.put(n.getName(), new Entry(n, exchange, expires)) == null) {
                    size++;
                }
            }
        }
        if (!nsec3s.isEmpty()) {
            TreeMap<String, Entry> spans = nsec3Zones.computeIfAbsent(zone, z -> new TreeMap<>());
            for (NSEC3Record n : nsec3s) {
                if (spans.put(hashLabel(n), new Entry(n, exchange, expires)) == null) {
                    size++;
                }
            }
        }
        if (size > maxRecords) {
            shrink();
        }
    }

    /**
     * The closest enclosing zone of {@code name} with cached NSEC records and, of those, the live
     * ones that can speak for {@code name}: the record at or before it, and the record at or before
     * the wildcard at each of its ancestors down to the zone. Empty when nothing is cached for it.
     */
    synchronized Candidates candidates(Name name) {
        long now = clock.millis();
        for (int strip = 0; strip < name.labels(); strip++) {
            Name zone = new Name(name, strip);
            TreeMap<Name, Entry> spans = nsecZones.get(zone);
            if (spans == null) {
                continue;
            }
            List<Entry> found = new ArrayList<>();
            addFloor(spans.floorEntry(name), now, found);
            for (int up = 1; up <= name.labels() - zone.labels(); up++) {
                try {
                    addFloor(
                            spans.floorEntry(Name.concatenate(WILDCARD, new Name(name, up))),
                            now,
                            found);
                } catch (org.xbill.DNS.NameTooLongException e) {
                    // a wildcard that long cannot exist; nothing to look up
                }
            }
            return new Candidates(zone, found);
        }
        return new Candidates(null, List.of());
    }

    /**
     * The closest enclosing zone of {@code name} with a live cached NSEC3 record, and one such
     * record.
     */
    synchronized Nsec3Zone nsec3Zone(Name name) {
        long now = clock.millis();
        for (int strip = 0; strip < name.labels(); strip++) {
            Name zone = new Name(name, strip);
            TreeMap<String, Entry> spans = nsec3Zones.get(zone);
            if (spans == null) {
                continue;
            }
            for (Entry e : spans.values()) {
                if (e.expiresAtMillis() > now) {
                    return new Nsec3Zone(zone, (NSEC3Record) e.record());
                }
            }
            return null;
        }
        return null;
    }

    /**
     * A zone with cached NSEC3 records and one of them, whose parameters the zone's hashes are made
     * with.
     */
    record Nsec3Zone(Name zone, NSEC3Record params) {}

    /**
     * The live NSEC3 record of {@code zone} whose hash is {@code hash} or the closest before it;
     * before the first one, the last (the chain wraps round, RFC 5155 §3.1.7). Null when none is
     * live.
     */
    synchronized Entry nsec3AtOrBefore(Name zone, String hash) {
        TreeMap<String, Entry> spans = nsec3Zones.get(zone);
        if (spans == null || spans.isEmpty()) {
            return null;
        }
        Map.Entry<String, Entry> e = spans.floorEntry(hash.toLowerCase(Locale.ROOT));
        if (e == null) {
            e = spans.lastEntry();
        }
        return e.getValue().expiresAtMillis() > clock.millis() ? e.getValue() : null;
    }

    /** The zone the records belong to (null when none is cached) and the records. */
    record Candidates(Name zone, List<Entry> entries) {
        List<NSECRecord> records() {
            return entries.stream().map(e -> (NSECRecord) e.record()).toList();
        }
    }

    /** Seconds until the first of {@code entries} expires. */
    static long ttlLeft(List<Entry> entries, long nowMillis) {
        long min = Long.MAX_VALUE;
        for (Entry e : entries) {
            min = Math.min(min, e.expiresAtMillis());
        }
        return min == Long.MAX_VALUE ? 0 : Math.max(0, (min - nowMillis) / 1000);
    }

    synchronized int size() {
        return size;
    }

    synchronized void clear() {
        nsecZones.clear();
        nsec3Zones.clear();
        size = 0;
    }

    private static String hashLabel(NSEC3Record r) {
        return r.getName().getLabelString(0).toLowerCase(Locale.ROOT);
    }

    private static void addFloor(Map.Entry<Name, Entry> floor, long now, List<Entry> found) {
        if (floor != null
                && floor.getValue().expiresAtMillis() > now
                && !found.contains(floor.getValue())) {
            found.add(floor.getValue());
        }
    }

    private void shrink() {
        long now = clock.millis();
        size -= dropExpired(nsecZones, now) + dropExpired(nsec3Zones, now);
        while (size > maxRecords) {
            Map<Name, ? extends TreeMap<?, Entry>> from = nsecZones;
            Name biggest = null;
            int most = -1;
            for (Map<Name, ? extends TreeMap<?, Entry>> kind : List.of(nsecZones, nsec3Zones)) {
                for (Map.Entry<Name, ? extends TreeMap<?, Entry>> z : kind.entrySet()) {
                    if (z.getValue().size() > most) {
                        most = z.getValue().size();
                        biggest = z.getKey();
                        from = kind;
                    }
                }
            }
            size -= from.remove(biggest).size();
        }
    }

    private static int dropExpired(Map<Name, ? extends TreeMap<?, Entry>> zones, long now) {
        int dropped = 0;
        for (var it = zones.values().iterator(); it.hasNext(); ) {
            TreeMap<?, Entry> spans = it.next();
            int before = spans.size();
            spans.values().removeIf(e -> e.expiresAtMillis() <= now);
            dropped += before - spans.size();
            if (spans.isEmpty()) {
                it.remove();
            }
        }
        return dropped;
    }
}
