package dev.daneel.bench;

import dev.daneel.testkit.World;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warm lookups by kind of question, in thread CPU time: the side-by-side world's 1,020 questions
 * resolved cold once by one Daneel resolver, then each kind (the 100 {@code www} A questions, the
 * 100 NXDOMAINs, the 10 TLD questions, ...) repeated for 100 ms of CPU per round, 6 measured rounds
 * in rotating order. Prints the median CPU per lookup with the lowest and highest round, and the
 * kind's verdict. A kind of 100 names against one of 10 shows what the cache costs as it grows,
 * apart from the answer's kind.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.daneel.bench.WarmByKind
 * </pre>
 *
 * <p>Sends packets only to the world's server on 127.0.0.1.
 */
public final class WarmByKind {

    private WarmByKind() {}

    /** Runs the rounds and prints one line per kind. */
    public static void main(String[] args) {
        BenchWorld bench = BenchWorld.of(10, 10, true);
        List<BenchWorld.Question> qs = bench.questions();
        String[] kinds = {
            "www A",
            "www AAAA",
            "mail A",
            "MX",
            "txt TXT",
            "wild a",
            "wild b",
            "alias CNAME",
            "NODATA",
            "NXDOMAIN"
        };
        Map<String, List<BenchWorld.Question>> byKind = new LinkedHashMap<>();
        int i = 0;
        for (int t = 0; t < 10; t++) {
            byKind.computeIfAbsent("tld www A", k -> new ArrayList<>()).add(qs.get(i++));
            byKind.computeIfAbsent("tld NXDOMAIN", k -> new ArrayList<>()).add(qs.get(i++));
            for (int c = 0; c < 10; c++) {
                for (String k : kinds) {
                    byKind.computeIfAbsent(k, x -> new ArrayList<>()).add(qs.get(i++));
                }
            }
        }
        ThreadMXBean tb = ManagementFactory.getThreadMXBean();
        try (World world = bench.builder().build().signAll().start()) {
            try (JavaPeer peer = JavaPeer.daneel(world.address(), world.trustAnchors())) {
                for (BenchWorld.Question q : qs) {
                    peer.resolve(q.name(), q.type());
                }
                Map<String, List<Double>> ns = new LinkedHashMap<>();
                List<String> order = new ArrayList<>(byKind.keySet());
                for (int round = 0; round < 7; round++) {
                    Collections.rotate(order, 3);
                    for (String k : order) {
                        List<BenchWorld.Question> l = byKind.get(k);
                        long start = tb.getCurrentThreadCpuTime();
                        long n = 0;
                        while (tb.getCurrentThreadCpuTime() - start < 100_000_000L) {
                            for (BenchWorld.Question q : l) {
                                peer.resolve(q.name(), q.type());
                            }
                            n += l.size();
                        }
                        if (round > 0) {
                            ns.computeIfAbsent(k, x -> new ArrayList<>())
                                    .add((tb.getCurrentThreadCpuTime() - start) / (double) n);
                        }
                    }
                }
                for (Map.Entry<String, List<Double>> e : ns.entrySet()) {
                    List<Double> v = new ArrayList<>(e.getValue());
                    Collections.sort(v);
                    System.out.printf(
                            "%-14s %8.0f ns [%.0f-%.0f]  %s%n",
                            e.getKey(),
                            v.get(v.size() / 2),
                            v.get(0),
                            v.get(v.size() - 1),
                            peer.resolve(
                                    byKind.get(e.getKey()).get(0).name(),
                                    byKind.get(e.getKey()).get(0).type()));
                }
            }
        }
    }
}
