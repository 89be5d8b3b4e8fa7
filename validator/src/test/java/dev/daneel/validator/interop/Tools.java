package dev.daneel.validator.interop;

import static org.junit.jupiter.api.Assertions.fail;

import dev.daneel.testkit.RealTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds and runs the real programs of the interop suite (NSD, Unbound, BIND, Debian's Python with
 * libunbound). A missing program skips the calling test with the reason and the package to install,
 * except under CI ({@code CI=true}), where {@code scripts/interop-deps} installs every one of them,
 * so absence there is a failure.
 */
final class Tools {

    /**
     * Debian's own interpreter: {@code python3-unbound} installs the module for it only, and the
     * {@code python3} first on PATH may be another one (pyenv, a virtualenv) without it.
     */
    static final String DEBIAN_PYTHON = "/usr/bin/python3";

    private Tools() {}

    /** The program's path; skips (or fails under CI) when it is not installed. */
    static String require(String program, String debianPackage) {
        Optional<String> found = find(program);
        if (found.isEmpty()) {
            missing(
                    "\""
                            + program
                            + "\" is not installed (searched PATH, /usr/local/sbin, /usr/sbin, /sbin)",
                    debianPackage);
        }
        return found.orElseThrow();
    }

    /** Debian's Python 3 with the {@code unbound} module; skips (or fails under CI) otherwise. */
    static String requireLibunboundPython() {
        Path python = Path.of(DEBIAN_PYTHON);
        if (!Files.isExecutable(python)) {
            missing(DEBIAN_PYTHON + " is not installed", "python3-unbound");
        }
        Result r =
                run(
                        Duration.ofSeconds(20),
                        Path.of("."),
                        List.of(DEBIAN_PYTHON, "-c", "import unbound"));
        if (r.exitCode() != 0) {
            missing(
                    DEBIAN_PYTHON + " cannot import the libunbound module: " + r.output().strip(),
                    "python3-unbound");
        }
        return DEBIAN_PYTHON;
    }

    private static void missing(String what, String debianPackage) {
        unavailable(
                what + "; scripts/interop-deps installs it (Debian package " + debianPackage + ")");
    }

    /** Skips the calling test for a reason the machine is responsible for; fails it under CI. */
    static void unavailable(String reason) {
        RealTools.unavailable(reason);
    }

    /**
     * The program's path if it is installed; sbin folders count too (nsd, unbound and named live
     * there).
     */
    static Optional<String> find(String program) {
        return RealTools.find(program);
    }

    /** Output (stdout and stderr merged) and exit status of a finished command. */
    record Result(int exitCode, String output) {}

    /**
     * Runs a command to completion, its input empty; fails the test when it outlasts {@code limit}.
     */
    static Result run(Duration limit, Path workDir, List<String> command) {
        return run(limit, workDir, command, "");
    }

    /** Runs a command to completion with {@code input} on its standard input. */
    static Result run(Duration limit, Path workDir, List<String> command, String input) {
        Path out = null;
        try {
            out = Files.createTempFile("daneel-interop-", ".out");
            ProcessBuilder pb =
                    new ProcessBuilder(command)
                            .directory(workDir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(out.toFile());
            Process p = pb.start();
            try (var stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                fail(
                        "timed out after "
                                + limit.toSeconds()
                                + " s: "
                                + String.join(" ", command)
                                + "\n"
                                + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while running " + String.join(" ", command), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** Runs a command that must succeed; fails the test with its output otherwise. */
    static String check(Duration limit, Path workDir, List<String> command) {
        Result r = run(limit, workDir, command);
        if (r.exitCode() != 0) {
            fail(String.join(" ", command) + " exited with " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }
}
