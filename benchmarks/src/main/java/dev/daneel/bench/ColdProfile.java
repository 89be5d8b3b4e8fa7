package dev.daneel.bench;

import dev.daneel.testkit.Fault;
import dev.daneel.testkit.LoggedQuery;
import dev.daneel.testkit.World;
import dev.daneel.testkit.WorldServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Cold lookups three zones deep (root, TLD, zone; algorithms 8, 13 and 15 mixed), each by a new
 * resolver, as a workload to profile: run it under JFR ({@code -XX:StartFlightRecording}) to see
 * where a cold lookup's time goes. First, through a server that delays every answer by {@code
 * --delay-ms}, it counts for each lookup the upstream queries and the waves they came in (a query
 * arriving more than half a delay after the wave's first starts the next wave): the round trips on
 * the critical path, counted from the server's log rather than inferred from latency. Then it
 * repeats {@code --lookups} cold lookups through an undelayed server and prints wall and CPU per
 * lookup (CPU of the whole JVM, the in-process server's included).
 *
 * <pre>
 * java -XX:StartFlightRecording=filename=cold.jfr,settings=profile -cp benchmarks/target/benchmarks.jar \
 *     dev.daneel.bench.ColdProfile [--peer Daneel|dnsjava] [--lookups 300] [--delay-ms 40]
 * </pre>
 *
 * <p>Sends packets only to the world's servers on 127.0.0.1.
 */
public final class ColdProfile {

    private ColdProfile() {}

    /** Runs the counts and the profiled loop; see the class comment for the options. */
    public static void main(String[] args) {
        String peerName = SideBySide.DANEEL;
        int lookups = 300;
        int delay = 40;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--peer" -> peerName = args[i + 1];
                case "--lookups" -> lookups = Integer.parseInt(args[i + 1]);
                case "--delay-ms" -> delay = Integer.parseInt(args[i + 1]);
                default ->
                        throw new IllegalArgumentException(
                                "unknown option "
                                        + args[i]
                                        + "; expected --peer, --lookups or --delay-ms");
            }
        }
        boolean daneel = peerName.equals(SideBySide.DANEEL);
        BenchWorld bench = BenchWorld.of(10, 10, false);
        try (World world = bench.builder().build().signAll().start()) {
            List<DSRecord> anchor = world.trustAnchors();
            List<Name> deep = bench.deepNames(30);
            WorldServer slow = world.newServer();
            slow.inject(Fault.delay(Duration.ofMillis(delay)));
            Map<String, Integer> waveCounts = new TreeMap<>();
            List<Integer> queries = new ArrayList<>();
            for (Name n : deep.subList(0, Math.min(10, deep.size()))) {
                try (JavaPeer peer =
                        daneel
                                ? JavaPeer.daneel(slow.address(), anchor)
                                : JavaPeer.dnsjava(slow.address(), anchor)) {
                    slow.log().clear();
                    peer.resolve(n, Type.A);
                    List<LoggedQuery> log = slow.log().entries();
                    queries.add(log.size());
                    waveCounts.merge(waves(log, delay) + " waves", 1, Integer::sum);
                    System.out.printf(
                            "%s A: %d queries in %d waves: %s%n",
                            n, log.size(), waves(log, delay), describe(log, delay));
                }
            }
            System.out.printf(
                    "%s, cold lookups three zones deep: queries %s, waves %s%n",
                    peerName, queries, waveCounts);

            long cpu0 = Runs.processCpuNanos();
            long t0 = System.nanoTime();
            world.server().log().clear();
            for (int i = 0; i < lookups; i++) {
                try (JavaPeer peer =
                        daneel
                                ? JavaPeer.daneel(world.address(), anchor)
                                : JavaPeer.dnsjava(world.address(), anchor)) {
                    peer.resolve(deep.get(i % deep.size()), Type.A);
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (Runs.processCpuNanos() - cpu0) / 1e9;
            System.out.printf(
                    "%s, %d cold lookups, each by a new resolver: %.0f µs wall, %.0f µs JVM CPU per lookup, %.1f queries each"
                            + " (%s, %s)%n",
                    peerName,
                    lookups,
                    wall / lookups * 1e6,
                    cpu / lookups * 1e6,
                    (double) world.server().log().size() / lookups,
                    System.getProperty("java.vm.name"),
                    System.getProperty("java.version"));
            System.out.println(
                    "JVM uptime " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms");
        }
    }

    /**
     * The number of waves: a query more than half a delay after its wave's first opens a new one.
     */
    static int waves(List<LoggedQuery> log, int delayMillis) {
        int waves = 0;
        java.time.Instant start = null;
        for (LoggedQuery q : log) {
            if (start == null || Duration.between(start, q.time()).toMillis() > delayMillis / 2) {
                waves++;
                start = q.time();
            }
        }
        return waves;
    }

    private static String describe(List<LoggedQuery> log, int delayMillis) {
        StringBuilder s = new StringBuilder();
        java.time.Instant start = null;
        for (LoggedQuery q : log) {
            if (start == null || Duration.between(start, q.time()).toMillis() > delayMillis / 2) {
                s.append(start == null ? "[" : "] [");
                start = q.time();
            } else {
                s.append(", ");
            }
            s.append(q.name()).append(' ').append(Type.string(q.type()));
        }
        return s.append(']').toString();
    }
}
