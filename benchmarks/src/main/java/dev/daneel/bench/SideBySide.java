package dev.daneel.bench;

import dev.daneel.testkit.Fault;
import dev.daneel.testkit.World;
import dev.daneel.testkit.WorldServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Daneel, dnsjava 3.7.1's {@code org.xbill.DNS.dnssec.ValidatingResolver} and libunbound (twice:
 * through Python and through its C API, compiled at run time; see {@link Libunbound}), side by side
 * on one testkit world served on loopback (same server, same root anchor, same names): cold (empty
 * caches, every name once) and warm (every name again, then repeated for a few seconds), with 1 and
 * 8 lookups in flight; the upstream queries each sends per cold lookup (the server's query log);
 * the critical path of a cold lookup three zones deep in round trips (every answer delayed by a
 * fixed time, latency divided by it); the heap the Java validators' caches hold. The Java peers run
 * in alternating order, in rounds, after a discarded warm-up round. Every verdict of every pass
 * must be the same for all three; a disagreement is printed and makes the exit status 1. Writes the
 * dated table as markdown.
 *
 * <pre>
 * mvn -q install -DskipTests &amp;&amp; java -cp benchmarks/target/benchmarks.jar dev.daneel.bench.SideBySide
 *     [--tlds 10] [--per-tld 10] [--rounds 2] [--warm-seconds 2] [--delay-ms 40]
 *     [--deep-names 5] [--out benchmarks/target/side-by-side.md] [--memory-answers 100000]
 *     [--libunbound required|optional]
 * </pre>
 *
 * <p>Sends packets only to the world's servers on 127.0.0.1.
 */
public final class SideBySide {

    /** The run's settings. */
    public record Options(
            int tlds,
            int perTld,
            int rounds,
            double warmSeconds,
            int delayMillis,
            int deepNames,
            Path out,
            int memoryAnswers,
            boolean requireLibunbound) {
        /**
         * The full benchmark: 111 zones, 1,020 names, 2 rounds, the 100,000-answer memory check.
         */
        public static Options defaults() {
            return new Options(
                    10,
                    10,
                    2,
                    2.0,
                    40,
                    5,
                    Path.of("benchmarks/target/side-by-side.md"),
                    100_000,
                    true);
        }

        static Options parse(String[] args) {
            Options d = defaults();
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                given.put(args[i], args[i + 1]);
            }
            Options o =
                    new Options(
                            Integer.parseInt(given.getOrDefault("--tlds", "" + d.tlds)),
                            Integer.parseInt(given.getOrDefault("--per-tld", "" + d.perTld)),
                            Integer.parseInt(given.getOrDefault("--rounds", "" + d.rounds)),
                            Double.parseDouble(
                                    given.getOrDefault("--warm-seconds", "" + d.warmSeconds)),
                            Integer.parseInt(given.getOrDefault("--delay-ms", "" + d.delayMillis)),
                            Integer.parseInt(given.getOrDefault("--deep-names", "" + d.deepNames)),
                            Path.of(given.getOrDefault("--out", d.out.toString())),
                            Integer.parseInt(
                                    given.getOrDefault("--memory-answers", "" + d.memoryAnswers)),
                            !"optional".equals(given.getOrDefault("--libunbound", "required")));
            given.keySet()
                    .removeAll(
                            List.of(
                                    "--tlds",
                                    "--per-tld",
                                    "--rounds",
                                    "--warm-seconds",
                                    "--delay-ms",
                                    "--deep-names",
                                    "--out",
                                    "--memory-answers",
                                    "--libunbound"));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException(
                        "unknown option(s) "
                                + given.keySet()
                                + "; see the Javadoc of "
                                + SideBySide.class.getName());
            }
            if (o.rounds < 1 || o.warmSeconds <= 0 || o.delayMillis < 5 || o.deepNames < 1) {
                throw new IllegalArgumentException(
                        "--rounds must be ≥ 1, --warm-seconds > 0, --delay-ms ≥ 5, --deep-names ≥ 1");
            }
            return o;
        }
    }

    static final String DANEEL = "Daneel";
    static final String DNSJAVA = "dnsjava";
    static final String LIBUNBOUND = Libunbound.Driver.PYTHON.peer();
    static final String LIBUNBOUND_C = Libunbound.Driver.C.peer();
    static final int[] THREADS = {1, 8};

    private final Options options;
    private final BenchWorld bench;
    private final List<BenchWorld.Question> questions;
    private final Report report;
    private World world;
    private List<DSRecord> anchor;

    private SideBySide(Options options) {
        this.options = options;
        this.bench = BenchWorld.of(options.tlds(), options.perTld(), true);
        this.questions = bench.questions();
        this.report = new Report(options, bench.zoneCount(), questions);
    }

    /**
     * Runs the benchmark, writes the markdown table and exits 1 when the peers disagreed on any
     * verdict.
     */
    public static void main(String[] args) {
        Report r = run(Options.parse(args));
        System.out.println(r.markdown());
        System.out.println("written to " + r.written());
        if (!r.disagreements().isEmpty()) {
            System.err.println(
                    "THE VALIDATORS DISAGREED on "
                            + r.disagreements().size()
                            + " verdicts (see above)");
            System.exit(1);
        }
    }

    /**
     * Runs the benchmark and writes the table to {@code options.out()}; the report says what was
     * measured.
     */
    public static Report run(Options options) {
        return new SideBySide(options).execute();
    }

    private Report execute() {
        Map<Libunbound.Driver, Optional<String>> unavailable = new LinkedHashMap<>();
        for (Libunbound.Driver driver : Libunbound.Driver.values()) {
            Optional<String> why = Libunbound.unavailable(driver);
            if (why.isPresent() && options.requireLibunbound()) {
                throw new IllegalStateException(
                        driver.peer()
                                + " is needed for the side-by-side run: "
                                + why.get()
                                + " (pass --libunbound optional to run without it)");
            }
            unavailable.put(driver, why);
        }
        long t0 = System.nanoTime();
        world = bench.builder().build().signAll().start();
        try {
            report.note(
                    "world signed and started in %.1f s".formatted((System.nanoTime() - t0) / 1e9));
            anchor = world.trustAnchors();
            WorldServer slow = world.newServer();
            slow.inject(Fault.delay(Duration.ofMillis(options.delayMillis())));
            List<Name> deep = bench.deepNames(options.deepNames());
            Map<String, BiFunction<InetSocketAddress, List<DSRecord>, JavaPeer>> peers =
                    new LinkedHashMap<>();
            peers.put(DANEEL, JavaPeer::daneel);
            peers.put(DNSJAVA, JavaPeer::dnsjava);

            for (Map.Entry<String, BiFunction<InetSocketAddress, List<DSRecord>, JavaPeer>> p :
                    peers.entrySet()) {
                try (JavaPeer peer =
                        p.getValue().apply(world.address(), anchor)) { // JIT warm-up, not reported
                    Runs.pass(peer, questions, 1, null);
                    Runs.pass(peer, questions, 8, null);
                }
            }
            for (int round = 0; round < options.rounds(); round++) {
                List<String> order = new ArrayList<>(peers.keySet());
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (int threads : THREADS) {
                    for (String name : order) {
                        measure(name, peers.get(name), threads, round);
                    }
                }
                if (round == 0) {
                    for (Map.Entry<Libunbound.Driver, Optional<String>> u :
                            unavailable.entrySet()) {
                        if (u.getValue().isEmpty()) {
                            libunbound(u.getKey(), slow, deep);
                        }
                    }
                }
            }
            unavailable.forEach(
                    (driver, why) ->
                            why.ifPresent(w -> report.note(driver.peer() + " not run: " + w)));
            for (Map.Entry<String, BiFunction<InetSocketAddress, List<DSRecord>, JavaPeer>> p :
                    peers.entrySet()) {
                for (Name n : deep) {
                    try (JavaPeer peer = p.getValue().apply(slow.address(), anchor)) {
                        slow.log().clear();
                        long s = System.nanoTime();
                        peer.resolve(n, Type.A);
                        report.deep(p.getKey(), (System.nanoTime() - s) / 1e9, slow.log().size());
                    }
                }
            }
        } finally {
            world.close();
        }
        if (options.memoryAnswers() > 0) {
            report.memory(MemoryCheck.run(options.memoryAnswers()));
        }
        write();
        return report;
    }

    private void measure(
            String name,
            BiFunction<InetSocketAddress, List<DSRecord>, JavaPeer> factory,
            int threads,
            int round) {
        long before = Runs.usedHeap();
        JavaPeer peer = factory.apply(world.address(), anchor);
        try {
            String[] cold = new String[questions.size()];
            world.server().log().clear();
            long cpu = Runs.processCpuNanos();
            Runs.Pass coldPass = Runs.pass(peer, questions, threads, cold);
            cpu = Runs.processCpuNanos() - cpu;
            int queries = world.server().log().size();
            world.server().log().clear();
            String[] warm = new String[questions.size()];
            Runs.Pass warmPass =
                    Runs.pass(peer, questions, threads, warm)
                            .plus(Runs.repeat(peer, questions, threads, options.warmSeconds()));
            long heap = Runs.usedHeap() - before;
            world.server().log().clear();
            report.verdicts(name, "cold", threads, round, Arrays.asList(cold));
            report.verdicts(name, "warm", threads, round, Arrays.asList(warm));
            report.add(name, "cold", threads, coldPass, queries);
            report.cpu(name, threads, cpu / 1e9);
            report.add(name, "warm", threads, warmPass, 0);
            report.heap(name, threads, heap);
        } finally {
            peer.close();
        }
        System.err.printf("round %d, %s, %d thread(s): done%n", round + 1, name, threads);
    }

    private void libunbound(Libunbound.Driver driver, WorldServer slow, List<Name> deep) {
        String peer = driver.peer();
        Path dir;
        try {
            dir = Files.createTempDirectory("daneel-bench-libunbound");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary directory", e);
        }
        WorldServer server = world.server();
        try (Libunbound lu =
                Libunbound.start(
                        driver,
                        dir,
                        world.address(),
                        anchor,
                        questions,
                        options.warmSeconds(),
                        slow.address(),
                        deep)) {
            for (int threads : THREADS) {
                server.log().clear();
                long jvm = Runs.processCpuNanos();
                Libunbound.Phase cold = lu.next("cold" + threads);
                jvm = Runs.processCpuNanos() - jvm;
                int queries = server.log().size();
                server.log().clear();
                Libunbound.Phase warm = lu.next("warm" + threads);
                report.libunboundVersion(cold.values().get("version"));
                report.verdicts(peer, "cold", threads, 0, cold.verdicts());
                report.verdicts(peer, "warm", threads, 0, warm.verdicts());
                report.add(peer, "cold", threads, stats(cold), queries);
                report.add(peer, "warm", threads, stats(warm), 0);
                if (cold.values().containsKey("cpu_s")) {
                    report.cpu(peer, threads, cold.number("cpu_s"));
                }
                // While libunbound runs, this JVM does little but serve it: its CPU per query is
                // the server's cost.
                report.serverCpuPerQuery(jvm / 1e9 / Math.max(1, queries));
                report.rss(peer, threads, (long) warm.number("rss_growth_kib") * 1024);
            }
            slow.log().clear();
            Libunbound.Phase d = lu.next("deep");
            int perName =
                    (int) Math.round((double) slow.log().size() / Math.max(1, d.samples().size()));
            for (double s : d.samples()) {
                report.deep(peer, s, perName);
            }
        }
        System.err.println(peer + ": done");
    }

    private static Runs.Stats stats(Libunbound.Phase p) {
        return new Runs.Stats(
                (long) p.number("lookups"),
                p.number("wall_s"),
                p.number("median_us"),
                p.number("p99_us"));
    }

    private void write() {
        try {
            Path out = options.out().toAbsolutePath();
            Files.createDirectories(out.getParent());
            Files.writeString(out, report.markdown());
            report.written(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + options.out(), e);
        }
    }
}
