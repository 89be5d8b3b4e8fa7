package dev.daneel.validator.unbound;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs every Unbound validator scenario in a directory and prints one line each ({@code PASS name},
 * {@code FAIL name: expected …, got …}, {@code CANNOT_RUN name: why}, {@code KNOWN name:
 * difference}, {@code SKIP name: reason}), then the count of each. Exits 1 when a scenario failed
 * or could not run, 2 when the directory is missing.
 *
 * <pre>
 * mvn -q -pl validator exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.daneel.validator.unbound.UnboundScenarioMain -Dexec.args=DIR
 * </pre>
 *
 * <p>Without an argument the directory is the one {@link UnboundScenarioTest} uses. With {@code -v}
 * first, each pass also shows the verdicts it was judged on and the questions no simulated server
 * answered.
 */
public final class UnboundScenarioMain {

    private UnboundScenarioMain() {}

    public static void main(String[] args) throws Exception {
        boolean verbose = args.length > 0 && args[0].equals("-v");
        String[] rest = verbose ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        Path dir = rest.length > 0 ? Path.of(rest[0]) : ScenarioRunner.directory();
        if (!Files.isDirectory(dir)) {
            System.err.println("no scenario directory at " + dir.toAbsolutePath());
            System.exit(2);
        }
        Map<String, String> skips = ScenarioRunner.skips();
        Map<String, String> known = ScenarioRunner.knownFailures();
        List<Path> files = ScenarioRunner.scenarios(dir);
        Map<ScenarioRunner.Verdict, Integer> counts =
                new java.util.EnumMap<>(ScenarioRunner.Verdict.class);
        for (Path f : files) {
            ScenarioRunner.Outcome o = ScenarioRunner.run(f, skips, known);
            System.out.println(o.line());
            if (verbose && o.verdict() == ScenarioRunner.Verdict.PASS && !o.detail().isEmpty()) {
                System.out.println("    " + o.detail());
            }
            counts.merge(o.verdict(), 1, Integer::sum);
        }
        int failed =
                counts.getOrDefault(ScenarioRunner.Verdict.FAIL, 0)
                        + counts.getOrDefault(ScenarioRunner.Verdict.CANNOT_RUN, 0);
        System.out.println(
                counts.getOrDefault(ScenarioRunner.Verdict.PASS, 0)
                        + " passed, "
                        + counts.getOrDefault(ScenarioRunner.Verdict.FAIL, 0)
                        + " failed, "
                        + counts.getOrDefault(ScenarioRunner.Verdict.CANNOT_RUN, 0)
                        + " cannot run, "
                        + counts.getOrDefault(ScenarioRunner.Verdict.KNOWN, 0)
                        + " known validator differences, "
                        + counts.getOrDefault(ScenarioRunner.Verdict.SKIP, 0)
                        + " skipped");
        if (failed > 0) {
            System.exit(1);
        }
    }
}
