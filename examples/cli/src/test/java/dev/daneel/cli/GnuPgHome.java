package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A temporary GNUPGHOME for interop tests; {@link #close()} stops its agent and deletes it. */
final class GnuPgHome implements AutoCloseable {
    final Path dir;

    GnuPgHome() throws IOException {
        Tools.require("gpg", "gnupg");
        Tools.require("gpgconf", "gnupg");
        dir = Files.createTempDirectory("daneel-cli-gnupg");
    }

    Map<String, String> env() {
        return Map.of("GNUPGHOME", dir.toString());
    }

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

    byte[] gpg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--pinentry-mode", "loopback",
                "--passphrase", ""));
        cmd.addAll(List.of(args));
        return run(env(), cmd.toArray(String[]::new));
    }

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
