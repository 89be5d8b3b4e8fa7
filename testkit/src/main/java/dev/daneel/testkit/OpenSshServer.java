package dev.daneel.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code sshd} on 127.0.0.1 for SSHFP interop tests: a fresh host key made by {@code
 * ssh-keygen}, a private config, a free port, stopped by {@link #close()}. Missing tools skip the
 * test (or fail it under {@code CI=true}, see {@link RealTools}).
 *
 * <pre>{@code
 * try (OpenSshServer sshd = OpenSshServer.start(tempDir, "ed25519", null)) {
 *     world ... .sshfp("host", sshd.hostKeyLine()) ...;   // connect to 127.0.0.1:sshd.port()
 * }
 * }</pre>
 */
public final class OpenSshServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final String hostKeyLine;

    private OpenSshServer(Process process, int port, String hostKeyLine) {
        this.process = process;
        this.port = port;
        this.hostKeyLine = hostKeyLine;
    }

    /**
     * Starts sshd with a new host key of {@code keyType} ({@code ssh-keygen -t}) in {@code dir};
     * when {@code authorizedKeys} is given, logins with those keys are allowed (root included).
     */
    public static OpenSshServer start(Path dir, String keyType, Path authorizedKeys)
            throws IOException, InterruptedException {
        String sshd = RealTools.require("sshd", "openssh-server");
        String keygen = RealTools.require("ssh-keygen", "openssh-client");
        Path hostKey = dir.resolve("ssh_host_" + keyType + "_key");
        RealTools.run(dir, keygen, "-q", "-t", keyType, "-N", "", "-f", hostKey.toString());
        String line = Files.readString(Path.of(hostKey + ".pub")).strip();
        if ("root".equals(System.getProperty("user.name"))
                && !Files.isDirectory(Path.of("/run/sshd"))) {
            try {
                Files.createDirectories(
                        Path.of("/run/sshd")); // sshd's privilege separation directory
            } catch (IOException e) {
                RealTools.unavailable(
                        "sshd runs as root here and needs /run/sshd, which cannot be created: "
                                + e);
            }
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> config =
                new ArrayList<>(
                        List.of(
                                "Port " + port,
                                "ListenAddress 127.0.0.1",
                                "HostKey " + hostKey,
                                "PidFile none",
                                "UsePAM no",
                                "StrictModes no",
                                "PasswordAuthentication no",
                                "KbdInteractiveAuthentication no"));
        if (authorizedKeys != null) {
            config.addAll(List.of("PermitRootLogin yes", "AuthorizedKeysFile " + authorizedKeys));
        }
        config.add("");
        Path cfg = Files.writeString(dir.resolve("sshd_config"), String.join("\n", config));
        Path log = dir.resolve("sshd.log");
        Process p =
                new ProcessBuilder(sshd, "-D", "-e", "-f", cfg.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        OpenSshServer server = new OpenSshServer(p, port, line);
        try {
            server.awaitListening(log);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitListening(Path log) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    RealTools.unavailable("sshd exited at start: " + Files.readString(log).strip());
                }
                Thread.sleep(50);
            }
        }
        RealTools.unavailable(
                "sshd did not listen on 127.0.0.1:" + port + ": " + Files.readString(log).strip());
    }

    /** The port sshd listens on, at 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The host's public key as an OpenSSH line ({@code ssh-ed25519 AAAA... comment}). */
    public String hostKeyLine() {
        return hostKeyLine;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
