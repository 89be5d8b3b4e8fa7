package dev.daneel.validator.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A size-bounded cache whose entries expire after their own TTL, by the injected clock. Least
 * recently used entries go first when it is full: recency is counted in insertions (an entry read
 * since the last insertion counts as newest), and a full cache drops its least recently used
 * sixteenth at once, so the work of eviction is spread over many insertions.
 *
 * <p>Thread-safe. Reads take no lock and, for an entry already marked as recent, write nothing
 * shared: warm lookups from many threads do not contend. Eviction runs under a lock, never during
 * I/O.
 *
 * @param <K> key
 * @param <V> value
 */
final class TtlCache<K, V> {

    /** A value and how many seconds of its TTL are left. */
    record Hit<V>(V value, long ttlLeft) {}

    private static final class Slot<V> {
        final V value;
        final long expiresAtMillis;
        final long bytes;

        /** The insertion count when the entry was last put or read; eviction drops the smallest. */
        volatile long lastUsed;

        Slot(V value, long expiresAtMillis, long lastUsed, long bytes) {
            this.value = value;
            this.expiresAtMillis = expiresAtMillis;
            this.bytes = bytes;
            this.lastUsed = lastUsed;
        }
    }

    private final Clock clock;
    private final int maxEntries;
    private final long maxBytes;
    private final java.util.function.ToLongFunction<V> weigher;
    private final ConcurrentHashMap<K, Slot<V>> map = new ConcurrentHashMap<>();
    private final AtomicLong insertions = new AtomicLong();

    /** The weight of the entries in the map, kept exact by every put and remove. */
    private final AtomicLong bytes = new AtomicLong();

    TtlCache(Clock clock, int maxEntries) {
        this(clock, maxEntries, Long.MAX_VALUE, v -> 0);
    }

    /**
     * A cache bounded in entries and in bytes: {@code weigher} estimates an entry's size, and the
     * least recently used entries go when either bound is passed.
     */
    TtlCache(
            Clock clock,
            int maxEntries,
            long maxBytes,
            java.util.function.ToLongFunction<V> weigher) {
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.weigher = weigher;
    }

    /** The estimated size of the entries held now. */
    long bytes() {
        return bytes.get();
    }

    private boolean drop(K key, Slot<V> slot) {
        if (map.remove(key, slot)) {
            bytes.addAndGet(-slot.bytes);
            return true;
        }
        return false;
    }

    /** The live entry for {@code key}, or null. */
    Hit<V> get(K key) {
        Slot<V> e = map.get(key);
        if (e == null) {
            return null;
        }
        long left = e.expiresAtMillis - clock.millis();
        if (left <= 0) {
            drop(key, e);
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
        long weight = weigher.applyAsLong(value);
        if (weight > maxBytes / 16) {
            return; // one entry may not take more than a sixteenth of the byte budget
        }
        Slot<V> slot =
                new Slot<>(
                        value,
                        clock.millis() + capped * 1000,
                        insertions.incrementAndGet(),
                        weight);
        bytes.addAndGet(weight);
        Slot<V> old = map.put(key, slot);
        if (old != null) {
            bytes.addAndGet(-old.bytes);
        }
        if (map.size() > maxEntries || bytes.get() > maxBytes) {
            evict();
        }
    }

    /**
     * Drops expired entries, then the least recently used ones, until a sixteenth of the room is
     * free.
     */
    private synchronized void evict() {
        if (map.size() <= maxEntries && bytes.get() <= maxBytes) {
            return; // another thread evicted meanwhile
        }
        long now = clock.millis();
        List<Map.Entry<K, Slot<V>>> entries = new ArrayList<>(map.entrySet());
        entries.removeIf(
                e -> e.getValue().expiresAtMillis <= now && drop(e.getKey(), e.getValue()));
        int entryGoal = maxEntries - maxEntries / 16;
        long byteGoal = maxBytes - maxBytes / 16;
        if (map.size() <= entryGoal && bytes.get() <= byteGoal) {
            return;
        }
        entries.sort(Comparator.comparingLong(e -> e.getValue().lastUsed));
        for (int i = 0;
                i < entries.size() && (map.size() > entryGoal || bytes.get() > byteGoal);
                i++) {
            drop(entries.get(i).getKey(), entries.get(i).getValue());
        }
    }

    /** Forgets the entry for {@code key}, if any. */
    void remove(K key) {
        Slot<V> old = map.remove(key);
        if (old != null) {
            bytes.addAndGet(-old.bytes);
        }
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
        for (K key : new ArrayList<>(map.keySet())) {
            remove(key);
        }
    }
}
