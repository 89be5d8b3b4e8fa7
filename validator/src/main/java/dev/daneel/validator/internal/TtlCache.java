package dev.daneel.validator.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A size-bounded cache whose entries expire after their own TTL, by the injected clock. Least recently
 * used entries go first when it is full: recency is counted in insertions (an entry read since the last
 * insertion counts as newest), and a full cache drops its least recently used sixteenth at once, so the
 * work of eviction is spread over many insertions.
 *
 * <p>Thread-safe. Reads take no lock and, for an entry already marked as recent, write nothing shared:
 * warm lookups from many threads do not contend. Eviction runs under a lock, never during I/O.
 *
 * @param <K> key
 * @param <V> value
 */
final class TtlCache<K, V> {

    /** A value and how many seconds of its TTL are left. */
    record Hit<V>(V value, long ttlLeft) {
    }

    private static final class Slot<V> {
        final V value;
        final long expiresAtMillis;
        /** The insertion count when the entry was last put or read; eviction drops the smallest. */
        volatile long lastUsed;

        Slot(V value, long expiresAtMillis, long lastUsed) {
            this.value = value;
            this.expiresAtMillis = expiresAtMillis;
            this.lastUsed = lastUsed;
        }
    }

    private final Clock clock;
    private final int maxEntries;
    private final ConcurrentHashMap<K, Slot<V>> map = new ConcurrentHashMap<>();
    private final AtomicLong insertions = new AtomicLong();

    TtlCache(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /** The live entry for {@code key}, or null. */
    Hit<V> get(K key) {
        Slot<V> e = map.get(key);
        if (e == null) {
            return null;
        }
        long left = e.expiresAtMillis - clock.millis();
        if (left <= 0) {
            map.remove(key, e);
            return null;
        }
        long now = insertions.get();
        if (e.lastUsed != now) {
            e.lastUsed = now;
        }
        return new Hit<>(e.value, left / 1000);
    }

    /** Stores {@code value} for {@code ttlSeconds}; a TTL of zero or less stores nothing. */
    void put(K key, V value, long ttlSeconds) {
        if (ttlSeconds <= 0) {
            return;
        }
        long capped = Math.min(ttlSeconds, Integer.MAX_VALUE);
        map.put(key, new Slot<>(value, clock.millis() + capped * 1000, insertions.incrementAndGet()));
        if (map.size() > maxEntries) {
            evict();
        }
    }

    /** Drops expired entries, then the least recently used ones, until a sixteenth of the room is free. */
    private synchronized void evict() {
        if (map.size() <= maxEntries) {
            return; // another thread evicted meanwhile
        }
        long now = clock.millis();
        List<Map.Entry<K, Slot<V>>> entries = new ArrayList<>(map.entrySet());
        entries.removeIf(e -> e.getValue().expiresAtMillis <= now && map.remove(e.getKey(), e.getValue()));
        int excess = map.size() - (maxEntries - maxEntries / 16);
        if (excess <= 0) {
            return;
        }
        entries.sort(Comparator.comparingLong(e -> e.getValue().lastUsed));
        for (int i = 0; i < entries.size() && excess > 0; i++) {
            if (map.remove(entries.get(i).getKey(), entries.get(i).getValue())) {
                excess--;
            }
        }
    }

    /** Forgets the entry for {@code key}, if any. */
    void remove(K key) {
        map.remove(key);
    }

    /** Whether a live entry exists for {@code key}. */
    boolean contains(K key) {
        Slot<V> e = map.get(key);
        return e != null && e.expiresAtMillis > clock.millis();
    }

    int size() {
        return map.size();
    }

    void clear() {
        map.clear();
    }
}
