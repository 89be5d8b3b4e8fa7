package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The built {@code daneel.jar}, run as a separate process, directly and through {@code bin/daneel}.
 */
class DaneelJarIT {

    private static final Path JAR = Path.of(System.getProperty("daneel.jar", "target/daneel.jar"));
    private static final Path SCRIPT =
            Path.of(System.getProperty("daneel.script", "../../bin/daneel"));

    record Run(int exit, String out, String err) {}

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("daneel", ".out");
        Path err = Files.createTempFile("daneel", ".err");
        try {
            Process p =
                    new ProcessBuilder(command)
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile())
                            .start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "daneel did not finish within 120 s");
            return new Run(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> java(String... args) {
        List<String> c =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-jar",
                                JAR.toString()));
        c.addAll(List.of(args));
        return c;
    }

    @Test
    void demoRunsEndToEndFromTheJarAndExitsZero() throws Exception {
        Run r = run(java("demo"));
        assertEquals(0, r.exit(), () -> r.out() + r.err());
        assertTrue(r.out().contains("Done: every step behaved as described."), r::out);
        assertEquals("", r.err(), "nothing on stderr (no logging noise)");
    }

    @Test
    void binDaneelDemoExitsZero() throws Exception {
        Run r = run(List.of("sh", SCRIPT.toString(), "demo"));
        assertEquals(0, r.exit(), () -> r.out() + r.err());
        assertTrue(r.out().contains("; secure"), r::out);
    }

    @Test
    void usageErrorFromTheJarExitsOneOnStderr() throws Exception {
        Run r = run(java("query", "www.example.test.", "NOSUCHTYPE", "--server", "127.0.0.1:1"));
        assertEquals(1, r.exit(), () -> r.out() + r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("TYPE: unknown record type \"NOSUCHTYPE\""), r::err);
    }
}
