package dev.daneel.bench;

import dev.daneel.testkit.World;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Wall time of one {@code bin/daneel query} (a new JVM, a cold validation of a name three zones
 * deep) against a local world that is already signed and serving: without a class-data archive
 * ({@code DANEEL_CDS=off}), with the AppCDS archive {@code bin/daneel} records on a command's first
 * run (kept in a temporary {@code XDG_CACHE_HOME}), and both again with only the C1 compiler. Every
 * run must print {@code ; secure} and exit 0.
 *
 * <pre>
 * mvn -q install -DskipTests &amp;&amp; java -cp benchmarks/target/benchmarks.jar dev.daneel.bench.CliStartup [bin/daneel] [runs]
 * </pre>
 */
public final class CliStartup {

    private CliStartup() {}

    /** Median wall time per configuration, in milliseconds. */
    public record Result(Map<String, Double> medianMillis, int runs) {}

    /** Prints the figures. */
    public static void main(String[] args) throws IOException {
        Path daneel = Path.of(args.length > 0 ? args[0] : "bin/daneel");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Result r = run(daneel, runs);
        r.medianMillis()
                .forEach(
                        (k, v) ->
                                System.out.printf(
                                        "%-40s %6.0f ms (median of %d)%n", k, v, r.runs()));
    }

    /**
     * Measures {@code daneel} (the {@code bin/daneel} script) {@code runs} times per configuration.
     */
    public static Result run(Path daneel, int runs) throws IOException {
        if (!Files.isExecutable(daneel)) {
            throw new IllegalArgumentException(
                    daneel
                            + " is not executable; run from the repository root after"
                            + " mvn -q install -DskipTests");
        }
        Path dir = Files.createTempDirectory("daneel-cli-startup");
        try (World world =
                World.builder()
                        .zone("tld.")
                        .zone("zone.tld.", z -> z.record("www A 192.0.2.1"))
                        .build()
                        .signAll()
                        .start()) {
            Path anchor = world.writeTrustAnchors(dir.resolve("anchor.ds"));
            List<String> query =
                    List.of(
                            daneel.toString(),
                            "--server",
                            "127.0.0.1:" + world.server().port(),
                            "--anchor",
                            anchor.toString(),
                            "query",
                            "www.zone.tld.",
                            "A");
            Map<String, Map<String, String>> configs = new LinkedHashMap<>();
            configs.put("no archive (DANEEL_CDS=off)", Map.of("DANEEL_CDS", "off"));
            configs.put("AppCDS archive (bin/daneel's default)", Map.of());
            configs.put(
                    "no archive, C1 only",
                    Map.of("DANEEL_CDS", "off", "DANEEL_JAVA_OPTS", "-XX:TieredStopAtLevel=1"));
            configs.put(
                    "AppCDS archive, C1 only",
                    Map.of("DANEEL_JAVA_OPTS", "-XX:TieredStopAtLevel=1"));
            Map<String, String> cache = Map.of("XDG_CACHE_HOME", dir.toString());
            once(query, cache, Map.of()); // the training run: bin/daneel records the archive
            once(query, cache, Map.of("DANEEL_JAVA_OPTS", "-XX:TieredStopAtLevel=1"));
            Map<String, Double> medians = new LinkedHashMap<>();
            Map<String, List<Double>> samples = new LinkedHashMap<>();
            for (int i = 0; i < runs; i++) {
                for (Map.Entry<String, Map<String, String>> c :
                        configs.entrySet()) { // interleaved: drift hits all alike
                    samples.computeIfAbsent(c.getKey(), k -> new ArrayList<>())
                            .add(once(query, cache, c.getValue()));
                }
            }
            samples.forEach(
                    (k, v) -> {
                        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                        medians.put(k, s[s.length / 2]);
                    });
            return new Result(medians, runs);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** One run; its wall time in milliseconds. */
    private static double once(
            List<String> command, Map<String, String> cache, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("DANEEL_CDS");
        pb.environment().remove("DANEEL_JAVA_OPTS");
        pb.environment().putAll(cache);
        pb.environment().putAll(env);
        try {
            long t0 = System.nanoTime();
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("daneel query did not finish in 60 s");
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (p.exitValue() != 0 || !out.contains("; secure")) {
                throw new IllegalStateException(
                        "daneel query with "
                                + env
                                + " exited "
                                + p.exitValue()
                                + ":\n"
                                + out
                                + "\n(command: "
                                + String.join(" ", command)
                                + ")");
            }
            return ms;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
