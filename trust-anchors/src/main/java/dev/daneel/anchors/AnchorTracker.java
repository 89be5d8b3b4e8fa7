package dev.daneel.anchors;

import dev.daneel.anchors.internal.DnskeyObservation;
import dev.daneel.anchors.internal.ProbeProcessor;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * RFC 5011 automated trust-anchor rollover: feed it each DNSKEY RRset fetched for an anchored zone
 * and it keeps the set of trusted keys current — a new KSK is trusted after the 30-day add
 * hold-down, a KSK published with the REVOKE bit (0x0080) and signing the RRset itself is dropped
 * at once.
 *
 * <pre>{@code
 * AnchorStore store = AnchorStore.at(Path.of("/var/lib/daneel/anchors.state"));
 * AnchorTracker tracker = AnchorTracker.builder()
 *         .initial(TrustAnchors.builtIn())           // used for zones the store does not know yet
 *         .resume(store.load().orElse(List.of()))
 *         .build();
 * // on the schedule tracker.nextProbe(Name.root) says, fetch ". DNSKEY" with its RRSIGs (DO=1, CD=1):
 * AnchorTracker.Result r = tracker.onDnskeyResponse(rrset);
 * if (r.changed()) {
 *     store.save(tracker.states());
 * }
 * TrustAnchors now = TrustAnchors.fromAnchors(tracker.anchors());   // what the validator trusts
 * }</pre>
 *
 * <p>The state machine itself is pure and lives in {@code internal.Rfc5011} (one function per RFC
 * 5011 §4 event) and {@code internal.ProbeProcessor} (their order for one RRset, as Unbound's
 * {@code autotrust.c} does it); this class holds the current states, checks the signatures with
 * dnsjava at the clock's time and logs every transition on the {@code System.Logger} named {@code
 * dev.daneel.anchors.rfc5011}. Refresh and retry intervals follow RFC 5011 §2.3; a failed refresh
 * is retried after the retry interval.
 *
 * <p>Thread-safe: every method is synchronized and does no I/O (the caller fetches and persists).
 */
public final class AnchorTracker {

    private static final Logger LOG = System.getLogger("dev.daneel.anchors.rfc5011");

    private final Clock clock;
    private final Clock signatureClock;
    private final Map<Name, TrustPointState> points;

