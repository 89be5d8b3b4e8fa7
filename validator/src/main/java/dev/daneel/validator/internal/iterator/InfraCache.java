package dev.daneel.validator.internal.iterator;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * What the iterator knows about servers, as Unbound's infrastructure cache: each address's smoothed
 * round-trip time and variance (RFC 6298), from which its retransmission timeout follows; which
 * servers are lame for which zone; which gave data that failed validation. Servers are chosen at
 * random among those whose timeout is within {@link #RTT_BAND} of the best, so that a server never
 * measured (which starts at the unknown-server timeout) is tried now and then: exploration, as
 * Unbound does it. Thread-safe.
 */
final class InfraCache {

    /**
     * Unbound's {@code RTT_BAND}: servers this close to the fastest are equally likely to be
     * chosen.
     */
    static final Duration RTT_BAND = Duration.ofMillis(400);

    /** Unbound's {@code RTT_MAX_TIMEOUT}: the timeout stops doubling here. */
    static final Duration MAX_RTO = Duration.ofSeconds(120);

    /**
     * How long a lame or bogus mark, or a measured RTT, is kept (Unbound's {@code infra-host-ttl}).
     */
    static final Duration HOST_TTL = Duration.ofMinutes(15);

    private record Rtt(double srtt, double rttvar, long rto, long expiresAt) {}

    private record ZoneServer(Name zone, InetAddress address) {}

    /**
     * Lameness is kept apart for A queries and the rest, as Unbound's {@code lame_type_A}: some
     * servers answer A properly and are broken for AAAA (or the other way), and one must not hide
     * the other.
     */
    private record Lame(Name zone, InetAddress address, boolean typeA) {}

    private final Clock clock;
    private final long unknownRto;
    private final Map<InetAddress, Rtt> rtt = new ConcurrentHashMap<>();
    private final Map<Lame, Long> lame = new ConcurrentHashMap<>();
    private final Map<ZoneServer, Long> bogus = new ConcurrentHashMap<>();

    InfraCache(Clock clock, Duration unknownServerTimeout) {
        this.clock = clock;
        this.unknownRto = unknownServerTimeout.toMillis();
    }

    /** The retransmission timeout for the address, in milliseconds. */
    long rto(InetAddress a) {
        Rtt r = rtt.get(a);
        if (r == null || r.expiresAt <= clock.millis()) {
            return unknownRto;
        }
        return r.rto;
    }

    /** A response came back after {@code millis} (RFC 6298 §2.3). */
    void measured(InetAddress a, long millis) {
        long m = Math.max(0, millis);
        rtt.compute(
                a,
                (k, old) -> {
                    double srtt;
                    double var;
                    if (old == null || old.expiresAt <= clock.millis() || old.srtt < 0) {
                        srtt = m;
                        var = m / 2.0;
                    } else {
                        var = 0.75 * old.rttvar + 0.25 * Math.abs(old.srtt - m);
                        srtt = 0.875 * old.srtt + 0.125 * m;
                    }
                    long rto = (long) Math.min(MAX_RTO.toMillis(), Math.max(50, srtt + 4 * var));
                    return new Rtt(srtt, var, rto, clock.millis() + HOST_TTL.toMillis());
                });
    }

    /** Nothing came back within the timeout: back off (RFC 6298 §5.5). */
    void timedOut(InetAddress a, long timeoutMillis) {
        rtt.compute(
                a,
                (k, old) -> {
                    long base =
                            old == null || old.expiresAt <= clock.millis()
                                    ? Math.max(unknownRto, timeoutMillis)
                                    : old.rto;
                    long rto = Math.min(MAX_RTO.toMillis(), base * 2);
                    double srtt = old == null ? -1 : old.srtt;
                    double var = old == null ? 0 : old.rttvar;
                    return new Rtt(srtt, var, rto, clock.millis() + HOST_TTL.toMillis());
                });
    }

    void markLame(Name zone, InetAddress a, int qtype) {
        lame.put(new Lame(zone, a, qtype == Type.A), clock.millis() + HOST_TTL.toMillis());
    }

    boolean isLame(Name zone, InetAddress a, int qtype) {
        return live(lame, new Lame(zone, a, qtype == Type.A), clock.millis());
    }

    void markBogus(Name zone, InetAddress a) {
        bogus.put(new ZoneServer(zone, a), clock.millis() + HOST_TTL.toMillis());
    }

    boolean isBogus(Name zone, InetAddress a) {
        return live(bogus, new ZoneServer(zone, a), clock.millis());
    }

    private static <K> boolean live(Map<K, Long> marks, K k, long now) {
        Long until = marks.get(k);
        if (until == null) {
            return false;
        }
        if (until <= now) {
            marks.remove(k);
            return false;
        }
        return true;
    }

    /**
     * Picks the next server among {@code candidates} not yet in {@code tried}: at random among
     * those whose timeout is within {@link #RTT_BAND} of the smallest. Null when none is left.
     */
    InetAddress select(List<InetAddress> candidates, Set<InetAddress> tried) {
        List<InetAddress> left = new ArrayList<>();
        long best = Long.MAX_VALUE;
        for (InetAddress a : candidates) {
            if (!tried.contains(a)) {
                left.add(a);
                best = Math.min(best, rto(a));
            }
        }
        if (left.isEmpty()) {
            return null;
        }
        List<InetAddress> band = new ArrayList<>();
        for (InetAddress a : left) {
            if (rto(a) <= best + RTT_BAND.toMillis()) {
                band.add(a);
            }
        }
        return band.get(ThreadLocalRandom.current().nextInt(band.size()));
    }
}
