package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.sshfp.SshHostKey;
import dev.daneel.testkit.RealTools;
import dev.daneel.testkit.World;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code daneel sshfp --verify --connect} against a real OpenSSH sshd on 127.0.0.1 (host key via ssh-keyscan). */
class SshfpConnectTest {

    @TempDir
    static Path dir;
    private static Process sshd;
    private static int port;
    private static World world;
    private static String server;
    private static String anchor;

    @BeforeAll
    static void start() throws Exception {
        String sshdPath = Tools.require("sshd", "openssh-server");
        String keygen = Tools.require("ssh-keygen", "openssh-client");
        Tools.require("ssh-keyscan", "openssh-client");
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        Tools.run(dir, keygen, "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString());
        String hostKeyLine = Files.readString(Path.of(hostKey + ".pub")).strip();
        if ("root".equals(System.getProperty("user.name")) && !Files.isDirectory(Path.of("/run/sshd"))) {
            try {
                Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
            } catch (IOException e) {
                RealTools.unavailable("sshd runs as root here and needs /run/sshd, which cannot be created: " + e);
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path cfg = dir.resolve("sshd_config");
        Files.writeString(cfg, String.join("\n", "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + hostKey,
                "PidFile none", "UsePAM no", "StrictModes no", "PasswordAuthentication no",
                "KbdInteractiveAuthentication no", ""));
        sshd = new ProcessBuilder(sshdPath, "-D", "-e", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        awaitListening();
        String other = SshHostKey.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()).toOpenSsh();
        world = World.builder()
                .zone("test.")
                .zone("example.test.", z -> z.sshfp("good", hostKeyLine).sshfp("replaced", other))
                .start();
        server = "127.0.0.1:" + world.address().getPort();
        anchor = world.writeTrustAnchors(dir.resolve("root.anchor")).toString();
    }

    private static void awaitListening() throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
                return;
            } catch (IOException e) {
                if (!sshd.isAlive()) {
                    RealTools.unavailable("sshd exited at start: " + Files.readString(dir.resolve("sshd.log")).strip());
                }
                Thread.sleep(50);
            }
        }
        RealTools.unavailable("sshd did not listen on 127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sshd != null) {
            sshd.destroy();
            sshd.waitFor();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void liveHostKeyMatchesItsSshfpRecords() {
        Cli r = Cli.run("--server", server, "--anchor", anchor, "sshfp", "--verify", "--connect", "127.0.0.1:" + port,
                "good.example.test");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("SUCCESS ssh-ed25519 key matches good.example.test. IN SSHFP 4 2 "), r::toString);
    }

    @Test
    void liveHostKeyDoesNotMatchAnotherHostsRecords() {
        Cli r = Cli.run("--server", server, "--anchor", anchor, "sshfp", "--verify", "--connect", "127.0.0.1:" + port,
                "replaced.example.test");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().startsWith("FAIL ssh-ed25519 key matches none"), r::toString);
    }
}
