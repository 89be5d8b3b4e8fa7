package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.daneel.anchors.AnchorStore;
import dev.daneel.anchors.TrustAnchors;
import dev.daneel.anchors.TrustPointState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.xbill.DNS.Name;

/**
 * The {@code daneel} command fed damaged local files (SSH public keys, PEM keys, PEM certificates,
 * anchor files, the RFC 5011 state file) and random argument lists: it always ends with a
 * documented exit code; when it fails, stdout is empty (no partial output: a record printed for the
 * first key file and then an error for the second would be half a result) and stderr names the
 * problem in words, never as a bare exception class. Every argument list carries {@code --server
 * 127.0.0.1:9}, so nothing leaves the machine.
 */
class MalformedInputProperties {

    static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGPKSUTyz1HwHReFVvD5obVsALAgJRNarH4TRpNePnAS host";
    static final String ANCHOR =
            ". 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n";
    static final String PEM = pem();
    static final String CERTIFICATE = certificate();
    static final String STATE = state();

    /**
     * The built-in anchors log a skipped expired key at INFO on every load; kept (strongly) quiet
     * here.
     */
    static final java.util.logging.Logger ANCHOR_LOG = quiet();

    static final Pattern BARE_EXCEPTION =
            Pattern.compile(":\\s*[A-Za-z.]*(Exception|Error)\\s*$", Pattern.MULTILINE);

