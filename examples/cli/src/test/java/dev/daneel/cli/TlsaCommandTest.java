package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.dane.CertUsage;
import dev.daneel.dane.MatchingType;
import dev.daneel.dane.Selector;
import dev.daneel.dane.TlsaRecords;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Type;

/**
 * {@code daneel tlsa --create/--verify}: lines equal to hash-slinger, live servers on loopback,
 * exit codes.
 */
class TlsaCommandTest {

    @TempDir static Path dir;
    private static World world;
    private static String server;
    private static String anchor;
    private static DemoTls.Identity good;
    private static DemoTls.Identity other;
    private static DemoTls.Server goodServer;
    private static DemoTls.Server otherServer;
    private static Path certFile;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        good = DemoTls.selfSigned("www.example.test", Instant.now());
        other = DemoTls.selfSigned("www.example.test", Instant.now());
        goodServer = new DemoTls.Server(good);
        otherServer = new DemoTls.Server(other);
        port = goodServer.port();
        String line =
                TlsaRecords.line(
                        "www.example.test.",
                        port,
                        "tcp",
                        TlsaRecords.create(
                                good.cert(),
                                CertUsage.DANE_EE,
                                Selector.SPKI,
                                MatchingType.SHA2_256));
        String line25 =
                TlsaRecords.line(
                        "mail.example.test.",
                        25,
                        "tcp",
                        TlsaRecords.create(
                                good.cert(),
                                CertUsage.DANE_EE,
                                Selector.SPKI,
                                MatchingType.SHA2_256));
        world =
                World.builder()
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z ->
                                        z.record(line)
                                                .record(line25)
                                                .record("www A 127.0.0.1")
                                                .record("none A 127.0.0.1"))
                        .zone(
                                "unsigned.test.",
                                z ->
                                        z.unsigned()
                                                .record(
                                                        line.replace(
                                                                "example.test.", "unsigned.test.")))
                        .zone(
                                "broken.test.",
                                z ->
                                        z.record(line.replace("example.test.", "broken.test."))
                                                .breakRRset(
                                                        "_" + port + "._tcp.www",
                                                        Type.TLSA,
                                                        Breakage.EXPIRED_SIGNATURES))
                        .start();
        server = "127.0.0.1:" + world.address().getPort();
        anchor = world.writeTrustAnchors(dir.resolve("root.anchor")).toString();
        certFile = writePem(dir.resolve("good.pem"), good.cert().getEncoded());
    }

    @AfterAll
    static void stop() throws Exception {
        world.close();
        goodServer.close();
        otherServer.close();
    }

    static Path writePem(Path file, byte[] der) throws Exception {
        return Files.writeString(
                file,
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                        + "\n-----END CERTIFICATE-----\n");
    }

    private static Cli verify(String host, String... more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--server",
                                server,
                                "--anchor",
                                anchor,
                                "tlsa",
                                "--verify",
                                "--port",
                                Integer.toString(port)));
        a.addAll(List.of(more));
        a.add(host);
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void liveServerMatchesItsRecordExitZero() {
        Cli r = verify("www.example.test", "--connect", "127.0.0.1:" + port);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out()
                        .startsWith(
                                "SUCCESS (usage 3 [DANE-EE]) the certificate offered by 127.0.0.1:"
                                        + port
                                        + " matches _"
                                        + port
                                        + "._tcp.www.example.test. TLSA 3 1 1 "),
                r::toString);
    }

    @Test
    void addressComesFromTheValidatedARecordWithoutConnect() {
        Cli r = verify("www.example.test");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("SUCCESS "), r::toString);
    }

    @Test
    void connectWithoutPortDialsTheServicePort() {
        Cli r = verify("www.example.test", "--connect", "127.0.0.1");
        assertEquals(0, r.exit(), r::toString);
    }

    @Test
    void impostorCertificateFailsExitTwo() {
        Cli r = verify("www.example.test", "--connect", "127.0.0.1:" + otherServer.port());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(
                r.out()
                        .startsWith(
                                "FAIL (usage 3 [DANE-EE]) _"
                                        + port
                                        + "._tcp.www.example.test. TLSA 3 1 1 "),
                r::toString);
        assertTrue(r.out().contains("NO_MATCH"), r::toString);
    }

    @Test
    void verifyJson() {
        Cli r = verify("www.example.test", "--connect", "127.0.0.1:" + port, "--json");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(
                r.out()
                        .startsWith(
                                "{\"owner\":\"_"
                                        + port
                                        + "._tcp.www.example.test.\",\"status\":\"match\",\"results\":[\"SUCCESS"),
                r::toString);
    }

    @Test
    void noTlsaRecordsIsProvenAbsenceExitFour() {
        Cli r = verify("none.example.test", "--connect", "127.0.0.1:" + port);
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.out().startsWith("FAIL "), r::toString);
    }

    @Test
    void unsignedTlsaIsInsecureExitThree() {
        Cli r = verify("www.unsigned.test", "--connect", "127.0.0.1:" + port);
        assertEquals(3, r.exit(), r::toString);
    }

    @Test
    void bogusTlsaExitsTwoWithoutConnecting() {
        Cli r = verify("www.broken.test", "--connect", "127.0.0.1:1");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("bogus (SIGNATURE_EXPIRED)"), r::toString);
    }

    @Test
    void unreachableServerIsAnErrorOnStderr() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Cli r = verify("www.example.test", "--connect", "127.0.0.1:" + closed);
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("daneel tlsa: "), r::toString);
    }

    @Test
    void smtpStarttlsIsChosenByPort25() throws Exception {
        SSLContext ctx = tlsContext(good);
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> fakeSmtp(ss, ctx));
            t.setDaemon(true);
            t.start();
            Cli r =
                    Cli.run(
                            "--server",
                            server,
                            "--anchor",
                            anchor,
                            "tlsa",
                            "--verify",
                            "--port",
                            "25",
                            "--connect",
                            "127.0.0.1:" + ss.getLocalPort(),
                            "mail.example.test");
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().startsWith("SUCCESS (usage 3 [DANE-EE])"), r::toString);
        }
    }

    private static void fakeSmtp(ServerSocket ss, SSLContext ctx) {
        try (Socket s = ss.accept()) {
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            out.write(
                    "220-mail.example.test ESMTP\r\n220 ready\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            in.readLine();
            out.write(
                    "250-mail.example.test\r\n250 STARTTLS\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            in.readLine();
            out.write("220 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try (SSLSocket tls =
                    (SSLSocket) ctx.getSocketFactory().createSocket(s, null, s.getPort(), false)) {
                tls.setUseClientMode(false);
                tls.startHandshake();
            }
        } catch (Exception e) {
            // the test's assertions report what went wrong
        }
    }

    private static SSLContext tlsContext(DemoTls.Identity id) throws Exception {
        char[] pw = "t".toCharArray();
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, pw);
        ks.setKeyEntry(
                "k",
                id.keys().getPrivate(),
                pw,
                new java.security.cert.X509Certificate[] {id.cert()});
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, pw);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    @Test
    void createDefaultsAreHashSlingers() {
        Cli r =
                Cli.run(
                        "tlsa",
                        "--create",
                        "--certificate",
                        certFile.toString(),
                        "www.example.test");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("_443._tcp.www.example.test. IN TLSA 3 0 1 "), r::toString);
    }

    @Test
    void createGenericAndBothAndJson() {
        Cli g =
                Cli.run(
                        "tlsa",
                        "--create",
                        "--output",
                        "generic",
                        "--certificate",
                        certFile.toString(),
                        "h.test");
        assertTrue(g.out().startsWith("_443._tcp.h.test. IN TYPE52 \\# 35 030001"), g::toString);
        Cli b =
                Cli.run(
                        "tlsa",
                        "--create",
                        "-o",
                        "both",
                        "--certificate",
                        certFile.toString(),
                        "h.test");
        assertEquals(2, b.out().split("\n").length, b::toString);
        Cli j =
                Cli.run(
                        "--json",
                        "tlsa",
                        "--create",
                        "--protocol",
                        "udp",
                        "-p",
                        "853",
                        "--certificate",
                        certFile.toString(),
                        "h.test");
        assertTrue(
                j.out()
                        .startsWith(
                                "{\"owner\":\"_853._udp.h.test.\",\"records\":[\"_853._udp.h.test. IN TLSA 3 0 1 "),
                j::toString);
    }

    @Test
    void usageErrorsNameTheArgument() {
        String[][] cases = {
            {
                "--usage must be 0, 1, 2 or 3, got 7",
                "tlsa",
                "--create",
                "--usage",
                "7",
                "--certificate",
                certFile.toString(),
                "h"
            },
            {
                "--selector must be 0 or 1, got 2",
                "tlsa",
                "--create",
                "--selector",
                "2",
                "--certificate",
                certFile.toString(),
                "h"
            },
            {
                "--mtype must be 0, 1 or 2, got 9",
                "tlsa",
                "--create",
                "--mtype",
                "9",
                "--certificate",
                certFile.toString(),
                "h"
            },
            {
                "--protocol must be tcp, udp or sctp",
                "tlsa",
                "--create",
                "--protocol",
                "quic",
                "--certificate",
                certFile.toString(),
                "h"
            },
            {
                "--output must be rfc, generic or both",
                "tlsa",
                "--create",
                "-o",
                "xml",
                "--certificate",
                certFile.toString(),
                "h"
            },
            {"--create needs --certificate FILE", "tlsa", "--create", "h"},
            {
                "--certificate: cannot read",
                "tlsa",
                "--create",
                "--certificate",
                "/nonexistent/cert.pem",
                "h"
            },
            {
                "--verify connects over TLS on TCP only",
                "--server",
                "127.0.0.1:1",
                "tlsa",
                "--verify",
                "--protocol",
                "udp",
                "h"
            },
            {
                "--starttls must be smtp, imap, pop3, ftp or none",
                "--server",
                "127.0.0.1:1",
                "tlsa",
                "--verify",
                "--starttls",
                "xmpp",
                "h"
            },
        };
        for (String[] c : cases) {
            Cli r = Cli.run(java.util.Arrays.copyOfRange(c, 1, c.length));
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.err().contains(c[0]), c[0] + " in " + r);
        }
    }

    @ParameterizedTest(name = "usage {0} selector {1} mtype {2}")
    @CsvSource({"3, 0, 1", "3, 1, 1", "3, 1, 2", "1, 0, 0", "2, 1, 1"})
    void createEqualsHashSlingerTlsaCreate(int usage, int selector, int mtype) throws Exception {
        String tlsa = Tools.require("tlsa", "hash-slinger");
        for (String form : new String[] {"rfc", "generic"}) {
            String theirs =
                    Tools.run(
                            dir,
                            tlsa,
                            "--create",
                            "--certificate",
                            certFile.toString(),
                            "--port",
                            "8443",
                            "--usage",
                            Integer.toString(usage),
                            "--selector",
                            Integer.toString(selector),
                            "--mtype",
                            Integer.toString(mtype),
                            "--output",
                            form,
                            "www.example.test");
            Cli ours =
                    Cli.run(
                            "tlsa",
                            "--create",
                            "--certificate",
                            certFile.toString(),
                            "--port",
                            "8443",
                            "--usage",
                            Integer.toString(usage),
                            "--selector",
                            Integer.toString(selector),
                            "--mtype",
                            Integer.toString(mtype),
                            "--output",
                            form,
                            "www.example.test");
            assertEquals(0, ours.exit(), ours::toString);
            assertEquals(normalized(theirs), normalized(ours.out()), form);
        }
    }

    private static TreeSet<String> normalized(String text) {
        TreeSet<String> out = new TreeSet<>();
        text.lines()
                .filter(l -> l.contains(" IN "))
                .forEach(l -> out.add(l.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT)));
        return out;
    }
}
