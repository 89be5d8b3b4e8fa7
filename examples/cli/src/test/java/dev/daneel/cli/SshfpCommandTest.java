package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.sshfp.SshHostKey;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Type;

/**
 * {@code daneel sshfp --create/--verify}: lines equal to ssh-keygen -r and hash-slinger, verdicts
 * and exit codes.
 */
class SshfpCommandTest {

    @TempDir static Path dir;
    private static World world;
    private static String server;
    private static String anchor;
    private static Path hostPub;
    private static Path otherPub;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        String host = SshHostKey.of(g.generateKeyPair().getPublic()).toOpenSsh();
        hostPub = Files.writeString(dir.resolve("host.pub"), host + "\n");
        otherPub =
                Files.writeString(
                        dir.resolve("other.pub"),
                        SshHostKey.of(g.generateKeyPair().getPublic()).toOpenSsh() + "\n");
        world =
                World.builder()
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z -> z.sshfp("host", host).record("nokeys A 192.0.2.1"))
                        .zone("unsigned.test.", z -> z.unsigned().sshfp("host", host))
                        .zone(
                                "broken.test.",
                                z ->
                                        z.sshfp("host", host)
                                                .breakRRset(
                                                        "host",
                                                        Type.SSHFP,
                                                        Breakage.EXPIRED_SIGNATURES))
                        .start();
        server = "127.0.0.1:" + world.address().getPort();
        anchor = world.writeTrustAnchors(dir.resolve("root.anchor")).toString();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Cli verify(String host, Path key, String... more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--server",
                                server,
                                "--anchor",
                                anchor,
                                "sshfp",
                                "--verify",
                                "--key",
                                key.toString(),
                                host));
        a.addAll(List.of(more));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void publishedKeyVerifies() {
        Cli r = verify("host.example.test", hostPub);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out()
                        .startsWith(
                                "SUCCESS ssh-ed25519 key matches host.example.test. IN SSHFP 4 2 "),
                r::toString);
    }

    @Test
    void anotherKeyIsAMismatchExitTwo() {
        Cli r = verify("host.example.test.", otherPub);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(
                r.out()
                        .startsWith(
                                "FAIL ssh-ed25519 key matches none of the 2 secure SSHFP record(s)"),
                r::toString);
    }

    @Test
    void noRecordsIsProvenAbsenceExitFour() {
        Cli r = verify("nokeys.example.test.", hostPub);
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.out().contains("provably has no SSHFP records"), r::toString);
    }

    @Test
    void unsignedZoneIsInsecureExitThree() {
        Cli r = verify("host.unsigned.test.", hostPub);
        assertEquals(3, r.exit(), r::toString);
        assertTrue(
                r.out().contains("insecure (unsigned delegation at unsigned.test.)"), r::toString);
    }

    @Test
    void bogusRecordsExitTwo() {
        Cli r = verify("host.broken.test.", hostPub);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("bogus (SIGNATURE_EXPIRED)"), r::toString);
    }

    @Test
    void verifyJson() {
        Cli r = verify("host.example.test.", hostPub, "--json");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out()
                        .startsWith(
                                "{\"host\":\"host.example.test.\",\"status\":\"match\",\"keys\":[{\"key\":\"ssh-ed25519\","
                                        + "\"result\":\"match\""),
                r::toString);
    }

    @Test
    void createFromFileDefaultsToBothDigests() {
        Cli r = Cli.run("sshfp", "--create", "-f", hostPub.toString(), "host.example.test.");
        assertEquals(0, r.exit(), r::toString);
        String[] lines = r.out().split("\n");
        assertEquals(2, lines.length, r::toString);
        assertTrue(lines[0].startsWith("host.example.test. IN SSHFP 4 1 "), r::toString);
        assertTrue(lines[1].startsWith("host.example.test. IN SSHFP 4 2 "), r::toString);
    }

    @Test
    void createJsonWithOneDigest() {
        Cli r =
                Cli.run(
                        "--json",
                        "sshfp",
                        "--create",
                        "--digest",
                        "sha256",
                        "-f",
                        hostPub.toString(),
                        "h.test.");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out().startsWith("{\"host\":\"h.test.\",\"records\":[\"h.test. IN SSHFP 4 2 "),
                r::toString);
    }

    @Test
    void createdRecordsVerifyAgainstTheWorld() {
        Cli created = Cli.run("sshfp", "--create", "-f", hostPub.toString(), "host.example.test.");
        Cli published =
                Cli.run(
                        "--server",
                        server,
                        "--anchor",
                        anchor,
                        "query",
                        "host.example.test.",
                        "SSHFP");
        assertEquals(0, published.exit(), published::toString);
        for (String line : created.out().split("\n")) {
            String hex = line.substring(line.lastIndexOf(' ') + 1).toUpperCase(Locale.ROOT);
            assertTrue(
                    published.out().toUpperCase(Locale.ROOT).contains(hex),
                    line + " in " + published);
        }
    }

    @Test
    void usageErrorsNameTheArgument() {
        Cli neither = Cli.run("sshfp", "--create", "h");
        assertEquals(1, neither.exit());
        assertTrue(neither.err().contains("-k KNOWN_HOSTS or -f PUBKEY"), neither::toString);
        Cli both = Cli.run("sshfp", "--create", "--verify", "h");
        assertEquals(1, both.exit());
        assertTrue(
                both.err().contains("--create, --verify are mutually exclusive"), both::toString);
        Cli none = Cli.run("sshfp", "h");
        assertEquals(1, none.exit());
        assertTrue(none.err().contains("--create"), none::toString);
        Cli digest = Cli.run("sshfp", "--create", "--digest", "md5", "-f", hostPub.toString(), "h");
        assertEquals(1, digest.exit());
        assertTrue(
                digest.err().contains("--digest must be sha1 or sha256, got \"md5\""),
                digest::toString);
        Cli missing = Cli.run("sshfp", "--create", "-f", dir.resolve("nope.pub").toString(), "h");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("-f: cannot read"), missing::toString);
        Cli noKey = Cli.run("--server", server, "sshfp", "--verify", "h");
        assertEquals(1, noKey.exit());
        assertTrue(noKey.err().contains("--key PUBKEY or --connect"), noKey::toString);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"rsa, 3072", "ecdsa, 256", "ed25519, 0"})
    void createEqualsSshKeygenR(String type, int bits) throws Exception {
        String keygen = Tools.require("ssh-keygen", "openssh-client");
        Path pub = generate(keygen, type, bits);
        String theirs = Tools.run(dir, keygen, "-r", "host.example.test.", "-f", pub.toString());
        Cli ours = Cli.run("sshfp", "--create", "-f", pub.toString(), "host.example.test.");
        assertEquals(0, ours.exit(), ours::toString);
        assertEquals(theirs, ours.out());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"rsa, 3072", "ecdsa, 256", "ed25519, 0"})
    void createFromKnownHostsEqualsHashSlinger(String type, int bits) throws Exception {
        String keygen = Tools.require("ssh-keygen", "openssh-client");
        String sshfp = Tools.require("sshfp", "hash-slinger");
        Path pub = generate(keygen, type, bits);
        Path knownHosts = dir.resolve("known_hosts_" + type);
        Files.writeString(knownHosts, "host.example.test " + Files.readString(pub));
        String theirs =
                Tools.run(
                        dir,
                        sshfp,
                        "-k",
                        knownHosts.toString(),
                        "-d",
                        "--digest=sha1",
                        "--digest=sha256",
                        "host.example.test");
        Cli ours = Cli.run("sshfp", "--create", "-k", knownHosts.toString(), "host.example.test.");
        assertEquals(0, ours.exit(), ours::toString);
        assertEquals(normalized(theirs), normalized(ours.out()));
    }

    @Test
    void verifyWithConnectUsesALiveServersKeys() throws Exception {
        // no SSH server is started here: --connect to a closed loopback port fails with a message
        // naming it
        Tools.require("ssh-keyscan", "openssh-client");
        Cli r =
                Cli.run(
                        "--server",
                        server,
                        "--anchor",
                        anchor,
                        "sshfp",
                        "--verify",
                        "--connect",
                        "127.0.0.1:1",
                        "host.example.test.");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("no SSH host key from 127.0.0.1:1"), r::toString);
    }

    private static Path generate(String keygen, String type, int bits) throws Exception {
        Path key = dir.resolve("ssh_host_" + type + "_key");
        Files.deleteIfExists(key);
        Files.deleteIfExists(Path.of(key + ".pub"));
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                keygen,
                                "-q",
                                "-t",
                                type,
                                "-N",
                                "",
                                "-C",
                                "test",
                                "-f",
                                key.toString()));
        if (bits > 0) {
            cmd.addAll(List.of("-b", Integer.toString(bits)));
        }
        Tools.run(dir, cmd.toArray(String[]::new));
        return Path.of(key + ".pub");
    }

    private static TreeSet<String> normalized(String text) {
        TreeSet<String> out = new TreeSet<>();
        text.lines()
                .filter(l -> !l.isBlank())
                .forEach(l -> out.add(l.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT)));
        return out;
    }
}
