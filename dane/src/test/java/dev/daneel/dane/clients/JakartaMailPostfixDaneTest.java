package dev.daneel.dane.clients;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.dane.DaneTrustManager;
import dev.daneel.testkit.HostsFile;
import dev.daneel.testkit.Pki;
import dev.daneel.testkit.PostfixLayout;
import dev.daneel.testkit.RealTools;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DaneTrustManager} as Jakarta Mail's STARTTLS socket factory, sending to a real Postfix
 * {@code smtpd} on 127.0.0.6 (a private master, stopped by its process id afterwards) whose
 * certificate (from a testkit {@link Pki}) the TLSA records in a testkit world name or not. The
 * mail host names reach 127.0.0.6 through the JDK's resolver and a {@link HostsFile}. Needs Postfix
 * and root; without them the test skips, and fails under {@code CI=true}.
 */
class JakartaMailPostfixDaneTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Path MASTER = Path.of("/usr/lib/postfix/sbin/master");
    private static final String IP = "127.0.0.6";

    /** How long Postfix may take to start listening; only a readiness bound, never asserted on. */
    private static final Duration STARTUP = Duration.ofSeconds(60);

    /** Jakarta Mail's connect and read timeouts; readiness bounds on loopback. */
    private static final String SMTP_TIMEOUT_MILLIS = "20000";

    private static final Pki PKI = Pki.create(NOW);
    private static final Pki.Issued CA = PKI.intermediate("Mail Test CA");

    /** Postfix's certificate: every test name is in it, so only DANE (or PKIX) decides. */
    private static final Pki.Issued MX =
            PKI.leaf(CA, "mx.mail.test", "impostor.mail.test", "none.mail.test");

    /** The key the records for impostor.mail.test name, which Postfix does not have. */
    private static final Pki.Issued GENUINE = PKI.selfSigned("impostor.mail.test");

    @TempDir static Path dir;
    private static Optional<ProcessHandle> master = Optional.empty();
    private static int port;
    private static World world;
    private static ValidatingResolver resolver;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                System.getProperty(HostsFile.PROPERTY) != null,
                "runs in the surefire execution "
                        + "'clients', whose JVM has -Djdk.net.hosts.file (a -Dtest filter also selects it in default-test, which has not)");
        if (!Files.isExecutable(MASTER)) {
            RealTools.unavailable("Postfix is not installed (scripts/interop-deps installs it)");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            RealTools.unavailable("Postfix's master must start as root");
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(IP), 0));
            port = probe.getLocalPort();
        }
        writeConfiguration();
        Process p =
                new ProcessBuilder(MASTER.toString(), "-c", dir.resolve("conf").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("master.out").toFile())
                        .start();
        // Without -d the master stays in the foreground of its own session: this process is the
        // master.
        master = Optional.of(p.toHandle());
        awaitListening();
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone(
                                "mail.test.",
                                z ->
                                        z.record(MX.tlsaLine(port, "mx", 3, 1, 1))
                                                .record(
                                                        GENUINE.tlsaLine(
                                                                port, "impostor", 3, 1, 1)))
                        .start();
        resolver =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .build();
        HostsFile hosts = HostsFile.ofThisJvm();
        for (String name : List.of("mx", "impostor", "none")) {
            hosts.add(name + ".mail.test", IP);
        }
        hosts.write();
    }

    private static void writeConfiguration() throws IOException {
        PostfixLayout layout = PostfixLayout.create(dir);
        Path conf = layout.conf();
        // smtpd_tls_chain_files: the key, then the certificate chain, leaf first (PEM written by
        // Bouncy Castle).
        Files.writeString(conf.resolve("chain.pem"), MX.privateKeyPem() + MX.chainPem());
        List<String> main = new ArrayList<>(layout.mainCf(dir));
        main.addAll(
                List.of(
                        "myhostname = mx.mail.test",
                        "inet_interfaces = all",
                        "mydestination =",
                        "mynetworks = 127.0.0.0/8",
                        "alias_maps =",
                        "alias_database =",
                        "smtpd_tls_security_level = may",
                        "smtpd_tls_loglevel = 1",
                        "smtpd_tls_chain_files = " + conf.resolve("chain.pem"),
                        // Accepted mail is delivered to Postfix's discard agent: nothing leaves the
                        // test instance.
                        "default_transport = discard:test instance",
                        ""));
        Files.writeString(
                conf.resolve("main.cf"), String.join("\n", main), StandardCharsets.US_ASCII);
        List<String> masterCf =
                new ArrayList<>(
                        List.of(
                                IP + ":" + port + " inet n - n - - smtpd",
                                "tlsmgr unix - - n 1000? 1 tlsmgr",
                                "discard unix - - n - - discard"));
        masterCf.addAll(PostfixLayout.INTERNAL_SERVICES);
        masterCf.add("");
        Files.writeString(
                conf.resolve("master.cf"), String.join("\n", masterCf), StandardCharsets.US_ASCII);
    }

    private static void awaitListening() throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName(IP), port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "Postfix did not listen on "
                                    + IP
                                    + ":"
                                    + port
                                    + "; its log:\n"
                                    + log()
                                    + Files.readString(dir.resolve("master.out")));
                }
                Thread.sleep(100);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (resolver != null) {
            resolver.close();
        }
        if (world != null) {
            world.close();
        }
        // SIGTERM to our own master by its id; it stops the daemons it started.
        master.ifPresent(
                h -> {
                    h.destroy();
                    h.onExit()
                            .toCompletableFuture()
                            .orTimeout(30, TimeUnit.SECONDS)
                            .exceptionally(t -> h)
                            .join();
                });
    }

    private static String log() {
        try {
            return Files.exists(dir.resolve("maillog"))
                    ? Files.readString(dir.resolve("maillog"))
                    : "(no maillog)";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * Sends one message through {@code host} with STARTTLS required, trusting through {@code dane};
     * returns Postfix's queue ID from its {@code 250 ... queued as ID} reply.
     */
    private static String send(DaneTrustManager dane, String host) throws MessagingException {
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", String.valueOf(port));
        p.put("mail.smtp.localhost", "client.test");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.socketFactory", dane.sslContext().getSocketFactory());
        p.put("mail.smtp.connectiontimeout", SMTP_TIMEOUT_MILLIS);
        p.put("mail.smtp.timeout", SMTP_TIMEOUT_MILLIS);
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("alice@client.test"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@elsewhere.test"));
        m.setSubject("dane");
        m.setText("hello over DANE-authenticated STARTTLS\n");
        m.saveChanges();
        try (SMTPTransport t = (SMTPTransport) session.getTransport("smtp")) {
            t.connect();
            t.sendMessage(m, m.getAllRecipients());
            String reply = t.getLastServerResponse();
            int at = reply.indexOf("queued as ");
            if (at < 0) {
                throw new AssertionError(
                        "expected Postfix's \"250 ... queued as ID\" reply, got " + reply);
            }
            return reply.substring(at + "queued as ".length()).trim();
        }
    }

    private static CertificateException rejected(DaneTrustManager dane, String host) {
        MessagingException e =
                assertThrows(
                        MessagingException.class, () -> send(dane, host), "sent through " + host);
        return DaneClientScenarios.certificateException(e)
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "expected the trust manager's CertificateException among the causes of "
                                                + e
                                                + "\n"
                                                + log(),
                                        e));
    }

    private static DaneTrustManager requireDane() {
        return DaneTrustManager.builder(resolver).clock(CLOCK).requireDane().build();
    }

    /**
     * Postfix logged the message {@code queueId} as received by an smtpd process that had a TLS
     * session.
     */
    private static void assertReceivedOverTls(String queueId) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        Pattern client =
                Pattern.compile("(smtpd\\[\\d+\\]): " + Pattern.quote(queueId) + ": client=");
        while (true) {
            String log = log();
            Matcher m = client.matcher(log);
            if (m.find()) {
                String process = m.group(1);
                assertTrue(
                        log.lines()
                                .anyMatch(
                                        l ->
                                                l.contains(process)
                                                        && l.contains(
                                                                "TLS connection established from")),
                        "expected " + process + " to log its TLS session; the log:\n" + log);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "Postfix did not log the message " + queueId + "; its log:\n" + log);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void postfixNamedByItsTlsaRecordReceivesTheMessage() throws Exception {
        assertReceivedOverTls(send(requireDane(), "mx.mail.test"));
    }

    @Test
    void postfixWhoseKeyIsNotTheOneTheRecordsNameIsRefusedBeforeAnyMailIsSent() {
        CertificateException e = rejected(requireDane(), "impostor.mail.test");
        assertTrue(
                e.getMessage()
                        .contains("none of the 1 usable TLSA records matches the presented chain"),
                e.getMessage());
    }

    @Test
    void noTlsaRecordsWithRequireDaneIsRefused() {
        CertificateException e = rejected(requireDane(), "none.mail.test");
        assertTrue(e.getMessage().contains("DANE is required"), e.getMessage());
    }

    @Test
    void noTlsaRecordsWithoutRequireDaneFallsBackToPkix() throws Exception {
        assertReceivedOverTls(
                send(
                        DaneTrustManager.builder(resolver)
                                .clock(CLOCK)
                                .fallback(PKI.pkixTrustManager())
                                .build(),
                        "none.mail.test"));
        DaneTrustManager strangers =
                DaneTrustManager.builder(resolver)
                        .clock(CLOCK)
                        .fallback(Pki.create(NOW).pkixTrustManager())
                        .build();
        assertThrows(MessagingException.class, () -> send(strangers, "none.mail.test"));
    }
}
