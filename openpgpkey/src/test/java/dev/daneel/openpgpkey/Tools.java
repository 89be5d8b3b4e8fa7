package dev.daneel.openpgpkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.daneel.testkit.RealTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs real tools (gpg, hash-slinger) for interop tests: skipped when absent, failing when CI=true. */
final class Tools {

    private Tools() {
    }

    /** Skips (or fails under CI) when {@code tool} is not on the PATH. */
    static void require(String tool) {
        RealTools.require(tool, "see scripts/interop-deps");
    }

    /** Runs {@code command} with {@code env} added, returns stdout bytes; fails on a non-zero exit. */
    static byte[] run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path err = Files.createTempFile("tool", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in 60 s");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.deleteIfExists(err);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed: " + stderr);
        return out;
    }

    /** A temporary GNUPGHOME; {@link #close()} stops its agent and deletes it. */
    static final class GnuPgHome implements AutoCloseable {
        final Path dir;

        GnuPgHome() throws IOException {
            dir = Files.createTempDirectory("daneel-gnupg");
            dir.toFile().setReadable(true, true);
        }

        Map<String, String> env() {
            return Map.of("GNUPGHOME", dir.toString());
        }

        byte[] gpg(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--pinentry-mode", "loopback",
                    "--passphrase", ""));
            cmd.addAll(List.of(args));
            return run(env(), cmd.toArray(String[]::new));
        }

        /** Generates a key for {@code userId} (default algorithms, no expiry, no passphrase). */
        void generate(String userId) throws IOException, InterruptedException {
            gpg("--quick-gen-key", userId, "default", "default", "never");
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                run(env(), "gpgconf", "--kill", "gpg-agent");
            } finally {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
