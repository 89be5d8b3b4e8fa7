package dev.daneel.validator.internal;

import dev.daneel.validator.ValidationChain;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;

/**
 * Validated NSEC records kept for aggressive use (RFC 8198): a name covered by a cached NSEC span, with
 * its wildcard covered too, is proven not to exist without asking upstream again.
 *
 * <p>Only records that were part of a Secure negative proof go in, each with the exchange that carried it
 * (for the evidence of answers synthesised from it) and an expiry of min(NSEC TTL, SOA minimum, RRSIG
 * expiry) (RFC 8198 §5.4). NSEC3 spans are not kept. The number of records is bounded: when full, expired
 * records go first, then the zone holding the most (the one a flood of denials fills).
 *
 * <p>Thread-safe: every method holds the cache's lock briefly and never does I/O.
 */
final class NsecCache {

    /** A cached NSEC record, the exchange that proved it and when it stops being usable. */
    record Entry(NSECRecord nsec, ValidationChain.Exchange exchange, long expiresAtMillis) {
    }

    private static final Name WILDCARD = Name.fromConstantString("*");

    private final Clock clock;
    private final int maxRecords;
    private final Map<Name, TreeMap<Name, Entry>> zones = new HashMap<>();
    private int size;

    NsecCache(Clock clock, int maxRecords) {
        this.clock = clock;
        this.maxRecords = maxRecords;
    }

    /** Keeps the validated NSEC records of {@code zone}'s proof for {@code ttlSeconds}. */
    synchronized void put(Name zone, List<NSECRecord> nsecs, ValidationChain.Exchange exchange, long ttlSeconds) {
        if (ttlSeconds <= 0 || nsecs.isEmpty()) {
            return;
        }
        long expires = clock.millis() + Math.min(ttlSeconds, Integer.MAX_VALUE) * 1000;
        TreeMap<Name, Entry> spans = zones.computeIfAbsent(zone, z -> new TreeMap<>());
        for (NSECRecord n : nsecs) {
            if (spans.put(n.getName(), new Entry(n, exchange, expires)) == null) {
                size++;
            }
        }
        if (size > maxRecords) {
            shrink();
        }
    }

    /**
     * The closest enclosing zone of {@code name} with cached records and, of those, the live ones that can
     * speak for {@code name}: the record at or before it, and the record at or before the wildcard at each
     * of its ancestors down to the zone. Empty when nothing is cached for it.
     */
    synchronized Candidates candidates(Name name) {
        long now = clock.millis();
        for (int strip = 0; strip < name.labels(); strip++) {
            Name zone = new Name(name, strip);
            TreeMap<Name, Entry> spans = zones.get(zone);
            if (spans == null) {
                continue;
            }
            List<Entry> found = new ArrayList<>();
            addFloor(spans, name, now, found);
            for (int up = 1; up <= name.labels() - zone.labels(); up++) {
                try {
                    addFloor(spans, Name.concatenate(WILDCARD, new Name(name, up)), now, found);
                } catch (org.xbill.DNS.NameTooLongException e) {
                    // a wildcard that long cannot exist; nothing to look up
                }
            }
            return new Candidates(zone, found);
        }
        return new Candidates(null, List.of());
    }

    /** The zone the records belong to (null when none is cached) and the records. */
    record Candidates(Name zone, List<Entry> entries) {
        List<NSECRecord> records() {
            return entries.stream().map(Entry::nsec).toList();
        }

        /** Seconds until the first of the records expires. */
        long ttlLeft(long nowMillis) {
            long min = Long.MAX_VALUE;
            for (Entry e : entries) {
                min = Math.min(min, e.expiresAtMillis());
            }
            return min == Long.MAX_VALUE ? 0 : Math.max(0, (min - nowMillis) / 1000);
        }
    }

    synchronized int size() {
        return size;
    }

    synchronized void clear() {
        zones.clear();
        size = 0;
    }

    private static void addFloor(TreeMap<Name, Entry> spans, Name name, long now, List<Entry> found) {
        Map.Entry<Name, Entry> floor = spans.floorEntry(name);
        if (floor != null && floor.getValue().expiresAtMillis() > now && !found.contains(floor.getValue())) {
            found.add(floor.getValue());
        }
    }

    private void shrink() {
        long now = clock.millis();
        for (var it = zones.values().iterator(); it.hasNext(); ) {
            TreeMap<Name, Entry> spans = it.next();
            int before = spans.size();
            spans.values().removeIf(e -> e.expiresAtMillis() <= now);
            size -= before - spans.size();
            if (spans.isEmpty()) {
                it.remove();
            }
        }
        while (size > maxRecords) {
            Name biggest = null;
            int most = -1;
            for (Map.Entry<Name, TreeMap<Name, Entry>> z : zones.entrySet()) {
                if (z.getValue().size() > most) {
                    most = z.getValue().size();
                    biggest = z.getKey();
                }
            }
            size -= zones.remove(biggest).size();
        }
    }
}
