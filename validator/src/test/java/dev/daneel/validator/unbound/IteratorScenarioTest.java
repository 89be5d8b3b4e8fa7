package dev.daneel.validator.unbound;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Unbound's iterator replay scenarios through Daneel's iterative resolver, one dynamic test per
 * file in the directory named by the system property {@code daneel.unbound.iter} (default {@code
 * ../shared/testdata/unbound/iter} from the project root). A scenario listed in {@code
 * iterator-skips.txt} (an option Daneel has not) is reported as skipped with its reason; one in
 * {@code iterator-known-failures.txt} (a difference on record) is skipped while it fails and fails
 * once it passes, so that the list only shrinks. When the directory is absent the suite is skipped,
 * except on CI ({@code CI=true}), where it fails.
 */
class IteratorScenarioTest {

    @TestFactory
    Stream<DynamicTest> unboundIteratorScenarios() throws Exception {
        Path dir = IteratorScenarioRunner.directory();
        if (!Files.isDirectory(dir)) {
            String why =
                    "Unbound's iterator scenarios are not at "
                            + dir
                            + " (set -D"
                            + IteratorScenarioRunner.DIRECTORY_PROPERTY
                            + "=DIR or put them at "
                            + IteratorScenarioRunner.DEFAULT_DIRECTORY
                            + ")";
            if ("true".equals(System.getenv("CI"))) {
                return Stream.of(
                        DynamicTest.dynamicTest(
                                "scenario directory", () -> fail(why + "; CI=true requires them")));
            }
            return Stream.of(
                    DynamicTest.dynamicTest("scenario directory", () -> Assumptions.abort(why)));
        }
        Map<String, String> skips = IteratorScenarioRunner.skips();
        Map<String, String> known = IteratorScenarioRunner.knownFailures();
        List<Path> files = IteratorScenarioRunner.scenarios(dir);
        if (files.isEmpty()) {
            return Stream.of(
                    DynamicTest.dynamicTest(
                            "scenario directory", () -> fail("no .rpl files in " + dir)));
        }
        return files.stream()
                .map(
                        f ->
                                DynamicTest.dynamicTest(
                                        f.getFileName().toString(),
                                        f.toUri(),
                                        () -> {
                                            IteratorScenarioRunner.Outcome o =
                                                    IteratorScenarioRunner.run(f, skips, known);
                                            switch (o.verdict()) {
                                                case SKIP ->
                                                        Assumptions.abort("skipped: " + o.detail());
                                                case KNOWN ->
                                                        Assumptions.abort(
                                                                "known difference from Unbound: "
                                                                        + o.detail());
                                                case FIXED -> fail(o.line());
                                                case FAIL -> fail(o.detail());
                                                case PASS -> {}
                                            }
                                        }));
    }
}
