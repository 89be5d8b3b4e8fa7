package dev.daneel.validator.internal;

import dev.daneel.anchors.Anchor;
import dev.daneel.anchors.TrustAnchors;
import dev.daneel.validator.Evidence;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;

/**
 * The engine's knowledge of keys: its trust anchors, the validated key entries by zone name (each
 * with the exchanges that proved it, for evidence), and the entries being computed right now, so
 * that concurrent lookups validate each zone's keys once. A key entry is only ever stored under the
 * name it was proven for.
 *
 * <p>Thread-safe; shared by every lookup of one engine.
 */
final class KeyStore {

    /** A key entry with the exchanges that proved it, from the anchor down. */
    record Keys(KeyEntry entry, List<Evidence.Exchange> trail) {}

    private final TrustAnchors anchors;
    private final java.util.List<dev.daneel.validator.NegativeTrustAnchor> negativeAnchors;
    final TtlCache<Name, Keys> cache;
    final ConcurrentHashMap<Name, CompletableFuture<Keys>> inFlight = new ConcurrentHashMap<>();

    KeyStore(TrustAnchors anchors, Clock clock, int maxEntries) {
        this(anchors, java.util.List.of(), clock, maxEntries);
    }

    KeyStore(
            TrustAnchors anchors,
            java.util.List<dev.daneel.validator.NegativeTrustAnchor> negativeAnchors,
            Clock clock,
            int maxEntries) {
        this.anchors = anchors;
        this.negativeAnchors = java.util.List.copyOf(negativeAnchors);
        this.cache = new TtlCache<>(clock, maxEntries);
    }

    /** The closest anchor enclosing {@code name}, if any. */
    Optional<Anchor> anchorFor(Name name) {
        return anchors == null ? Optional.empty() : anchors.closestEnclosing(name);
    }

    /**
     * The most specific negative trust anchor (RFC 7646) covering {@code name} at {@code now}, or
     * null.
     */
    dev.daneel.validator.NegativeTrustAnchor negativeAnchorFor(Name name, java.time.Instant now) {
        dev.daneel.validator.NegativeTrustAnchor best = null;
        for (dev.daneel.validator.NegativeTrustAnchor n : negativeAnchors) {
            if (n.covers(name, now) && (best == null || n.zone().labels() > best.zone().labels())) {
                best = n;
            }
        }
        return best;
    }

    /** The anchored zones, for messages. */
    String describeAnchors() {
        return anchors == null ? "none" : anchors.zones().toString();
    }
}
