package dev.daneel.bench;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link SideBySide} measured, and its markdown: the per-pass table, the targets with Daneel's
 * ratios to each peer, the critical path, the memory check, and every verdict disagreement.
 *
 * <p>Not thread-safe; filled by the benchmark's main thread.
 */
public final class Report {

    /** A verdict on which a peer differs from Daneel's first cold pass. */
    public record Disagreement(
            String question,
            String peer,
            String pass,
            int threads,
            int round,
            String theirs,
            String daneel) {
        @Override
        public String toString() {
            return "%s: %s (%s, %d in flight, round %d) says \"%s\", Daneel says \"%s\""
                    .formatted(question, peer, pass, threads, round + 1, theirs, daneel);
        }
    }

    private record Key(String peer, String pass, int threads) {}

    private static final class Row {
        Runs.Pass pooled;
        Runs.Stats stats;
        long queries;
        int runs;
        double cpuSeconds;
        int cpuRuns;

        Runs.Stats stats() {
            return pooled != null ? Runs.Stats.of(pooled) : stats;
        }
    }

    private final SideBySide.Options options;
    private final int zones;
    private final List<BenchWorld.Question> questions;
    private final ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
    private final List<String> notes = new ArrayList<>();
    private final Map<Key, Row> rows = new LinkedHashMap<>();
    private final Map<String, Long> heap = new LinkedHashMap<>();
    private final Map<String, List<Double>> deepSeconds = new LinkedHashMap<>();
    private final Map<String, List<Integer>> deepQueries = new LinkedHashMap<>();
    private final List<Disagreement> disagreements = new ArrayList<>();
    private final List<Double> serverCpuPerQuery = new ArrayList<>();
    private List<String> reference;
    private long comparisons;
    private String libunboundVersion = "?";
    private MemoryCheck.Result memory;
    private Path written;

    Report(SideBySide.Options options, int zones, List<BenchWorld.Question> questions) {
        this.options = options;
        this.zones = zones;
        this.questions = questions;
    }

    void note(String text) {
        notes.add(text);
    }

    void libunboundVersion(String version) {
        if (version != null) {
            libunboundVersion = version;
        }
    }

    /** Compares a pass's verdicts with Daneel's first cold pass (which becomes the reference). */
    void verdicts(String peer, String pass, int threads, int round, List<String> verdicts) {
        if (reference == null) {
            if (!peer.equals(SideBySide.DANEEL)) {
                throw new IllegalStateException("Daneel's cold pass must come first; got " + peer);
            }
            reference = List.copyOf(verdicts);
        }
        for (int i = 0; i < questions.size(); i++) {
            comparisons++;
            String theirs = i < verdicts.size() ? verdicts.get(i) : "(no answer)";
            if (!reference.get(i).equals(theirs)) {
                Disagreement d =
                        new Disagreement(
                                questions.get(i).toString(),
                                peer,
                                pass,
                                threads,
                                round,
                                theirs,
                                reference.get(i));
                disagreements.add(d);
                System.err.println("DISAGREEMENT " + d);
            }
        }
    }

    void add(String peer, String pass, int threads, Runs.Pass p, long queries) {
        Row r = rows.computeIfAbsent(new Key(peer, pass, threads), k -> new Row());
        r.pooled = r.pooled == null ? p : r.pooled.plus(p);
        r.queries += queries;
        r.runs++;
    }

    void add(String peer, String pass, int threads, Runs.Stats s, long queries) {
        Row r = rows.computeIfAbsent(new Key(peer, pass, threads), k -> new Row());
        r.stats = s;
        r.queries += queries;
        r.runs++;
    }

    void heap(String peer, int threads, long bytes) {
        heap.merge(peer + "/" + threads, bytes, Math::max);
    }

    void rss(String peer, int threads, long bytes) {
        heap.merge(peer + "/" + threads, bytes, Math::max);
    }

    /**
     * CPU seconds of one cold pass: the whole JVM for the Java peers (server included), the process
     * for libunbound's.
     */
    void cpu(String peer, int threads, double seconds) {
        Row r = rows.computeIfAbsent(new Key(peer, "cold", threads), k -> new Row());
        r.cpuSeconds += seconds;
        r.cpuRuns++;
    }

    /** The testkit server's CPU per query, measured while only libunbound was asking. */
    void serverCpuPerQuery(double seconds) {
        serverCpuPerQuery.add(seconds);
    }

