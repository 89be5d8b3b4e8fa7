package dev.daneel.validator.unbound;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs every Unbound iterator scenario in a directory through Daneel's iterative resolver and
 * prints one line each ({@code PASS name}, {@code FAIL name: expected …, got …}, {@code SKIP name:
 * reason}), then {@code K skipped (…), J of the failures known; N passed, M failed}: skipped
 * scenarios need an option Daneel has not ({@code iterator-skips.txt}); known failures are
 * differences on record ({@code iterator-known-failures.txt}) and count as failed. Exits 1 when a
 * scenario failed that is not on record, or one on record passes (the list must shrink); 2 when the
 * directory is missing.
 *
 * <pre>
 * mvn -q -pl validator exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.daneel.validator.unbound.IteratorScenarioMain -Dexec.args=DIR
 * </pre>
 *
 * <p>Without an argument the directory is the one {@link IteratorScenarioTest} uses ({@code
 * ../shared/testdata/unbound/iter}). With {@code -v} first, each pass also shows its checks.
 */
public final class IteratorScenarioMain {

    private IteratorScenarioMain() {}

    public static void main(String[] args) throws Exception {
        boolean verbose = args.length > 0 && args[0].equals("-v");
        String[] rest = verbose ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        Path dir = rest.length > 0 ? Path.of(rest[0]) : IteratorScenarioRunner.directory();
        if (!Files.isDirectory(dir)) {
            System.err.println("no scenario directory at " + dir.toAbsolutePath());
            System.exit(2);
        }
        Map<String, String> skips = IteratorScenarioRunner.skips();
        Map<String, String> known = IteratorScenarioRunner.knownFailures();
        List<Path> files = IteratorScenarioRunner.scenarios(dir);
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        int knownFailed = 0;
        boolean unexpected = false;
        for (Path f : files) {
            IteratorScenarioRunner.Outcome o = IteratorScenarioRunner.run(f, skips, known);
            System.out.println(o.line());
            if (verbose
                    && o.verdict() == IteratorScenarioRunner.Verdict.PASS
                    && !o.detail().isEmpty()) {
                System.out.println("    " + o.detail());
            }
            switch (o.verdict()) {
                case PASS -> passed++;
                case FAIL -> {
                    failed++;
                    unexpected = true;
                }
                case KNOWN -> {
                    failed++;
                    knownFailed++;
                }
                case FIXED -> {
                    passed++;
                    unexpected = true; // the known-failures list must be updated
                }
                case SKIP -> skipped++;
            }
        }
        System.out.println(
                skipped
                        + " skipped (options Daneel has not), "
                        + knownFailed
                        + " of the failures known; "
                        + passed
                        + " passed, "
                        + failed
                        + " failed");
        if (unexpected) {
            System.exit(1);
        }
    }
}
