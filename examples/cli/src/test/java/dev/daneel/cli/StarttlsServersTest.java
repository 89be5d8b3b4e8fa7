package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.dane.CertUsage;
import dev.daneel.dane.MatchingType;
import dev.daneel.dane.Selector;
import dev.daneel.dane.TlsaRecords;
import dev.daneel.testkit.RealTools;
import dev.daneel.testkit.World;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code daneel tlsa --verify --starttls imap|pop3|ftp} against real servers: Dovecot (IMAP, POP3)
 * and vsftpd (FTP AUTH TLS), started by the test on 127.0.0.1 with a certificate whose TLSA records
 * a testkit world serves; an impostor record for the same server must fail.
 */
class StarttlsServersTest {

    private static Path dir;
    private static World world;
    private static String server;
    private static String anchor;
    private static final List<Process> SERVERS = new ArrayList<>();
    private static int imapPort;
    private static int pop3Port;
    private static int ftpPort;

    @BeforeAll
    static void start() throws Exception {
        String dovecot = RealTools.require("dovecot", "dovecot-imapd and dovecot-pop3d");
        String vsftpd = RealTools.require("vsftpd", "vsftpd");
        // Dovecot's unprivileged login processes reach sockets under base_dir: the folder must be
        // traversable.
        dir =
                Files.createTempDirectory(
                        Path.of("/tmp"),
                        "daneel-starttls",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwxr-xr-x")));
        DemoTls.Identity id = DemoTls.selfSigned("mail.example.test", Instant.now());
        DemoTls.Identity impostor = DemoTls.selfSigned("mail.example.test", Instant.now());
        Path cert = pem(dir.resolve("cert.pem"), "CERTIFICATE", id.cert().getEncoded());
        Path key = pem(dir.resolve("key.pem"), "PRIVATE KEY", id.keys().getPrivate().getEncoded());
        imapPort = freePort();
        pop3Port = freePort();
        ftpPort = freePort();

        Path dovecotConf =
                Files.writeString(
                        dir.resolve("dovecot.conf"),
                        String.join(
                                "\n",
                                "base_dir = " + dir.resolve("run"),
                                "state_dir = " + dir.resolve("state"),
                                "log_path = " + dir.resolve("dovecot.log"),
                                "protocols = imap pop3",
                                "listen = 127.0.0.1",
                                "ssl = required",
                                "ssl_cert = <" + cert,
                                "ssl_key = <" + key,
                                "passdb {",
                                "  driver = static",
                                "  args = password=unused-by-the-test",
                                "}",
                                "userdb {",
                                "  driver = static",
                                "  args = uid=nobody gid=nogroup home=" + dir.resolve("home"),
                                "}",
                                "service imap-login {",
                                "  inet_listener imap {",
                                "    address = 127.0.0.1",
                                "    port = " + imapPort,
                                "  }",
                                "  inet_listener imaps {",
                                "    port = 0",
                                "  }",
                                "}",
                                "service pop3-login {",
                                "  inet_listener pop3 {",
                                "    address = 127.0.0.1",
                                "    port = " + pop3Port,
                                "  }",
                                "  inet_listener pop3s {",
                                "    port = 0",
                                "  }",
                                "}",
                                ""));
        SERVERS.add(
                launch(dir.resolve("dovecot.out"), dovecot, "-F", "-c", dovecotConf.toString()));
        // vsftpd's defaults (DES-CBC3-SHA only, and a refusal when no login kind is enabled) need
        // overriding.
        Path vsftpdConf =
                Files.writeString(
                        dir.resolve("vsftpd.conf"),
                        String.join(
                                "\n",
                                "listen=YES",
                                "listen_ipv6=NO",
                                "listen_address=127.0.0.1",
                                "listen_port=" + ftpPort,
                                "background=NO",
                                "anonymous_enable=NO",
                                "local_enable=YES",
                                "ssl_enable=YES",
                                "ssl_ciphers=HIGH",
                                "rsa_cert_file=" + cert,
                                "rsa_private_key_file=" + key,
                                "seccomp_sandbox=NO",
                                "pasv_enable=NO",
                                "xferlog_enable=NO",
                                ""));
        SERVERS.add(launch(dir.resolve("vsftpd.out"), vsftpd, vsftpdConf.toString()));
        for (int port : new int[] {imapPort, pop3Port, ftpPort}) {
            awaitGreeting(port);
        }

        List<String> records = new ArrayList<>();
        for (String[] s :
                new String[][] {
                    {"imap", "" + imapPort}, {"pop", "" + pop3Port}, {"ftp", "" + ftpPort}
                }) {
            int port = Integer.parseInt(s[1]);
            records.add(s[0] + " A 127.0.0.1");
            records.add(
                    TlsaRecords.line(
                            s[0] + ".example.test.",
                            port,
                            "tcp",
                            TlsaRecords.create(
                                    id.cert(),
                                    CertUsage.DANE_EE,
                                    Selector.SPKI,
                                    MatchingType.SHA2_256)));
            records.add("wrong" + s[0] + " A 127.0.0.1");
            records.add(
                    TlsaRecords.line(
                            "wrong" + s[0] + ".example.test.",
                            port,
                            "tcp",
                            TlsaRecords.create(
                                    impostor.cert(),
                                    CertUsage.DANE_EE,
                                    Selector.SPKI,
                                    MatchingType.SHA2_256)));
        }
        world =
                World.builder()
                        .zone("test.")
                        .zone("example.test.", z -> records.forEach(z::record))
                        .start();
        server = "127.0.0.1:" + world.address().getPort();
        anchor = world.writeTrustAnchors(dir.resolve("root.anchor")).toString();
    }

    @AfterAll
    static void stop() throws Exception {
        if (world != null) {
            world.close();
        }
        for (Process p : SERVERS) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"imap, imap", "pop3, pop", "ftp, ftp"})
    void theRealServersCertificateMatchesItsTlsaRecordAfterStarttls(String protocol, String host)
            throws Exception {
        Cli r =
                Cli.run(
                        "--server",
                        server,
                        "--anchor",
                        anchor,
                        "tlsa",
                        "--verify",
                        "--starttls",
                        protocol,
                        "--port",
                        Integer.toString(port(protocol)),
                        host + ".example.test");
        assertEquals(0, r.exit(), () -> r + "\n" + logs());
        assertTrue(
                r.out()
                        .startsWith(
                                "SUCCESS (usage 3 [DANE-EE]) the certificate offered by 127.0.0.1:"
                                        + port(protocol)),
                r::toString);
    }