    private AnchorTracker(Builder b) {
        this.clock = b.clock;
        this.signatureClock = b.signatureClock != null ? b.signatureClock : b.clock;
        this.points = new LinkedHashMap<>(b.points);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** What one refresh did. */
    public enum Outcome {
        /** The DNSKEY RRset validated with a trusted key; states were updated. */
        VALIDATED,
        /**
         * The DNSKEY RRset did not validate with any trusted key (bogus); only revocations counted.
         */
        NOT_VALIDATED,
        /** No DNSKEY RRset came (timeout, SERVFAIL, empty answer). */
        NO_ANSWER,
        /** Every key of the zone is revoked: the zone is no longer anchored (RFC 5011 §2.1). */
        TRUST_POINT_REVOKED,
        /** The RRset's owner is not a tracked zone. */
        NOT_TRACKED
    }

    /**
     * The result of one refresh.
     *
     * @param zone the trust point
     * @param outcome what happened
     * @param changed whether any key changed state (then persist {@link #states()})
     * @param nextProbe when the zone is next due, empty when it is no longer probed
     * @param unsupportedKeys key-signing keys published in the RRset whose algorithm Daneel does
     *     not validate (RSAMD5 1, DSA 3 and 6, GOST 12, unassigned numbers) or whose key cannot be
     *     decoded: they are never tracked and never trusted, whatever signs them
     */
    public record Result(
            Name zone,
            Outcome outcome,
            boolean changed,
            Optional<Instant> nextProbe,
            List<DNSKEYRecord> unsupportedKeys) {
        public Result {
            unsupportedKeys = List.copyOf(unsupportedKeys);
        }

        /** A result without unsupported keys. */
        public Result(Name zone, Outcome outcome, boolean changed, Optional<Instant> nextProbe) {
            this(zone, outcome, changed, nextProbe, List.of());
        }
    }

    /**
     * Processes a fetched DNSKEY RRset (with its RRSIGs) of a tracked zone. The caller need not
     * validate it: this method checks the signatures against the trusted keys itself.
     */
    public synchronized Result onDnskeyResponse(RRset dnskeys) {
        Name zone = dnskeys.getName();
        TrustPointState before = points.get(zone);
        if (before == null) {
            return new Result(zone, Outcome.NOT_TRACKED, false, Optional.empty());
        }
        List<DNSKEYRecord> candidates = new ArrayList<>();
        for (TrustPointState.Key k : before.keys()) {
            if (!k.isDs()) {
                candidates.add((DNSKEYRecord) k.record());
            }
        }
        DnskeyObservation o = DnskeyObservation.of(dnskeys, candidates, signatureClock.instant());
        return apply(before, ProbeProcessor.answer(before, o, clock.instant()));
    }

    /**
     * Records a refresh of {@code zone} that brought no DNSKEY RRset; the next try is after the
     * retry interval.
     */
    public synchronized Result onProbeFailed(Name zone) {
        TrustPointState before = points.get(zone);
        if (before == null) {
            return new Result(zone, Outcome.NOT_TRACKED, false, Optional.empty());
        }
        return apply(before, ProbeProcessor.noAnswer(before, clock.instant()));
    }

    /**
     * Replaces the state of one trust point (or starts tracking it), for a state obtained outside
     * RFC 5011: {@link RootAnchorBootstrap.Success#states()} after a bootstrap. The caller persists
     * it (the bootstrap already wrote it to its store).
     */
    public synchronized void reanchor(TrustPointState state) {
        Objects.requireNonNull(state, "state");
        points.put(state.zone(), state);
        LOG.log(
                Level.INFO,
                () ->
                        "RFC 5011 "
                                + state.zone()
                                + " re-anchored from outside RFC 5011: keys "
                                + state.keys());
    }

    /**
     * The anchor of {@code zone} a validator may use now; empty if untracked, revoked or without
     * trusted keys.
     */
    public synchronized Optional<Anchor> anchor(Name zone) {
        TrustPointState s = points.get(zone);
        return s == null ? Optional.empty() : s.trustedAnchor();
    }

    /** The anchors a validator may use now, one per tracked zone that still has trusted keys. */
    public synchronized List<Anchor> anchors() {
        List<Anchor> out = new ArrayList<>();
        for (TrustPointState s : points.values()) {
            s.trustedAnchor().ifPresent(out::add);
        }
        return out;
    }

    /**
     * When {@code zone} is next due for a refresh (now, if never probed); empty if untracked or
     * revoked.
     */
    public synchronized Optional<Instant> nextProbe(Name zone) {
        TrustPointState s = points.get(zone);
        if (s == null || s.revoked()) {
            return Optional.empty();
        }
        return Optional.of(s.nextProbe().orElse(clock.instant()));
    }

    /** The zones due for a refresh now. */
    public synchronized List<Name> due() {
        Instant now = clock.instant();
        List<Name> out = new ArrayList<>();
        for (TrustPointState s : points.values()) {
            if (!s.revoked() && s.nextProbe().map(t -> !t.isAfter(now)).orElse(true)) {
                out.add(s.zone());
            }
        }
        return out;
    }

    /** The state of one trust point. */
    public synchronized Optional<TrustPointState> state(Name zone) {
        return Optional.ofNullable(points.get(zone));
    }

    /** Every trust point's state, for {@link AnchorStore#save(List)}. */
    public synchronized List<TrustPointState> states() {
        return List.copyOf(points.values());
    }

    private Result apply(TrustPointState before, ProbeProcessor.Result r) {
        TrustPointState after = r.state();
        points.put(after.zone(), after);
        boolean changed =
                !before.keys().equals(after.keys()) || before.revoked() != after.revoked();
        LOG.log(
                Level.DEBUG,
                () ->
                        "RFC 5011 "
                                + after.zone()
                                + " refresh: "
                                + r.outcome()
                                + ", keys "
                                + after.keys()
                                + ", next "
                                + after.nextProbe().map(Instant::toString).orElse("never"));
        Optional<Instant> next = after.revoked() ? Optional.empty() : after.nextProbe();
        return new Result(after.zone(), r.outcome(), changed, next, r.unsupported());
    }

    /**
     * Builds an {@link AnchorTracker}.
     *
     * <pre>{@code
     * AnchorTracker t = AnchorTracker.builder().clock(clock).initial(TrustAnchors.builtIn(clock)).build();
     * }</pre>
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Clock signatureClock;
        private final Map<Name, TrustPointState> points = new LinkedHashMap<>();

        private Builder() {}

        /** The clock for hold-downs and schedules (default: the system UTC clock). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * The clock against which RRSIG validity windows are checked, when it must differ from
         * {@link #clock(Clock)}: only for replaying recorded signatures (Unbound's {@code
         * val-override-date}). Insecure in production: old signatures would validate again.
         */
        public Builder insecureSignatureClock(Clock c) {
            this.signatureClock = Objects.requireNonNull(c, "signature clock");
            return this;
        }

        /**
         * Starts tracking every zone of {@code anchors} from scratch (zones given to {@link
         * #resume} win).
         */
        public Builder initial(TrustAnchors anchors) {
            for (Name zone : anchors.zones()) {
                points.putIfAbsent(
                        zone, TrustPointState.initial(anchors.forZone(zone).orElseThrow()));
            }
            return this;
        }

        /**
         * Continues from saved states (for example {@link AnchorStore#load()}); replaces initial
         * anchors of the same zones.
         */
        public Builder resume(Collection<TrustPointState> states) {
            for (TrustPointState s : states) {
                points.put(s.zone(), s);
            }
            return this;
        }

        /** The tracker; refuses to track nothing. */
        public AnchorTracker build() {
            if (points.isEmpty()) {
                throw new IllegalStateException(
                        "nothing to track: give initial(TrustAnchors) or resume(states) with at least one zone");
            }
            return new AnchorTracker(this);
        }
    }
}
