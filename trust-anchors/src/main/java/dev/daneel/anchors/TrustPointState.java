package dev.daneel.anchors;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * What RFC 5011 tracking knows about one anchored zone (a "trust point"): every key with its {@link
 * AnchorState}, and when the zone's DNSKEY RRset was last fetched and is next due.
 *
 * <pre>{@code
 * TrustPointState root = tracker.state(Name.root).orElseThrow();
 * for (TrustPointState.Key k : root.keys()) {
 *     System.out.println(k.keyTag() + " " + k.state());   // 20326 VALID, 38696 ADD_PEND ...
 * }
 * }</pre>
 *
 * <p>A fresh trust point ({@link #initial(Anchor)}) holds the configured DS and DNSKEY records as
 * {@link AnchorState#VALID} with no last change; the first validated DNSKEY RRset replaces
 * configured DS records by the keys they match (as Unbound's autotrust does). Immutable; the {@link
 * AnchorStore} persists it and {@link AnchorTracker} produces new values.
 *
 * @param zone the anchored zone
 * @param keys the tracked keys: DNSKEY records, and DS records until the first successful probe
 * @param lastQueried when the DNSKEY RRset was last asked for
 * @param lastSuccess when a DNSKEY RRset last validated
 * @param nextProbe when the DNSKEY RRset is next due (empty: now)
 * @param queryFailed probes that failed since the last success
 * @param queryInterval the RFC 5011 §2.3 active refresh interval last computed
 * @param retryInterval the RFC 5011 §2.3 retry interval last computed
 * @param revoked whether every key of the zone was revoked, so that the zone is no longer anchored
 */
public record TrustPointState(
        Name zone,
        List<Key> keys,
        Optional<Instant> lastQueried,
        Optional<Instant> lastSuccess,
        Optional<Instant> nextProbe,
        int queryFailed,
        Duration queryInterval,
        Duration retryInterval,
        boolean revoked) {

    /** RFC 5011 §2.3: no refresh interval is shorter than one hour. */
    public static final Duration MIN_INTERVAL = Duration.ofHours(1);

    /**
     * Checks the components: an absolute zone, keys owned by it, a failure count of at least 0,
     * positive intervals.
     */
    public TrustPointState {
        Objects.requireNonNull(zone, "zone");
        if (!zone.isAbsolute()) {
            throw new IllegalArgumentException("trust point zone must be absolute, got " + zone);
        }
        keys = List.copyOf(keys);
        for (Key k : keys) {
            if (!k.record().getName().equals(zone)) {
                throw new IllegalArgumentException(
                        "key " + k + " is not owned by the trust point " + zone);
            }
        }
        Objects.requireNonNull(lastQueried, "lastQueried");
        Objects.requireNonNull(lastSuccess, "lastSuccess");
        Objects.requireNonNull(nextProbe, "nextProbe");
        if (queryFailed < 0) {
            throw new IllegalArgumentException("queryFailed must be >= 0, got " + queryFailed);
        }
        requirePositive(queryInterval, "queryInterval");
        requirePositive(retryInterval, "retryInterval");
    }

    /**
     * A trust point that starts from a configured anchor: every DS and DNSKEY trusted, nothing
     * probed yet.
     */
    public static TrustPointState initial(Anchor anchor) {
        List<Key> keys = new ArrayList<>();
        for (DSRecord ds : anchor.ds()) {
            keys.add(new Key(ds, AnchorState.VALID, 0, Optional.empty()));
        }
        for (DNSKEYRecord k : anchor.keys()) {
            keys.add(new Key(k, AnchorState.VALID, 0, Optional.empty()));
        }
        return new TrustPointState(
                anchor.zone(),
                keys,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                MIN_INTERVAL,
                MIN_INTERVAL,
                false);
    }

    /**
     * The anchor a validator may use now: configured DS records and the DNSKEYs in a trusted state
     * ({@link AnchorState#VALID}, {@link AnchorState#MISSING}); empty when the trust point is
     * revoked or nothing is trusted.
     */
    public Optional<Anchor> trustedAnchor() {
        if (revoked) {
            return Optional.empty();
        }
        List<DSRecord> ds = new ArrayList<>();
        List<DNSKEYRecord> dnskeys = new ArrayList<>();
        for (Key k : keys) {
            if (k.record() instanceof DSRecord) {
                ds.add((DSRecord) k.record());
            } else if (k.state().trusted()) {
                dnskeys.add((DNSKEYRecord) k.record());
            }
        }
        if (ds.isEmpty() && dnskeys.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Anchor(zone, ds, dnskeys));
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }

    /**
     * One tracked key: a DNSKEY (or, before the first probe, a configured DS) with its RFC 5011
     * state.
     *
     * <pre>{@code
     * Key k = new Key(dnskey, AnchorState.ADD_PEND, 1, Optional.of(firstSeen));
     * }</pre>
     *
     * @param record the DNSKEY record as last seen (with the REVOKE bit once revoked), or a DS
     *     record
     * @param state the RFC 5011 state; DS records are always {@link AnchorState#VALID}
     * @param pendingCount how many validated DNSKEY RRsets contained the key while it was pending
     * @param lastChange when the state last changed (the start of a hold-down); empty for
     *     configured keys never seen yet
     */
    public record Key(
            Record record, AnchorState state, int pendingCount, Optional<Instant> lastChange) {

        /** Checks the components; the record is a DNSKEY or a DS. */
        public Key {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(lastChange, "lastChange");
            if (!(record instanceof DNSKEYRecord) && !(record instanceof DSRecord)) {
                throw new IllegalArgumentException(
                        "a tracked key is a DNSKEY or DS record, got " + record);
            }
            if (record instanceof DSRecord && state != AnchorState.VALID) {
                throw new IllegalArgumentException(
                        "a configured DS is always VALID until replaced by its key, got "
                                + state
                                + " for "
                                + record);
            }
            if (pendingCount < 0) {
                throw new IllegalArgumentException(
                        "pendingCount must be >= 0, got " + pendingCount);
            }
        }

        /** The key tag (RFC 4034 Appendix B) of the key as stored, or the DS's key tag. */
        public int keyTag() {
            return record instanceof DSRecord
                    ? ((DSRecord) record).getFootprint()
                    : ((DNSKEYRecord) record).getFootprint();
        }

        /** The DNSSEC algorithm number. */
        public int algorithm() {
            return record instanceof DSRecord
                    ? ((DSRecord) record).getAlgorithm()
                    : ((DNSKEYRecord) record).getAlgorithm();
        }

        /** Whether this entry is a configured DS rather than a key. */
        public boolean isDs() {
            return record instanceof DSRecord;
        }

        /** A copy in another state, changed at {@code when}. */
        public Key withState(AnchorState newState, Instant when) {
            return new Key(record, newState, pendingCount, Optional.of(when));
        }

        /** A copy with another pending count. */
        public Key withPendingCount(int count) {
            return new Key(record, state, count, lastChange);
        }

        @Override
        public String toString() {
            return (isDs() ? "DS " : "key ") + keyTag() + "/" + algorithm() + " " + state;
        }
    }
}