    /**
     * CPU seconds per cold lookup, NaN when not measured. For a Java peer, the JVM's CPU less the
     * server's share (its queries times the server's CPU per query, measured while libunbound
     * asked), an estimate.
     */
    public double cpuPerColdLookup(String peer, int threads) {
        Row r = rows.get(new Key(peer, "cold", threads));
        if (r == null || r.cpuRuns == 0) {
            return Double.NaN;
        }
        double perPass = r.cpuSeconds / r.cpuRuns;
        if (!peer.startsWith(SideBySide.LIBUNBOUND)) {
            if (serverCpuPerQuery.isEmpty()) {
                return Double.NaN;
            }
            double server =
                    serverCpuPerQuery.stream().sorted().toList().get(serverCpuPerQuery.size() / 2);
            perPass -= server * r.queries / r.runs;
        }
        return perPass / questions.size();
    }

    void deep(String peer, double seconds, int queries) {
        deepSeconds.computeIfAbsent(peer, k -> new ArrayList<>()).add(seconds);
        if (queries >= 0) {
            deepQueries.computeIfAbsent(peer, k -> new ArrayList<>()).add(queries);
        }
    }

    void memory(MemoryCheck.Result result) {
        this.memory = result;
    }

    void written(Path path) {
        this.written = path;
    }

    /** Where the markdown was written. */
    public Path written() {
        return written;
    }

    /** Every verdict on which a peer differed from Daneel. */
    public List<Disagreement> disagreements() {
        return List.copyOf(disagreements);
    }

    /** How many verdicts were compared. */
    public long comparisons() {
        return comparisons;
    }

    /** Daneel's verdicts by kind ("SECURE NOERROR" → count), from its first cold pass. */
    public Map<String, Integer> verdictKinds() {
        Map<String, Integer> kinds = new TreeMap<>();
        if (reference != null) {
            for (String v : reference) {
                String[] w = v.split(" ");
                kinds.merge(w.length >= 2 ? w[0] + " " + w[1] : w[0], 1, Integer::sum);
            }
        }
        return kinds;
    }

    /** Upstream queries per cold lookup, pooled over rounds; NaN when the peer did not run. */
    public double queriesPerColdLookup(String peer, int threads) {
        Row r = rows.get(new Key(peer, "cold", threads));
        return r == null || r.runs == 0
                ? Double.NaN
                : (double) r.queries / r.runs / questions.size();
    }

    /** The pooled figures of one pass, or null when the peer did not run. */
    public Runs.Stats stats(String peer, String pass, int threads) {
        Row r = rows.get(new Key(peer, pass, threads));
        return r == null || r.runs == 0 ? null : r.stats();
    }

