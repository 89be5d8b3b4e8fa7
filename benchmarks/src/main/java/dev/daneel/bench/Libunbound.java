package dev.daneel.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/**
 * libunbound, the reference peer, in a child process that forwards to the same testkit server with
 * the same root DS ({@code add_ta_file}) and times each lookup itself: either Debian's {@code
 * /usr/bin/python3} with {@code python3-unbound} running {@code libunbound_bench.py}, or {@code
 * libunbound_bench.c} compiled here at run time with {@code gcc} against Debian's {@code
 * libunbound-dev} (the C API with nothing in between: synchronous {@code ub_resolve}, and {@code
 * ub_resolve_async} + {@code ub_process} on a context made threaded with {@code ub_ctx_async}).
 * Both speak the same phases and print the same keys. Phases run when asked, one at a time (cold
 * and warm with 1 lookup in flight, then with 8, then the delayed deep names), so the caller can
 * read the server's query log between them.
 *
 * <p>Not thread-safe; one benchmark drives it.
 */
final class Libunbound implements AutoCloseable {

    /**
     * Debian's interpreter: the {@code python3} first on PATH may be another without the module.
     */
    static final String PYTHON = "/usr/bin/python3";

    /** Debian's compiler and libunbound's header, for the C driver. */
    static final String GCC = "/usr/bin/gcc";

    static final Path HEADER = Path.of("/usr/include/unbound.h");

    /** How libunbound is driven. */
    enum Driver {
        /** Through Debian's Python bindings. */
        PYTHON("libunbound"),
        /** Through its C API, compiled at run time. */
        C("libunbound C");

        private final String peer;

        Driver(String peer) {
            this.peer = peer;
        }

        /** The peer's name in the report. */
        String peer() {
            return peer;
        }
    }

