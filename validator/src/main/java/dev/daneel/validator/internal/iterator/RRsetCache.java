package dev.daneel.validator.internal.iterator;

import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The RRsets the iterator finds its way with: NS RRsets and their targets' addresses. An RRset is
 * replaced only by one of at least its {@link Rank} (RFC 2181 §5.4.1) or once it has expired, so
 * glue cannot overwrite what a zone said of itself. Only in-bailiwick data ever gets here (the
 * {@link Scrubber} runs first). Bounded, least recently used first out. Thread-safe.
 */
final class RRsetCache {

    /** A cached RRset: its records, rank, expiry (clock millis) and the server it came from. */
    record Entry(List<Record> records, Rank rank, long expiresAt, InetAddress source) {}

    /** Which view of a zone cut an RRset is. */
    enum Side {
        /** What lookups use. */
        MAIN,
        /** The copy a referral gave, kept apart so that a child's own answer cannot erase it. */
        PARENT,
        /**
         * The NS RRset a zone's servers put in the authority section of their answers: a fallback
         * only.
         */
        CHILD
    }

    private record Key(Name name, int type, Side side) {}

    private final Clock clock;
    private final int capacity;
    private final Map<Key, Entry> map;

    RRsetCache(Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
        this.map =
                new LinkedHashMap<>(16, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Key, RRsetCache.Entry> eldest) {
                        return size() > RRsetCache.this.capacity;
                    }
                };
    }

    /** Stores the RRset unless a live one of a higher rank is there. */
    synchronized void put(
            Name name, int type, List<Record> records, Rank rank, InetAddress source) {
        if (records.isEmpty() || capacity == 0) {
            return;
        }
        long ttl = records.stream().mapToLong(Record::getTTL).min().orElse(0);
        if (ttl <= 0) {
            return;
        }
        long now = clock.millis();
        put(new Key(name, type, Side.MAIN), records, rank, source, ttl);
    }

    /**
     * Keeps what a parent said at a cut (its NS RRset and glue) apart from the child's view, as
     * Unbound's parent-side cache does: when the child's own servers fail, the parent's may still
     * work.
     */
    synchronized void putSide(
            Side side, Name name, int type, List<Record> records, InetAddress source) {
        long ttl = records.stream().mapToLong(Record::getTTL).min().orElse(0);
        if (records.isEmpty() || capacity == 0 || ttl <= 0) {
            return;
        }
        put(new Key(name, type, side), records, Rank.REFERRAL, source, ttl);
    }

    private void put(Key k, List<Record> records, Rank rank, InetAddress source, long ttl) {
        long now = clock.millis();
        Entry old = map.get(k);
        if (old != null && old.expiresAt > now && old.rank.compareTo(rank) > 0) {
            return;
        }
        map.put(k, new Entry(List.copyOf(records), rank, now + ttl * 1000, source));
    }

    /** The live RRset, or null. */
    synchronized Entry get(Name name, int type) {
        return get(new Key(name, type, Side.MAIN));
    }

    /** The live RRset of that side of the cut, or null. */
    synchronized Entry getSide(Side side, Name name, int type) {
        return get(new Key(name, type, side));
    }

    private Entry get(Key k) {
        Entry e = map.get(k);
        if (e == null) {
            return null;
        }
        if (e.expiresAt <= clock.millis()) {
            map.remove(k);
            return null;
        }
        return e;
    }

    /** Forgets every RRset at or below {@code zone} that {@code source} gave. */
    synchronized void forget(Name zone, InetAddress source) {
        map.entrySet()
                .removeIf(
                        e ->
                                e.getKey().name().subdomain(zone)
                                        && source.equals(e.getValue().source()));
    }
}
