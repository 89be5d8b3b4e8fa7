package dev.daneel.validator.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A size-bounded cache whose entries expire after their own TTL, by the injected clock. Least recently
 * used entries go first when it is full. Thread-safe; every operation is short and never does I/O
 * under the lock.
 *
 * @param <K> key
 * @param <V> value
 */
final class TtlCache<K, V> {

    /** A value and how many seconds of its TTL are left. */
    record Hit<V>(V value, long ttlLeft) {
    }

    private record Slot<V>(V value, long expiresAtMillis) {
    }

    private final Clock clock;
    private final int maxEntries;
    private final LinkedHashMap<K, Slot<V>> map;

    TtlCache(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Slot<V>> eldest) {
                return size() > TtlCache.this.maxEntries;
            }
        };
    }

    /** The live entry for {@code key}, or null. */
    synchronized Hit<V> get(K key) {
        Slot<V> e = map.get(key);
        if (e == null) {
            return null;
        }
        long left = e.expiresAtMillis - clock.millis();
        if (left <= 0) {
            map.remove(key);
            return null;
        }
        return new Hit<>(e.value, left / 1000);
    }

    /** Stores {@code value} for {@code ttlSeconds}; a TTL of zero or less stores nothing. */
    synchronized void put(K key, V value, long ttlSeconds) {
        if (ttlSeconds <= 0) {
            return;
        }
        long capped = Math.min(ttlSeconds, Integer.MAX_VALUE);
        map.put(key, new Slot<>(value, clock.millis() + capped * 1000));
    }

    /** Whether a live entry exists for {@code key}. */
    synchronized boolean contains(K key) {
        Slot<V> e = map.get(key);
        return e != null && e.expiresAtMillis > clock.millis();
    }

    synchronized int size() {
        return map.size();
    }

    synchronized void clear() {
        map.clear();
    }
}