    /**
     * The median latency of a cold deep lookup through the delaying server, in milliseconds, or
     * NaN.
     */
    public double deepMillis(String peer) {
        List<Double> s = deepSeconds.get(peer);
        if (s == null || s.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = s.stream().sorted().toList();
        return sorted.get(sorted.size() / 2) * 1000;
    }

    /**
     * The critical path of a cold deep lookup in round trips: its median latency through a server
     * that delays every answer by the same time, divided by that delay and rounded down (what is
     * left over is the validator's own work, far less than one delay); NaN when the peer did not
     * run.
     */
    public double roundTrips(String peer) {
        return Math.floor(deepMillis(peer) / options.delayMillis());
    }

    /** The dated markdown. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("### Side by side, ")
                .append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append("\n\n");
        md.append(
                        "Daneel vs dnsjava 3.7.1 `org.xbill.DNS.dnssec.ValidatingResolver` vs libunbound ")
                .append(libunboundVersion)
                .append(
                        " (Debian's, through `python3-unbound` and through its C API, compiled at run time), one run of `dev.daneel.bench.SideBySide`: ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ")
                .append(System.getProperty("java.vm.name"))
                .append(' ')
                .append(System.getProperty("java.version"))
                .append(", ")
                .append(System.getProperty("os.name"))
                .append(' ')
                .append(System.getProperty("os.arch"))
                .append(". ");
        md.append(
                "World: %d zones (%d TLDs; algorithms 8, 13, 15; NSEC and NSEC3; one zone in ten an unsigned delegation; one zone with expired signatures), %,d questions, served by the testkit on 127.0.0.1 in the same JVM as the Java peers. "
                        .formatted(zones, options.tlds(), questions.size()));
        md.append("Daneel's verdicts: ").append(verdictKinds()).append(". ");
        md.append(
                "Java peers: %d measured rounds in alternating order after a warm-up round; warm = every name again, then repeated for %.1f s. \"8 in flight\" is 8 threads for the Java peers and 8 outstanding `ub_resolve_async` calls on a threaded context (`ub_ctx_async`) for libunbound, whose figures are timed inside its own process; its column in the targets is the faster of its two drivers. CPU per cold lookup: libunbound's own process; the Java peers' JVM less the in-process server's share (estimated from the JVM's CPU per query while only libunbound asked).\n\n"
                        .formatted(options.rounds(), options.warmSeconds()));
        if (disagreements.isEmpty()) {
            md.append(
                    "**All three agreed on every verdict** (%,d comparisons).\n\n"
                            .formatted(comparisons));
        } else {
            md.append(
                    "**THE VALIDATORS DISAGREED on %d of %,d verdicts:**\n\n"
                            .formatted(disagreements.size(), comparisons));
            disagreements.stream().limit(20).forEach(d -> md.append("- ").append(d).append('\n'));
            md.append('\n');
        }
        md.append(
                "| validator | pass | in flight | lookups per run | wall per run (s) | lookups/s | median (µs) | p99 (µs) | upstream queries per lookup | CPU per cold lookup (µs) | cache memory |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<Key, Row> e : rows.entrySet()) {
            Key k = e.getKey();
            if (e.getValue().runs == 0) {
                continue;
            }
            Runs.Stats s = e.getValue().stats();
            int runs = e.getValue().runs;
            String q =
                    k.pass().equals("cold")
                            ? "%.2f".formatted(queriesPerColdLookup(k.peer(), k.threads()))
                            : "";
            String cpu =
                    k.pass().equals("cold")
                            ? fmt("%,.0f", cpuPerColdLookup(k.peer(), k.threads()) * 1e6)
                            : "";
            Long mem = heap.get(k.peer() + "/" + k.threads());
            String memory =
                    !k.pass().equals("warm") || mem == null
                            ? ""
                            : (k.peer().startsWith(SideBySide.LIBUNBOUND)
                                            ? "%.1f MB process RSS growth"
                                            : "%.1f MB heap")
                                    .formatted(mem / 1e6);
            md.append(
                    "| %s | %s | %d | %,d | %.2f | %,.0f | %,.1f | %,.1f | %s | %s | %s |\n"
                            .formatted(
                                    k.peer(),
                                    k.pass(),
                                    k.threads(),
                                    s.lookups() / runs,
                                    s.wallSeconds() / runs,
                                    s.perSecond(),
                                    s.medianMicros(),
                                    s.p99Micros(),
                                    q,
                                    cpu,
                                    memory));
        }
        md.append('\n');
        md.append(targets());
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    private String targets() {
        StringBuilder md = new StringBuilder();
        md.append(
                "| target | Daneel | dnsjava | libunbound | Daneel ÷ dnsjava | Daneel ÷ libunbound | met |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (int t : SideBySide.THREADS) {
            double d = rate(SideBySide.DANEEL, "warm", t);
            double j = rate(SideBySide.DNSJAVA, "warm", t);
            double u =
                    best(
                            rate(SideBySide.LIBUNBOUND, "warm", t),
                            rate(SideBySide.LIBUNBOUND_C, "warm", t),
                            true);
            md.append(
                    row(
                            "warm lookups/s, %d in flight: ≥ 20× libunbound".formatted(t),
                            "%,.0f",
                            d,
                            j,
                            u,
                            d / u >= 20));
        }
        for (int t : SideBySide.THREADS) {
            double d = wall(SideBySide.DANEEL, t);
            double j = wall(SideBySide.DNSJAVA, t);
            double u =
                    best(wall(SideBySide.LIBUNBOUND, t), wall(SideBySide.LIBUNBOUND_C, t), false);
            md.append(
                    row(
                            "cold wall for all names (s), %d in flight: ≤ 0.5× libunbound"
                                    .formatted(t),
                            "%.2f",
                            d,
                            j,
                            u,
                            d / u <= 0.5));
        }
        double qd = queriesPerColdLookup(SideBySide.DANEEL, 1);
        double qj = queriesPerColdLookup(SideBySide.DNSJAVA, 1);
        double qu =
                best(
                        queriesPerColdLookup(SideBySide.LIBUNBOUND, 1),
                        queriesPerColdLookup(SideBySide.LIBUNBOUND_C, 1),
                        false);
        md.append(
                row(
                        "upstream queries per cold lookup, 1 in flight: ≤ 2× libunbound",
                        "%.2f",
                        qd,
                        qj,
                        qu,
                        qd <= 2 * qu));
        for (int t : SideBySide.THREADS) {
            double cd = cpuPerColdLookup(SideBySide.DANEEL, t) * 1e6;
            double cu = cpuPerColdLookup(SideBySide.LIBUNBOUND_C, t) * 1e6;
            md.append(
                    row(
                            "CPU per cold lookup (µs), %d in flight: ≤ 0.5× libunbound C"
                                    .formatted(t),
                            "%,.0f",
                            cd,
                            cpuPerColdLookup(SideBySide.DNSJAVA, t) * 1e6,
                            cu,
                            cd / cu <= 0.5));
        }
        double rd = roundTrips(SideBySide.DANEEL);
        md.append(
                row(
                        "critical path of a cold lookup 3 zones deep, round trips (⌊latency ÷ %d ms delay per answer⌋, median of %d names): ≤ 3"
                                .formatted(options.delayMillis(), options.deepNames())
                                .replace(": ≤ 3", ": = 1 (the floor)"),
                        "%.0f",
                        rd,
                        roundTrips(SideBySide.DNSJAVA),
                        best(
                                roundTrips(SideBySide.LIBUNBOUND),
                                roundTrips(SideBySide.LIBUNBOUND_C),
                                false),
                        rd <= 1));
        md.append("| the floor: one exchange with the upstream | 1 | 1 | 1 | | | |\n");
        md.append(
                row(
                                "the same lookups' latency (ms)",
                                "%.0f",
                                deepMillis(SideBySide.DANEEL),
                                deepMillis(SideBySide.DNSJAVA),
                                best(
                                        deepMillis(SideBySide.LIBUNBOUND),
                                        deepMillis(SideBySide.LIBUNBOUND_C),
                                        false),
                                true)
                        .replace("| yes |", "| |"));
        if (memory != null) {
            md.append(
                    "| %,d cached answers: heap ≤ 64 MB | %.1f MB (%,.0f bytes each) | | | | | %s |\n"
                            .formatted(
                                    memory.answers(),
                                    memory.heapBytes() / 1e6,
                                    (double) memory.heapBytes() / memory.answers(),
                                    memory.heapBytes() <= 64_000_000L ? "yes" : "**no**"));
            md.append(
                    "| cache bound %,d holds after %,d answers | %.1f MB; earliest answer evicted: %s, latest cached: %s | | | | | %s |\n"
                            .formatted(
                                    memory.bound(),
                                    memory.boundedFill(),
                                    memory.boundedHeapBytes() / 1e6,
                                    memory.earliestEvicted(),
                                    memory.latestCached(),
                                    memory.earliestEvicted() && memory.latestCached()
                                            ? "yes"
                                            : "**no**"));
        }
        if (!deepQueries.isEmpty()) {
            md.append("\nUpstream queries of each deep cold lookup: ");
            deepQueries.forEach((peer, q) -> md.append(peer).append(' ').append(q).append("; "));
            md.setLength(md.length() - 2);
            md.append(" (libunbound: the mean over its names).\n");
        }
        return md.toString();
    }

    private String row(
            String what,
            String format,
            double daneel,
            double dnsjava,
            double libunbound,
            boolean met) {
        return "| %s | %s | %s | %s | %s | %s | %s |\n"
                .formatted(
                        what,
                        fmt(format, daneel),
                        fmt(format, dnsjava),
                        fmt(format, libunbound),
                        fmt("%.2f×", daneel / dnsjava),
                        fmt("%.2f×", daneel / libunbound),
                        met ? "yes" : "**no**");
    }

    /**
     * The faster of libunbound's two drivers: the higher rate, or the lower time; NaN only when
     * neither ran.
     */
    private static double best(double python, double c, boolean higher) {
        if (Double.isNaN(python)) {
            return c;
        }
        if (Double.isNaN(c)) {
            return python;
        }
        return higher ? Math.max(python, c) : Math.min(python, c);
    }

    private static String fmt(String format, double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : format.formatted(v);
    }

    private double rate(String peer, String pass, int threads) {
        Runs.Stats s = stats(peer, pass, threads);
        return s == null ? Double.NaN : s.perSecond();
    }

    private double wall(String peer, int threads) {
        Row r = rows.get(new Key(peer, "cold", threads));
        return r == null || r.runs == 0 ? Double.NaN : r.stats().wallSeconds() / r.runs;
    }
}