    static java.util.logging.Logger quiet() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.daneel.anchors");
        log.setLevel(java.util.logging.Level.WARNING);
        return log;
    }

    static String pem() {
        try {
            KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
            return "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder()
                            .encodeToString(ed.generateKeyPair().getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String certificate() {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder()
                            .encodeToString(
                                    DemoTls.selfSigned("www.example.test", java.time.Instant.now())
                                            .cert()
                                            .getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String state() {
        try {
            Path f = Files.createTempFile("daneel-state", ".state");
            try {
                TrustAnchors root = TrustAnchors.builtIn();
                AnchorStore.at(f)
                        .save(
                                List.of(
                                        TrustPointState.initial(
                                                root.forZone(Name.root).orElseThrow())));
                return Files.readString(f);
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Which command reads the damaged file, and how. */
    enum Use {
        SSHFP_PUBKEY,
        IPSECKEY_PEM,
        TLSA_CERTIFICATE,
        ANCHOR_FILE,
        STATE_FILE;

        String intact() {
            return switch (this) {
                case SSHFP_PUBKEY -> ED25519 + "\n";
                case IPSECKEY_PEM -> PEM;
                case TLSA_CERTIFICATE -> CERTIFICATE;
                case ANCHOR_FILE -> ANCHOR;
                case STATE_FILE -> STATE;
            };
        }

        List<String> args(Path good, Path damaged) {
            return switch (this) {
                // the damaged key second: its error must not follow records already printed for the
                // first
                case SSHFP_PUBKEY ->
                        List.of(
                                "sshfp",
                                "--create",
                                "-f",
                                good.toString(),
                                "-f",
                                damaged.toString(),
                                "host.example.");
                case IPSECKEY_PEM ->
                        List.of("ipseckey", "--create", "--key", damaged.toString(), "gw.example.");
                case TLSA_CERTIFICATE ->
                        List.of(
                                "tlsa",
                                "--create",
                                "--output",
                                "both",
                                "--certificate",
                                damaged.toString(),
                                "www.example.test");
                case ANCHOR_FILE -> List.of("--anchor", damaged.toString(), "anchors");
                case STATE_FILE -> List.of("anchors", "--state", damaged.toString());
            };
        }
    }

    record Damage(Use use, int kind, long seed) {
        byte[] apply(String text) {
            Random r = new Random(seed);
            switch (kind) {
                case 0 -> {
                    return text.substring(0, r.nextInt(text.length()))
                            .getBytes(StandardCharsets.UTF_8);
                }
                case 1 -> {
                    StringBuilder sb = new StringBuilder(text);
                    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                        sb.setCharAt(
                                r.nextInt(sb.length()),
                                (char)
                                        (r.nextInt(3) == 0
                                                ? r.nextInt(0x3000)
                                                : ' ' + r.nextInt(95)));
                    }
                    return sb.toString().getBytes(StandardCharsets.UTF_8);
                }
                default -> {
                    byte[] junk = new byte[r.nextInt(300)];
                    r.nextBytes(junk);
                    return junk;
                }
            }
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Arbitraries.of(Use.class)
                .flatMap(
                        u ->
                                Arbitraries.integers()
                                        .between(0, 2)
                                        .flatMap(
                                                k ->
                                                        Arbitraries.longs()
                                                                .map(s -> new Damage(u, k, s))));
    }

    static final List<String> PREFIX = List.of("--server", "127.0.0.1:9", "--timeout", "0.05");

    static Cli run(List<String> args) {
        List<String> all = new ArrayList<>(PREFIX);
        all.addAll(args);
        try {
            return Cli.run(all.toArray(String[]::new));
        } catch (RuntimeException e) {
            return fail("daneel " + all + " threw " + e, e);
        }
    }

    static void assertCleanFailure(Cli c, String what) {
        assertTrue(c.exit() >= 0 && c.exit() <= 4, what + ": undocumented exit code\n" + c);
        if (c.exit() != 0) {
            assertEquals("", c.out(), what + ": output printed before the error\n" + c);
            assertFalse(c.err().isBlank(), what + ": no error message\n" + c);
            assertFalse(
                    BARE_EXCEPTION.matcher(c.err()).find(),
                    what + ": the error is a bare exception name\n" + c);
        }
    }

    @Property(tries = 200)
    void damagedLocalFilesEndInAnErrorNamingTheProblemWithNoPartialOutput(
            @ForAll("damage") Damage d) throws IOException {
        Path good = Files.createTempFile("daneel-good", ".pub");
        Path damaged = Files.createTempFile("daneel-damaged", ".in");
        try {
            Files.writeString(good, ED25519 + "\n");
            Files.write(damaged, d.apply(d.use().intact()));
            Cli c = run(d.use().args(good, damaged));
            assertCleanFailure(c, d.toString());
            if (d.use() == Use.ANCHOR_FILE && c.exit() != 0) {
                // the anchor parsers name the file (and the line, when one line is at fault)
                assertTrue(
                        c.err().contains(damaged + ":"),
                        d + ": the error does not name the file\n" + c);
            }
            Statistics.collect(d.use(), c.exit() == 0 ? "accepted" : "refused");
        } finally {
            Files.deleteIfExists(good);
            Files.deleteIfExists(damaged);
        }
    }

    /**
     * A damaged {@code --resolvconf} file, read by the parser only (a damaged address could name a
     * machine off loopback, so nothing is sent): a list of servers, or a {@link UsageError} naming
     * the file (and the line, for a bad nameserver line) and what was expected.
     */
    @Property(tries = 300)
    void damagedResolvConfIsReadOrNamesFileAndLine(@ForAll("resolvDamage") Damage d)
            throws IOException {
        Path damaged = Files.createTempFile("daneel-resolv", ".conf");
        try {
            Files.write(
                    damaged,
                    d.apply(
                            "# resolvers\nsearch example.test\nnameserver 127.0.0.1@5353\nnameserver ::1\n"
                                    + "options ndots:1\n"));
            try {
                assertFalse(ResolvConf.read(damaged).isEmpty());
                Statistics.collect("read");
            } catch (UsageError e) {
                Statistics.collect("refused");
                String m = e.getMessage();
                assertTrue(m.startsWith("--resolvconf: " + damaged), m);
                assertTrue(m.contains("expected"), "no word on what was expected: " + m);
                if (m.contains(": nameserver: ")) {
                    assertTrue(
                            Pattern.compile("^--resolvconf: \\S+:[1-9][0-9]*: nameserver: ")
                                    .matcher(m)
                                    .find(),
                            m);
                }
            } catch (RuntimeException e) {
                fail(d + " made the resolv.conf parser throw " + e, e);
            }
        } finally {
            Files.deleteIfExists(damaged);
        }
    }

    @Provide
    Arbitrary<Damage> resolvDamage() {
        return Arbitraries.integers()
                .between(0, 2)
                .flatMap(k -> Arbitraries.longs().map(s -> new Damage(Use.ANCHOR_FILE, k, s)));
    }

    static final List<String> WORDS =
            List.of(
                    "sshfp",
                    "ipseckey",
                    "tlsa",
                    "openpgpkey",
                    "anchors",
                    "--create",
                    "-f",
                    "-k",
                    "--file",
                    "--known-hosts",
                    "--key",
                    "--keyring",
                    "--digest",
                    "sha1",
                    "sha256",
                    "md5",
                    "--usage",
                    "--selector",
                    "--mtype",
                    "9",
                    "-1",
                    "3",
                    "--port",
                    "99999",
                    "443",
                    "--protocol",
                    "tcp",
                    "quic",
                    "--output",
                    "both",
                    "rfc",
                    "xml",
                    "--precedence",
                    "300",
                    "10",
                    "--gateway",
                    "::1",
                    "192.0.2.1",
                    "not an address",
                    "host.example.",
                    "a..b",
                    "hugh@example.com",
                    "@",
                    "",
                    "--json",
                    "--timeout",
                    "0",
                    "61",
                    "abc",
                    "--tcp",
                    "--state",
                    "/nonexistent/dir/x.state",
                    "/nonexistent/file",
                    "--certificate",
                    "--anchor",
                    "--uid",
                    "--",
                    "-",
                    "--unknown-option",
                    "\u00e9\u00e8",
                    "--keyid",
                    "0x12345678",
                    "--insecure",
                    "--debug",
                    "--wrap",
                    "--resolvconf");

    @Provide
    Arbitrary<List<String>> argLists() {
        return Arbitraries.of(WORDS).list().ofMaxSize(8);
    }

    @Property(tries = 250)
    void randomArgumentListsEndInADocumentedExitCodeAndUsageErrorsPrintNothingOnStdout(
            @ForAll("argLists") List<String> args) {
        Cli c = run(args);
        assertTrue(c.exit() >= 0 && c.exit() <= 4, args + ": undocumented exit code\n" + c);
        if (c.err().contains("Try 'daneel")) {
            assertEquals("", c.out(), args + ": a usage error with output\n" + c);
            assertEquals(1, c.exit());
        }
        if (c.exit() != 0) {
            assertFalse(c.err().isBlank(), args + ": failed without a message\n" + c);
            assertFalse(
                    BARE_EXCEPTION.matcher(c.err()).find(),
                    args + ": the error is a bare exception name\n" + c);
        }
        Statistics.collect(c.exit());
    }
}
