package dev.daneel.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A temporary GNUPGHOME for interop tests with real GnuPG: generate keys, export them for {@link
 * ZoneBuilder#openpgpkey}, decrypt what the code under test encrypted. {@link #close()} stops the
 * gpg-agent of this home (and no other) and deletes the directory.
 *
 * <pre>{@code
 * try (GnuPgHome gpg = GnuPgHome.create()) {              // skips (or fails under CI=true) without gpg
 *     gpg.generate("Alice <alice@example.test>");
 *     World world = World.builder().zone("test.")
 *             .zone("example.test.", z -> z.openpgpkey("alice@example.test", gpg.export("alice@example.test")))
 *             .start();
 *     byte[] plain = gpg.gpg(Map.of(), "--decrypt", encryptedFile.toString());
 * }
 * }</pre>
 *
 * <p>Not thread-safe (gpg serialises on its home directory anyway).
 */
public final class GnuPgHome implements AutoCloseable {

    /** How long one gpg call may take (key generation included). */
    private static final int LIMIT_SECONDS = 120;

    private final Path dir;

    private GnuPgHome(Path dir) {
        this.dir = dir;
    }

    /**
     * A fresh home in a new temporary directory; requires {@code gpg} and {@code gpgconf} ({@link
     * RealTools}).
     */
    public static GnuPgHome create() throws IOException {
        RealTools.require("gpg", "gnupg");
        RealTools.require("gpgconf", "gnupg");
        return new GnuPgHome(
                Files.createTempDirectory(
                        "daneel-gnupg",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------"))));
    }

    /** The home directory. */
    public Path dir() {
        return dir;
    }

    /** {@code GNUPGHOME=dir}, for running other tools (hash-slinger) against this home. */
    public Map<String, String> env() {
        return Map.of("GNUPGHOME", dir.toString());
    }

    /**
     * Runs {@code gpg --batch --no-tty} with an empty passphrase and {@code args}; returns its
     * standard output, and fails the test (AssertionError with gpg's standard error) on a non-zero
     * exit.
     */
    public byte[] gpg(String... args) throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "gpg",
                                "--batch",
                                "--no-tty",
                                "--pinentry-mode",
                                "loopback",
                                "--passphrase",
                                ""));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /**
     * Generates a key for {@code userId} with gpg's {@code future-default} algorithms (Ed25519
     * primary, Curve25519 encryption subkey: fast), no expiry, no passphrase.
     */
    public void generate(String userId) throws IOException, InterruptedException {
        gpg("--quick-gen-key", userId, "future-default", "default", "never");
    }

    /**
     * Runs another tool against this home ({@code GNUPGHOME} set; hash-slinger's {@code
     * openpgpkey}, say); returns its standard output and fails the test on a non-zero exit.
     */
    public byte[] tool(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    /** {@code gpg --export ADDRESS}: the binary transferable public key. */
    public byte[] export(String address) throws IOException, InterruptedException {
        return gpg("--export", address);
    }

    /** The key IDs (16 uppercase hex digits) of the encryption subkeys of {@code address}'s key. */
    public List<String> encryptionSubkeyIds(String address)
            throws IOException, InterruptedException {
        String colons =
                new String(gpg("--with-colons", "--list-keys", address), StandardCharsets.UTF_8);
        return colons.lines()
                .filter(l -> l.startsWith("sub:"))
                .map(l -> l.split(":"))
                .filter(f -> f.length > 11 && f[11].contains("e"))
                .map(f -> f[4])
                .toList();
    }

    /**
     * The key IDs a message is encrypted to, as {@code gpg --list-packets} prints them (pubkey enc
     * packets).
     */
    public List<String> recipientKeyIds(Path message) throws IOException, InterruptedException {
        List<String> cmd =
                List.of(
                        "gpg",
                        "--batch",
                        "--no-tty",
                        "--list-only",
                        "--list-packets",
                        message.toString());
        String out = new String(run(cmd), StandardCharsets.UTF_8);
        return out.lines()
                .filter(l -> l.startsWith(":pubkey enc packet:"))
                .map(l -> l.substring(l.indexOf("keyid ") + 6).strip().split("\\s")[0])
                .toList();
    }

    private byte[] run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env());
        Path err = Files.createTempFile("gpg", ".err");
        try {
            pb.redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(
                        String.join(" ", cmd) + " did not finish within " + LIMIT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(
                        String.join(" ", cmd)
                                + " exited "
                                + p.exitValue()
                                + ": "
                                + Files.readString(err, StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(List.of("gpgconf", "--kill", "gpg-agent"));
        } catch (AssertionError e) {
            // Best effort: an agent whose home directory is gone exits by itself.
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
