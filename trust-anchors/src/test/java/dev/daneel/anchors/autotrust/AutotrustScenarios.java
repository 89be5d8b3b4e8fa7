package dev.daneel.anchors.autotrust;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs Unbound's RFC 5011 scenarios ({@code autotrust/*.rpl}) through Daneel's tracker and prints
 * one line per scenario, ending with {@code N passed, M failed, K cannot run} (a scenario the
 * harness cannot read is a harness bug).
 *
 * <pre>
 * mvn -q -pl trust-anchors test-compile exec:java                      # the default folder
 * mvn -q -pl trust-anchors test-compile exec:java -Dexec.args=/some/dir  # any folder of .rpl files
 * </pre>
 *
 * <p>DIR defaults to {@code ../shared/testdata/unbound/autotrust} beside the project root.
 * Scenarios named in {@code known-failures.txt} (next to this class, with their reason) are
 * reported as {@code KNOWN} and not counted as failures while they still fail. Exit status 0 when
 * nothing failed, 1 otherwise, 2 when DIR is missing.
 */
public final class AutotrustScenarios {

    /** Where the scenarios sit, relative to the project root (never copied into the project). */
    static final String DATA = "../shared/testdata/unbound/autotrust";

    private AutotrustScenarios() {}

    /** Held so that the level set in {@link #main} sticks (JUL keeps loggers weakly). */
    private static final java.util.logging.Logger QUIET =
            java.util.logging.Logger.getLogger("dev.daneel.anchors");

    public static void main(String[] args) throws IOException {
        if (!"true".equals(System.getenv("DANEEL_VERBOSE"))) {
            QUIET.setLevel(
                    java.util.logging.Level
                            .SEVERE); // one line per scenario; DANEEL_VERBOSE=true shows every
            // transition
        }
        Path dir = args.length > 0 ? Path.of(args[0]) : defaultDirectory().orElse(Path.of(DATA));
        if (!Files.isDirectory(dir)) {
            System.out.println("no scenario directory at " + dir.toAbsolutePath().normalize());
            System.exit(2);
        }
        Map<String, String> known = knownFailures();
        int passed = 0;
        int failed = 0;
        int knownCount = 0;
        int cannotRun = 0;
        for (Path file : scenarios(dir)) {
            String name = file.getFileName().toString();
            ScenarioRunner.Report report;
            try {
                report = ScenarioRunner.run(RplScenario.read(file));
            } catch (IOException | RuntimeException e) {
                cannotRun++;
                System.out.println("CANNOT_RUN " + name + ": " + e);
                continue;
            }
            if (report.passed()) {
                passed++;
                System.out.println(
                        "PASS  "
                                + name
                                + " ("
                                + report.checks()
                                + " checks)"
                                + (known.containsKey(name)
                                        ? " — listed in known-failures.txt but passes: remove it"
                                        : ""));
            } else if (known.containsKey(name)) {
                knownCount++;
                System.out.println(
                        "KNOWN "
                                + name
                                + ": "
                                + known.get(name)
                                + " ["
                                + report.failures().get(0)
                                + "]");
            } else {
                failed++;
                System.out.println("FAIL  " + name + ": " + String.join(" | ", report.failures()));
            }
        }
        if (knownCount > 0) {
            System.out.println(knownCount + " known failure(s) listed in known-failures.txt");
        }
        System.out.println(passed + " passed, " + failed + " failed, " + cannotRun + " cannot run");
        System.exit(failed == 0 && cannotRun == 0 ? 0 : 1);
    }

    /** The scenario files of a directory, sorted. */
    static List<Path> scenarios(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.rpl")) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /**
     * {@link #DATA} resolved against the project root: the topmost folder above the working
     * directory that has a {@code pom.xml}.
     */
    static Optional<Path> defaultDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        Path root = null;
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml"))) {
                root = p;
            }
        }
        return root == null ? Optional.empty() : Optional.of(root.resolve(DATA).normalize());
    }

    /**
     * Scenario name → reason, from {@code known-failures.txt} ({@code name reason}; {@code #}
     * comments).
     */
    static Map<String, String> knownFailures() {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = AutotrustScenarios.class.getResourceAsStream("known-failures.txt")) {
            if (in == null) {
                return out;
            }
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] parts = t.split("\\s+", 2);
                if (parts.length < 2) {
                    throw new IllegalStateException(
                            "known-failures.txt: '"
                                    + t
                                    + "' has no reason; every listed scenario needs one");
                }
                out.put(parts[0], parts[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