    @ParameterizedTest(name = "{0} on wrong{1}")
    @CsvSource({"imap, imap", "pop3, pop", "ftp, ftp"})
    void aTlsaRecordNamingAnotherKeyFailsAfterStarttls(String protocol, String host)
            throws Exception {
        Cli r =
                Cli.run(
                        "--server",
                        server,
                        "--anchor",
                        anchor,
                        "tlsa",
                        "--verify",
                        "--starttls",
                        protocol,
                        "--port",
                        Integer.toString(port(protocol)),
                        "wrong" + host + ".example.test");
        assertEquals(2, r.exit(), () -> r + "\n" + logs());
        assertTrue(r.out().startsWith("FAIL"), r::toString);
    }

    private static int port(String protocol) {
        return switch (protocol) {
            case "imap" -> imapPort;
            case "pop3" -> pop3Port;
            default -> ftpPort;
        };
    }

    /** The servers' logs, for failure messages. */
    private static String logs() {
        StringBuilder sb = new StringBuilder();
        for (String f : new String[] {"dovecot.out", "dovecot.log", "vsftpd.out"}) {
            Path p = dir.resolve(f);
            try {
                if (Files.exists(p)) {
                    sb.append("--- ").append(f).append('\n').append(Files.readString(p));
                }
            } catch (IOException e) {
                sb.append("--- ")
                        .append(f)
                        .append(" unreadable: ")
                        .append(e.getMessage())
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static Path pem(Path file, String label, byte[] der) throws IOException {
        return Files.writeString(
                file,
                "-----BEGIN "
                        + label
                        + "-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                        + "\n-----END "
                        + label
                        + "-----\n");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Process launch(Path output, String... command) throws IOException {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    /** Waits (10 s at most) until the server on {@code port} sends its greeting. */
    private static void awaitGreeting(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                if (in.read() >= 0) {
                    return;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "no server greeting on 127.0.0.1:" + port + " within 10 s\n" + logs(),
                            notYet);
                }
            }
            Thread.sleep(100);
        }
    }
}
