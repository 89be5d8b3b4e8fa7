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
 * Unbound's validator replay scenarios, one dynamic test per file in the directory named by the
 * system property {@code daneel.unbound.val} (default {@code ../shared/testdata/unbound/val} from
 * the project root). A scenario listed in {@code unbound-skips.txt} (an option Daneel deliberately
 * lacks) is reported as skipped with its reason; one listed in {@code unbound-known-failures.txt}
 * (a validator difference on record) is skipped while it fails that way and fails once it passes,
 * so that the list shrinks. When the directory is absent the suite is skipped, except on CI ({@code
 * CI=true}), where it fails.
 *
 * <pre>
 * mvn -pl validator test -Dtest=UnboundScenarioTest -Ddaneel.unbound.val=/path/to/unbound/testdata/val
 * </pre>
 */
class UnboundScenarioTest {

    @TestFactory
    Stream<DynamicTest> unboundValidatorScenarios() throws Exception {
        Path dir = ScenarioRunner.directory();
        if (!Files.isDirectory(dir)) {
            String why =
                    "Unbound's validator scenarios are not at "
                            + dir
                            + " (set -D"
                            + ScenarioRunner.DIRECTORY_PROPERTY
                            + "=DIR or put them at "
                            + ScenarioRunner.DEFAULT_DIRECTORY
                            + ")";
            if ("true".equals(System.getenv("CI"))) {
                return Stream.of(
                        DynamicTest.dynamicTest(
                                "scenario directory", () -> fail(why + "; CI=true requires them")));
            }
            return Stream.of(
                    DynamicTest.dynamicTest("scenario directory", () -> Assumptions.abort(why)));
        }
        Map<String, String> skips = ScenarioRunner.skips();
        Map<String, String> known = ScenarioRunner.knownFailures();
        List<Path> files = ScenarioRunner.scenarios(dir);
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
                                            ScenarioRunner.Outcome o =
                                                    ScenarioRunner.run(f, skips, known);
                                            switch (o.verdict()) {
                                                case SKIP ->
                                                        Assumptions.abort("skipped: " + o.detail());
                                                case KNOWN ->
                                                        Assumptions.abort(
                                                                "known validator difference: "
                                                                        + o.detail());
                                                case FAIL -> fail(o.detail());
                                                case CANNOT_RUN ->
                                                        fail(
                                                                "the harness cannot run this scenario (a harness bug): "
                                                                        + o.detail());
                                                case PASS -> {}
                                            }
                                        }));
    }
}
