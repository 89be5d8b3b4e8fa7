package dev.daneel.validator.internal.iterator;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Whole responses by question, for as long as their shortest TTL; a negative response (NXDOMAIN or
 * NODATA) for as long as RFC 2308 §5 says: the smaller of the SOA's TTL and its MINIMUM field. An
 * NXDOMAIN is also kept under its name alone, since it answers every type there (RFC 2308 §5).
 * Records handed out have their TTLs reduced by the time spent in the cache, as a recursive's
 * would. Bounded, least recently used first out. Thread-safe.
 */
final class MessageCache {

    private record Key(Name name, int type) {}

    private record Entry(Resolution resolution, long storedAt, long expiresAt) {}

    /** The key type under which an NXDOMAIN is kept for its name. */
    private static final int ANY_TYPE = -1;

    private final Clock clock;
    private final int capacity;
    private final Map<Key, Entry> map;

    MessageCache(Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
        this.map =
                new LinkedHashMap<>(16, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Key, MessageCache.Entry> eldest) {
                        return size() > MessageCache.this.capacity;
                    }
                };
    }

    /**
     * The seconds a response may be kept: its shortest TTL, and for a negative one the SOA rule.
     */
    static long ttl(Message m, boolean negative) {
        long t = Long.MAX_VALUE;
        for (int s : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (Record r : m.getSection(s)) {
                t = Math.min(t, r.getTTL());
                if (negative && r instanceof SOARecord soa) {
                    t = Math.min(t, soa.getMinimum());
                }
            }
        }
        return t == Long.MAX_VALUE ? 0 : t;
    }

    synchronized void put(
            Name name, int type, Resolution r, long ttlSeconds, boolean nxdomainForName) {
        if (ttlSeconds <= 0 || capacity == 0) {
            return;
        }
        long now = clock.millis();
        Entry e = new Entry(r, now, now + ttlSeconds * 1000);
        map.put(new Key(name, type), e);
        if (nxdomainForName) {
            map.put(new Key(name, ANY_TYPE), e);
        }
    }

    /** The cached response for the question, TTLs aged; or null. */
    synchronized Resolution get(Name name, int type) {
        Entry e = live(new Key(name, type));
        return e == null ? null : aged(e);
    }

    /** The cached NXDOMAIN for the name, asked with any type, or null. */
    synchronized Resolution nxdomain(Name name) {
        Entry e = live(new Key(name, ANY_TYPE));
        return e == null ? null : aged(e);
    }

    private Entry live(Key k) {
        Entry e = map.get(k);
        if (e != null && e.expiresAt <= clock.millis()) {
            map.remove(k);
            return null;
        }
        return e;
    }

    /** Drops every response that holds data a server gave for the zone. */
    synchronized void forget(Name zone, java.net.InetAddress server) {
        map.values()
                .removeIf(
                        e ->
                                e.resolution.hops().stream()
                                        .anyMatch(
                                                h ->
                                                        h.zone().equals(zone)
                                                                && h.server().equals(server)));
    }

    private Resolution aged(Entry e) {
        long elapsed = (clock.millis() - e.storedAt) / 1000;
        Message src = e.resolution.response();
        Message m = src.clone();
        if (elapsed > 0) {
            for (int s : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
                List<Record> records = src.getSection(s);
                m.removeAllRecords(s);
                for (Record r : records) {
                    m.addRecord(Records.withTtl(r, Math.max(0, r.getTTL() - elapsed)), s);
                }
            }
        }
        return new Resolution(m, e.resolution.hops());
    }
}
