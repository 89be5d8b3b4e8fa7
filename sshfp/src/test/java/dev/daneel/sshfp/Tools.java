package dev.daneel.sshfp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.daneel.testkit.RealTools;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds and runs the real tools the interop tests compare with; skips without them, fails under CI=true. */
final class Tools {

    private Tools() {
    }

    static String require(String program, String debianPackage) {
        Optional<String> p = find(program);
        if (p.isEmpty()) {
            unavailable(program + " is not installed; scripts/interop-deps installs it (Debian package "
                    + debianPackage + ")");
        }
        return p.orElseThrow();
    }

    static void unavailable(String reason) {
        RealTools.unavailable(reason);
    }

    static Optional<String> find(String program) {
        return RealTools.find(program);
    }

    /** Runs a command to completion and returns its standard output; fails the test on a non-zero exit. */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s");
        }
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed: "
                + readQuietly(err));
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }
}
