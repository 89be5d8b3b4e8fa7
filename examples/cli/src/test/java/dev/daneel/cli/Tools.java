package dev.daneel.cli;

import dev.daneel.testkit.RealTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real tools the command's output is compared with (skipped when missing, failed under
 * CI=true).
 */
final class Tools {
    private Tools() {}

    static String require(String program, String debianPackage) {
        return RealTools.require(program, debianPackage);
    }

    /**
     * Runs a program in {@code dir}; returns its stdout; fails with its stderr when it exits
     * non-zero.
     */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p =
                new ProcessBuilder(List.of(command))
                        .directory(dir.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(
                    String.join(" ", command)
                            + " exited "
                            + p.exitValue()
                            + ": "
                            + Files.readString(err, StandardCharsets.UTF_8));
        }
        return stdout;
    }
}
