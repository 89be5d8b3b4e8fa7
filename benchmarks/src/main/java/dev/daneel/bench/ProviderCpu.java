package dev.daneel.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ProviderBenchmark}'s verifications timed in CPU time of the measuring thread instead of
 * wall time, for a machine shared with other work: there JMH's wall-clock errors exceed the
 * differences it should show, while a thread's own CPU time barely moves with the load. Every
 * implementation of every algorithm runs in each round, in a rotating order, after a warm-up; the
 * median CPU per verification over the rounds is printed with its lowest and highest round.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.daneel.bench.ProviderCpu [rounds] [milliseconds of CPU per batch]
 * </pre>
 */
public final class ProviderCpu {

    private ProviderCpu() {}

    /** Runs the rounds and prints a markdown table. */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long batchNanos = (args.length > 1 ? Long.parseLong(args[1]) : 200) * 1_000_000L;
        String[] algorithms = {
            "RSASHA256", "ECDSAP256SHA256", "ECDSAP384SHA384", "ED25519", "ED448"
        };
        List<String> implementations =
                new ArrayList<>(List.of("jdk", "jdk-decode", "bc", "bc-cached", "bc-jca"));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, ProviderBenchmark> states = new LinkedHashMap<>();
        Map<String, List<Double>> micros = new LinkedHashMap<>();
        for (String a : algorithms) {
            for (String i : implementations) {
                ProviderBenchmark b = new ProviderBenchmark();
                b.algorithm = a;
                b.implementation = i;
                b.sign();
                for (int k = 0; k < 2000; k++) { // warm-up: C2 compiles the path before it is timed
                    b.verify();
                }
                states.put(a + " " + i, b);
                micros.put(a + " " + i, new ArrayList<>());
            }
        }
        for (int r = 0; r < rounds; r++) {
            Collections.rotate(implementations, 1);
            for (String a : algorithms) {
                for (String i : implementations) {
                    ProviderBenchmark b = states.get(a + " " + i);
                    long start = threads.getCurrentThreadCpuTime();
                    long ops = 0;
                    long used;
                    do {
                        b.verify();
                        ops++;
                        used = threads.getCurrentThreadCpuTime() - start;
                    } while (used < batchNanos);
                    micros.get(a + " " + i).add(used / 1e3 / ops);
                }
            }
        }
        System.out.printf(
                "CPU µs per verification (thread CPU time; median of %d rounds, [lowest–highest]), %s %s%n%n",
                rounds, System.getProperty("java.vm.name"), System.getProperty("java.version"));
        implementations.sort(null);
        StringBuilder head = new StringBuilder("| algorithm |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String i : List.of("jdk", "jdk-decode", "bc", "bc-cached", "bc-jca")) {
            head.append(' ').append(i).append(" |");
            rule.append("---|");
        }
        System.out.println(head);
        System.out.println(rule);
        for (String a : algorithms) {
            StringBuilder row = new StringBuilder("| " + a + " |");
            for (String i : List.of("jdk", "jdk-decode", "bc", "bc-cached", "bc-jca")) {
                List<Double> v = new ArrayList<>(micros.get(a + " " + i));
                Collections.sort(v);
                row.append(
                        " %.0f [%.0f–%.0f] |"
                                .formatted(v.get(v.size() / 2), v.get(0), v.get(v.size() - 1)));
            }
            System.out.println(row);
        }
    }
}
