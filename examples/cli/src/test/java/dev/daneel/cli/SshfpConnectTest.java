package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.sshfp.SshHostKey;
import dev.daneel.testkit.OpenSshServer;
import dev.daneel.testkit.World;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code daneel sshfp --verify --connect} against a real OpenSSH sshd on 127.0.0.1 (host key via
 * ssh-keyscan).
 */
class SshfpConnectTest {

    @TempDir static Path dir;
    private static OpenSshServer sshd;
    private static int port;
    private static World world;
    private static String server;
    private static String anchor;

    @BeforeAll
    static void start() throws Exception {
        Tools.require("ssh-keyscan", "openssh-client");
        sshd = OpenSshServer.start(dir, "ed25519", null);
        port = sshd.port();
        String hostKeyLine = sshd.hostKeyLine();
        String other =
                SshHostKey.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic())
                        .toOpenSsh();
        world =
                World.builder()
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z -> z.sshfp("good", hostKeyLine).sshfp("replaced", other))
                        .start();
        server = "127.0.0.1:" + world.address().getPort();
        anchor = world.writeTrustAnchors(dir.resolve("root.anchor")).toString();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void liveHostKeyMatchesItsSshfpRecords() {
        Cli r =
                Cli.run(
                        "--server",
                        server,
                        "--anchor",
                        anchor,
                        "sshfp",
                        "--verify",
                        "--connect",
                        "127.0.0.1:" + port,
                        "good.example.test");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out()
                        .startsWith(
                                "SUCCESS ssh-ed25519 key matches good.example.test. IN SSHFP 4 2 "),
                r::toString);
    }

    @Test
    void liveHostKeyDoesNotMatchAnotherHostsRecords() {
        Cli r =
                Cli.run(
                        "--server",
                        server,
                        "--anchor",
                        anchor,
                        "sshfp",
                        "--verify",
                        "--connect",
                        "127.0.0.1:" + port,
                        "replaced.example.test");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().startsWith("FAIL ssh-ed25519 key matches none"), r::toString);
    }
}
