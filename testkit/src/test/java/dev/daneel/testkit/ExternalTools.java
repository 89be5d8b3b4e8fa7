package dev.daneel.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs real tools (BIND, ldns, OpenSSH …) for interop tests. A missing tool skips the test with the
 * reason, except under CI ({@code CI=true}), where it fails: CI installs every tool with {@code
 * scripts/interop-deps}, so absence there is a defect.
 */
public final class ExternalTools {

    private ExternalTools() {}

    /** The tool's path; skips (or fails in CI) when it is not installed. */
    public static String require(String tool) {
        return RealTools.require(tool, "see scripts/interop-deps");
    }

    /**
     * The tool's path if it is installed; sbin folders count too (ipsec, nsd-checkzone live there).
     */
    public static Optional<String> find(String tool) {
        return RealTools.find(tool);
    }

    /** Output and exit status of a finished command. */
    public record Result(int exitCode, String output) {}

    /** Runs a command (stdout and stderr merged) with a 60 s limit. */
    public static Result run(Path workDir, String... command)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, require(cmd.get(0)));
        Process p =
                new ProcessBuilder(cmd)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