    /** One phase's result as the script reports it. */
    record Phase(
            String name, Map<String, String> values, List<String> verdicts, List<Double> samples) {
        double number(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new IllegalStateException(
                        "libunbound's phase " + name + " reported no " + key + ": " + values);
            }
            return Double.parseDouble(v);
        }
    }

    private final Process process;
    private final Writer stdin;
    private final BufferedReader stdout;
    private final Path stderr;

    private Libunbound(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.stdin =
                new java.io.OutputStreamWriter(
                        process.getOutputStream(), StandardCharsets.US_ASCII);
        this.stdout =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** Why libunbound cannot run here through {@code driver}, or empty when it can. */
    static Optional<String> unavailable(Driver driver) {
        if (driver == Driver.C) {
            if (!Files.isExecutable(Path.of(GCC))) {
                return Optional.of(
                        GCC
                                + " is not installed (Debian package gcc; scripts/interop-deps installs it)");
            }
            if (!Files.isRegularFile(HEADER)) {
                return Optional.of(
                        HEADER
                                + " is missing (Debian package libunbound-dev; scripts/interop-deps installs it)");
            }
            return Optional.empty();
        }
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return Optional.of(
                    PYTHON
                            + " is not installed (Debian packages python3 and python3-unbound;"
                            + " scripts/interop-deps installs them)");
        }
        try {
            Process p =
                    new ProcessBuilder(PYTHON, "-c", "import unbound")
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.of(
                        PYTHON
                                + " cannot import the libunbound module (Debian package python3-unbound;"
                                + " scripts/interop-deps installs it): "
                                + out.strip());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run " + PYTHON + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking " + PYTHON);
        }
    }

    /** Why libunbound cannot run here through Python, or empty when it can. */
    static Optional<String> unavailable() {
        return unavailable(Driver.PYTHON);
    }

    /**
     * Starts the driver in {@code dir}; it reads its questions and anchor from files written there.
     *
     * @param warmSeconds how long each warm phase repeats the names (at least two passes)
     * @param delayed a server answering after a fixed delay, for the deep names' cold lookups
     */
    static Libunbound start(
            Driver driver,
            Path dir,
            InetSocketAddress upstream,
            List<DSRecord> anchor,
            List<BenchWorld.Question> questions,
            double warmSeconds,
            InetSocketAddress delayed,
            List<Name> deepNames) {
        try {
            Files.createDirectories(dir);
            String source = driver == Driver.C ? "libunbound_bench.c" : "libunbound_bench.py";
            Path script = dir.resolve(source);
            try (InputStream in = Libunbound.class.getResourceAsStream(source)) {
                if (in == null) {
                    throw new IllegalStateException(source + " is missing from the benchmarks jar");
                }
                Files.write(script, in.readAllBytes());
            }
            List<String> command = new ArrayList<>();
            if (driver == Driver.C) {
                Path binary = dir.resolve("libunbound_bench");
                compile(script, binary);
                command.add(binary.toString());
            } else {
                command.add(PYTHON);
                command.add(script.toString());
            }
            Path anchorFile = dir.resolve("anchor.ds");
            Files.writeString(
                    anchorFile,
                    anchor.stream()
                            .map(DSRecord::toString)
                            .collect(Collectors.joining("\n", "", "\n")));
            Path conf = dir.resolve("libunbound.conf");
            // Forwarding to loopback needs do-not-query-localhost: no; everything else is
            // libunbound's default.
            Files.writeString(
                    conf,
                    "server:\n  do-not-query-localhost: no\n  outgoing-interface: 127.0.0.1\n");
            Path names = dir.resolve("names.txt");
            Files.writeString(
                    names,
                    questions.stream()
                            .map(BenchWorld.Question::line)
                            .collect(Collectors.joining("\n", "", "\n")));
            Path err = dir.resolve("libunbound.stderr");
            command.addAll(
                    List.of(
                            forwarder(upstream),
                            anchorFile.toString(),
                            conf.toString(),
                            names.toString(),
                            Double.toString(warmSeconds),
                            forwarder(delayed),
                            deepNames.stream()
                                    .map(Name::toString)
                                    .collect(Collectors.joining(","))));
            Process p =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectError(err.toFile())
                            .start();
            return new Libunbound(p, err);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start libunbound's benchmark driver in " + dir, e);
        }
    }

    /**
     * gcc -O2, as a distribution would build a client; the compiler's output goes into the
     * exception.
     */
    private static void compile(Path source, Path binary) throws IOException {
        Process gcc =
                new ProcessBuilder(
                                GCC, "-O2", "-o", binary.toString(), source.toString(), "-lunbound")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!gcc.waitFor(120, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                throw new IllegalStateException(
                        "gcc could not build libunbound's C driver "
                                + source
                                + " (expected Debian's gcc and libunbound-dev; scripts/interop-deps installs them):\n"
                                + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gcc.destroyForcibly();
            throw new IllegalStateException("interrupted while compiling " + source, e);
        }
    }

    /** Runs the next phase and returns its result; {@code expected} is the phase's name. */
    Phase next(String expected) {
        try {
            stdin.write("go\n");
            stdin.flush();
            String header = stdout.readLine();
            if (header == null || !header.equals("phase " + expected)) {
                throw new IllegalStateException(
                        "libunbound's script said "
                                + header
                                + " where phase "
                                + expected
                                + " was due; its stderr:\n"
                                + errors());
            }
            Map<String, String> values = new HashMap<>();
            List<String> verdicts = new ArrayList<>();
            List<Double> samples = new ArrayList<>();
            for (String line = stdout.readLine(); !"end".equals(line); line = stdout.readLine()) {
                if (line == null) {
                    throw new IllegalStateException(
                            "libunbound's script stopped inside phase "
                                    + expected
                                    + ":\n"
                                    + errors());
                }
                int space = line.indexOf(' ');
                String key = line.substring(0, space);
                String value = line.substring(space + 1);
                switch (key) {
                    case "verdict" -> verdicts.add(value);
                    case "sample" -> samples.add(Double.parseDouble(value));
                    default -> values.put(key, value);
                }
            }
            return new Phase(expected, values, verdicts, samples);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "lost libunbound's script in phase " + expected + ": " + errors(), e);
        }
    }

    private String errors() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }

    private static String forwarder(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + "@" + a.getPort();
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the script may already have exited
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
