package dev.daneel.validator.internal;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.validator.Limits;
import dev.daneel.validator.NegativeTrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * Everything an {@link Engine} is built from; the engine never changes after construction (a change
 * of trust anchors builds a new engine). Immutable.
 *
 * <pre>{@code
 * Engine engine = new Engine(EngineConfig.of(client::query, anchors, clock).withAggressiveNsec(true));
 * }</pre>
 *
 * @param fetcher where responses come from
 * @param anchors the trust anchors, or null when none is left (RFC 5011 removed them all): every
 *     answer is then Indeterminate
 * @param clock what signatures and TTLs are judged by
 * @param skew clock skew allowed on signature validity windows
 * @param limits work limits per lookup
 * @param cacheSize entries in each cache
 * @param deadline how long one lookup may wait for the network, all its fetches together
 * @param dlvRegistry the DLV registry (RFC 5074) consulted when a chain ends Insecure, or null
 *     (off)
 * @param aggressiveNsec whether validated NSEC/NSEC3 records answer later questions (RFC 8198)
 * @param negativeAnchors negative trust anchors (RFC 7646): names at and below them are Insecure
 *     until they expire
 * @param cacheBytes the estimated memory the answer cache may hold (the raw-response cache gets a
 *     quarter): answers from a zone an attacker controls can be 28–64 KB each, so entries alone
 *     bound nothing
 * @param hardenAlgorithmDowngrade require the DNSKEY RRset to be signed with every algorithm its DS
 *     set or anchor lists, and never fall back to a SHA-1 DS beside a stronger one (Unbound's
 *     harden-algo-downgrade); off by default, as RFC 6840 §5.11 allows
 */
public record EngineConfig(
        Fetcher fetcher,
        TrustAnchors anchors,
        Clock clock,
        Duration skew,
        Limits limits,
        int cacheSize,
        Duration deadline,
        Name dlvRegistry,
        boolean aggressiveNsec,
        List<NegativeTrustAnchor> negativeAnchors,
        boolean hardenAlgorithmDowngrade,
        long cacheBytes) {

    /** Default skew: small, unlike Unbound's day. */
    public static final Duration DEFAULT_SKEW = Duration.ofMinutes(5);

    /** Default byte budget of the answer cache: 64 MiB. */
    public static final long DEFAULT_CACHE_BYTES = 64L << 20;

    /**
     * Default deadline per lookup: room for a few timeouts and fallbacks, never an unbounded wait.
     */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    public EngineConfig {
        Objects.requireNonNull(fetcher, "fetcher");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(skew, "skew");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(deadline, "deadline");
        if (cacheBytes < 1) {
            throw new IllegalArgumentException("cacheBytes must be positive, got " + cacheBytes);
        }
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cacheSize must be positive, got " + cacheSize);
        }
        negativeAnchors = List.copyOf(negativeAnchors);
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, got " + deadline);
        }
    }

    /**
     * The defaults: 5 minutes of skew, {@link Limits#DEFAULT}, 10,000 entries, 30 s per lookup, no
     * DLV, no RFC 8198.
     */
    public static EngineConfig of(Fetcher fetcher, TrustAnchors anchors, Clock clock) {
        return new EngineConfig(
                fetcher,
                anchors,
                clock,
                DEFAULT_SKEW,
                Limits.DEFAULT,
                10_000,
                DEFAULT_DEADLINE,
                null,
                false,
                List.of(),
                false,
                DEFAULT_CACHE_BYTES);
    }

    public EngineConfig withFetcher(Fetcher f) {
        return new EngineConfig(
                f,
                anchors,
                clock,
                skew,
                limits,
                cacheSize,
                deadline,
                dlvRegistry,
                aggressiveNsec,
                negativeAnchors,
                hardenAlgorithmDowngrade,
                cacheBytes);
    }

    public EngineConfig withAnchors(TrustAnchors a) {
        return new EngineConfig(
                fetcher,
                a,
                clock,
                skew,
                limits,
                cacheSize,
                deadline,
                dlvRegistry,
                aggressiveNsec,
                negativeAnchors,
                hardenAlgorithmDowngrade,
                cacheBytes);
    }

    public EngineConfig withSkew(Duration s) {
        return new EngineConfig(
                fetcher,
                anchors,
                clock,
                s,
                limits,
                cacheSize,
                deadline,
                dlvRegistry,
                aggressiveNsec,
                negativeAnchors,
                hardenAlgorithmDowngrade,
                cacheBytes);
    }

    public EngineConfig withLimits(Limits l) {
        return new EngineConfig(
                fetcher,
                anchors,
                clock,
                skew,
                l,
                cacheSize,
                deadline,
                dlvRegistry,
                aggressiveNsec,
                negativeAnchors,
                hardenAlgorithmDowngrade,
                cacheBytes);
    }

    public EngineConfig withCacheSize(int entries) {
        return new EngineConfig(
                fetcher,
                anchors,
                clock,
                skew,
                limits,
                entries,
                deadline,
                dlvRegistry,
                aggressiveNsec,
                negativeAnchors,
                hardenAlgorithmDowngrade,
                cacheBytes);
    }

    public EngineConfig withDeadline(Duration d) {
        return new EngineConfig(
                fetcher,
                anchors,
                clock,
                skew,
                limits,
                cacheSize,
                d,
                dlvRegistry,
                aggressiveNsec,
                negativeAnchors,
                hardenAlgorithmDowngrade,
                cacheBytes);
    }

    public EngineConfig withDlvRegistry(Name registry) {
        return new EngineConfig(
                fetcher,
                anchors,
                clock,
                skew,
                limits,
                cacheSize,
                deadline,
                registry,
                aggressiveNsec,
                negativeAnchors,
                hardenAlgorithmDowngrade,
                cacheBytes);
    }

    public EngineConfig withNegativeAnchors(List<NegativeTrustAnchor> ntas) {
        return new EngineConfig(
                fetcher,
                anchors,
                clock,
                skew,
                limits,
                cacheSize,
                deadline,
                dlvRegistry,
                aggressiveNsec,
                ntas,
                hardenAlgorithmDowngrade,
                cacheBytes);
    }

    public EngineConfig withHardenAlgorithmDowngrade(boolean on) {
        return new EngineConfig(
                fetcher,
                anchors,
                clock,
                skew,
                limits,
                cacheSize,
                deadline,
                dlvRegistry,
                aggressiveNsec,
                negativeAnchors,
                on,
                cacheBytes);
    }

    public EngineConfig withCacheBytes(long budget) {
        return new EngineConfig(
                fetcher,
                anchors,
                clock,
                skew,
                limits,
                cacheSize,
                deadline,
                dlvRegistry,
                aggressiveNsec,
                negativeAnchors,
                hardenAlgorithmDowngrade,
                budget);
    }

    public EngineConfig withAggressiveNsec(boolean on) {
        return new EngineConfig(
                fetcher,
                anchors,
                clock,
                skew,
                limits,
                cacheSize,
                deadline,
                dlvRegistry,
                on,
                negativeAnchors,
                hardenAlgorithmDowngrade,
                cacheBytes);
    }
}
