package dev.daneel.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real programs interop and conformance tests compare with (NSD, BIND, ssh-keygen, gpg …), and
 * the rule for when one is missing: the test is skipped with the reason, except under {@code
 * CI=true}, where it fails — CI installs every tool, so absence there is a defect, never a silent
 * pass.
 *
 * <pre>{@code
 * String keygen = RealTools.require("ssh-keygen", "openssh-client");
 * if (!Files.isDirectory(data)) RealTools.unavailable("no Unbound scenarios at " + data);
 * }</pre>
 *
 * <p>Stateless and thread-safe. Needs JUnit 5 on the test class path (it aborts tests through
 * {@code Assumptions}).
 */
public final class RealTools {

    /**
     * sbin folders are searched too: {@code ipsec}, {@code nsd-checkzone} and {@code named} live
     * there.
     */
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    /** How long {@link #run} waits for a tool. */
    private static final int RUN_LIMIT_SECONDS = 60;

    private RealTools() {}

    /** Whether missing tools or data fail tests ({@code CI=true}) rather than skip them. */
    public static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** The program's path, if it is installed (PATH, then the sbin folders). */
    public static Optional<String> find(String program) {
        List<String> dirs =
                new ArrayList<>(
                        Arrays.asList(
                                System.getenv()
                                        .getOrDefault("PATH", "")
                                        .split(File.pathSeparator)));
        dirs.addAll(SBIN);
        return dirs.stream()
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, program))
                .filter(c -> Files.isRegularFile(c) && Files.isExecutable(c))
                .map(Path::toString)
                .findFirst();
    }

    /**
     * The program's path; when it is missing, skips (or fails under CI) naming the Debian package.
     */
    public static String require(String program, String debianPackage) {
        Optional<String> p = find(program);
        if (p.isEmpty()) {
            unavailable(
                    "the tool \""
                            + program
                            + "\" is not installed; scripts/interop-deps installs it (Debian package "
                            + debianPackage
                            + ")");
        }
        return p.orElseThrow();
    }

    /**
     * Runs a command in {@code dir} to completion (stdin empty, 60 s at most) and returns its
     * standard output; a non-zero exit fails the test with the command and its standard error.
     */
    public static String run(Path dir, String... command) throws IOException, InterruptedException {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        try {
            Process p =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectError(err.toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(
                        String.join(" ", command)
                                + " did not finish within "
                                + RUN_LIMIT_SECONDS
                                + " s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(
                        String.join(" ", command)
                                + " exited "
                                + p.exitValue()
                                + ": "
                                + Files.readString(err));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /**
     * Skips the running test with {@code reason}, or fails it under {@code CI=true}. Never returns
     * normally.
     */
    public static void unavailable(String reason) {
        if (inCi()) {
            throw new AssertionError(reason + ". CI=true, so this is a failure, not a skip");
        }
        Assumptions.abort(reason + "; skipped (with CI=true this fails)");
    }
}
