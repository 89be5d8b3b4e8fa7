package dev.daneel.anchors.autotrust;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Unbound's RFC 5011 scenarios replayed through {@link dev.daneel.anchors.AnchorTracker}, one test
 * per {@code .rpl} file. Without the data folder the tests are skipped with the reason, except
 * under {@code CI=true}, where that is a failure. A scenario in {@code known-failures.txt} is
 * skipped with its listed reason while it fails, and fails the build once it passes (so the list
 * shrinks).
 */
class AutotrustScenarioTest {

    @TestFactory
    List<DynamicTest> unboundAutotrustScenarios() throws IOException {
        Path dir = AutotrustScenarios.defaultDirectory().orElse(Path.of(AutotrustScenarios.DATA));
        if (!Files.isDirectory(dir)) {
            String reason =
                    "Unbound autotrust scenarios not found at "
                            + dir
                            + " ("
                            + AutotrustScenarios.DATA
                            + " beside the project root)";
            if ("true".equals(System.getenv("CI"))) {
                fail(reason + ". CI=true, so missing test data is a failure, not a skip");
            }
            // one visible skipped test carrying the reason (an aborted factory would report
            // nothing)
            return List.of(
                    DynamicTest.dynamicTest(
                            "Unbound autotrust scenarios",
                            () ->
                                    Assumptions.abort(
                                            reason + "; skipped (with CI=true this fails)")));
        }
        Map<String, String> known = AutotrustScenarios.knownFailures();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : AutotrustScenarios.scenarios(dir)) {
            String name = file.getFileName().toString();
            tests.add(
                    DynamicTest.dynamicTest(
                            name,
                            file.toUri(),
                            () -> {
                                RplScenario scenario;
                                try {
                                    scenario = RplScenario.read(file);
                                } catch (IOException | RuntimeException e) {
                                    throw new AssertionError(
                                            name
                                                    + ": the harness cannot read this scenario (a harness bug): "
                                                    + e,
                                            e);
                                }
                                ScenarioRunner.Report report = ScenarioRunner.run(scenario);
                                if (known.containsKey(name)) {
                                    if (report.passed()) {
                                        fail(
                                                name
                                                        + " passes but is listed in known-failures.txt ("
                                                        + known.get(name)
                                                        + "): remove it from the list");
                                    }
                                    Assumptions.abort(
                                            "known failure: "
                                                    + known.get(name)
                                                    + "; first difference: "
                                                    + report.failures().get(0));
                                }
                                if (!report.passed()) {
                                    fail(name + ":\n  " + String.join("\n  ", report.failures()));
                                }
                            }));
        }
        if (tests.isEmpty()) {
            fail("no .rpl files in " + dir);
        }
        return tests;
    }
}
