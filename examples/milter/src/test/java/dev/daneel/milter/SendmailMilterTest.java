package dev.daneel.milter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.GnuPgHome;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The milter behind a real Sendmail 8.17 (Debian's packages unpacked, never installed; see {@link
 * SendmailHarness}) hooked in with exactly the documented {@code INPUT_MAIL_FILTER} line:
 * encryption that GnuPG undoes, the queue ID from Sendmail's macros in the log, opportunistic
 * plaintext with its header, tempfail on Bogus DNSSEC, the lowercased-name fallback, a Bcc
 * recipient's thrown key ID, the size limit after encryption, and mail encrypted as a whole left
 * alone. Debian's Sendmail is built without SMTPUTF8 (no {@code USE_EAI}), so UTF-8 addresses are
 * tested with Postfix only.
 */
class SendmailMilterTest {

    static final String ANN = "ann@corp.test";
    static final String ALICE = "alice@keys.test";
    static final String FRANK = "frank@keys.test";
    static final String HUGH = "hugh@keys.test";
    static final String CAROL = "carol@keys.test";
    static final String EVE = "eve@bogus.test";
    static final Duration DELIVERY = Duration.ofSeconds(90);

    @TempDir static Path dir;
    static GnuPgHome gpg;
    static World world;
    static ValidatingResolver resolver;
    static OpenPgpKeyMilter milter;
    static SmtpSink sink;
    static SendmailHarness sendmail;
    static final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        SendmailHarness.require();
        gpg = GnuPgHome.create();
        for (String uid :
                List.of("Alice <" + ALICE + ">", "Frank <" + FRANK + ">", "Hugh <" + HUGH + ">")) {
            gpg.generate(uid);
        }
        byte[] alice = gpg.export(ALICE);
        byte[] frank = gpg.export(FRANK);
        byte[] hugh = gpg.export(HUGH);
        world =
                World.builder()
                        .zone("test.")
                        .zone(
                                "keys.test.",
                                z ->
                                        z.openpgpkey(ALICE, alice)
                                                .openpgpkey(FRANK, frank)
                                                .openpgpkey(HUGH, hugh))
                        .zone(
                                "bogus.test.",
                                z -> z.openpgpkey(EVE, alice).breakAll(Breakage.EXPIRED_SIGNATURES))
                        .start();
        world.signAll();
        world.writeTrustAnchors(dir.resolve("anchors.txt"));
        Files.writeString(
                dir.resolve("milter.conf"),
                String.join(
                        "\n",
                        "listen = inet:0@127.0.0.1",
                        "upstream = 127.0.0.1:" + world.address().getPort(),
                        "anchors = anchors.txt",
                        "dns-timeout = 1.5",
                        "lookup-timeout = 5",
                        "mta-size-limit = 600000",
                        ""));
        MilterConfig config = MilterConfig.load(dir.resolve("milter.conf"));
        resolver = MilterMain.resolver(config, MilterMain.anchors(config));
        milter = OpenPgpKeyMilter.start(config, resolver, log::add);
        sink = new SmtpSink();
        sendmail =
                new SendmailHarness(
                        dir.resolve("sendmail"),
                        ((InetSocketAddress) milter.address()).getPort(),
                        sink.port());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (sendmail != null) {
                sendmail.close();
            }
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {sink, milter, resolver, world, gpg}) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    static String messageId() {
        return "<" + UUID.randomUUID() + "@corp.test>";
    }

    static String message(String id, String subject, String to, String contentType, String body) {
        return "From: Ann <"
                + ANN
                + ">\nTo: "
                + to
                + "\nSubject: "
                + subject
                + "\nMessage-ID: "
                + id
                + "\nDate: Sat, 21 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\nContent-Type: "
                + contentType
                + "\n\n"
                + body;
    }

    static String message(String id, String subject, String to, String body) {
        return message(id, subject, to, "text/plain; charset=utf-8", body);
    }

    static SmtpSubmit.Reply send(List<String> to, String message) throws Exception {
        return SmtpSubmit.send(sendmail.port(), ANN, to, message);
    }

    static SmtpSink.Delivered delivered(String id) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (sink.containing(id).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "Sendmail did not deliver "
                                + id
                                + "\nmilter log:\n"
                                + String.join("\n", log)
                                + "\nSendmail:\n"
                                + sendmail.output());
            }
            Thread.sleep(50);
        }
        List<SmtpSink.Delivered> d = sink.containing(id);
        assertEquals(1, d.size(), "delivered more than once: " + id);
        return d.get(0);
    }

    /** The milter's decision on the newest message whose recipients are exactly {@code to}. */
    static String lastDecisionFor(String to) {
        List<String> lines = log.stream().filter(l -> l.contains(" to=<" + to + "> ")).toList();
        assertFalse(lines.isEmpty(), "no decision for " + to + " in\n" + String.join("\n", log));
        return lines.get(lines.size() - 1);
    }

    static String headerOf(SmtpSink.Delivered d, String name) {
        String t = d.text();
        Matcher m =
                Pattern.compile("(?im)^" + Pattern.quote(name) + ": (.*(?:\r\n[ \t].*)*)")
                        .matcher(t.substring(0, t.indexOf("\r\n\r\n") + 2));
        return m.find() ? m.group(1).replaceAll("\r\n[ \t]+", " ") : null;
    }

    static String body(SmtpSink.Delivered d) {
        return d.text().substring(d.text().indexOf("\r\n\r\n") + 4);
    }

    static Path armored(SmtpSink.Delivered d) throws Exception {
        String b = body(d);
        int start = b.indexOf("-----BEGIN PGP MESSAGE-----");
        int end = b.indexOf("-----END PGP MESSAGE-----");
        assertTrue(start >= 0 && end > start, "not encrypted:\n" + d.text());
        Path f = Files.createTempFile(dir, "msg", ".asc");
        Files.writeString(f, b.substring(start, end + 25) + "\n", StandardCharsets.US_ASCII);
        return f;
    }

    @Test
    void secureRecipientGetsPgpMimeThatGpgDecryptsAndTheLogCarriesSendmailsQueueId()
            throws Exception {
        String id = messageId();
        SmtpSubmit.Reply r =
                send(List.of(ALICE), message(id, "Through Sendmail", ALICE, "Hello Alice.\n"));
        assertEquals(250, r.code(), r.text());
        SmtpSink.Delivered d = delivered(id);
        assertTrue(headerOf(d, "Content-Type").startsWith("multipart/encrypted;"), d.text());
        assertEquals("...", headerOf(d, "Subject"));
        assertFalse(d.text().contains("Hello Alice"), "plaintext leaked");
        Path msg = armored(d);
        assertEquals(
                Set.copyOf(gpg.encryptionSubkeyIds(ALICE)), Set.copyOf(gpg.recipientKeyIds(msg)));
        String inner = new String(gpg.gpg("--decrypt", msg.toString()), StandardCharsets.UTF_8);
        assertTrue(
                inner.contains("Subject: Through Sendmail\r\n")
                        && inner.endsWith("\r\n\r\nHello Alice.\r\n"),
                inner);
        String line = lastDecisionFor(ALICE);
        assertTrue(
                line.contains("decision=encrypted") && !line.contains("queue=- "),
                "Sendmail's queue ID (macro i): " + line);
        // Sendmail's reply names its queue ID too: the one in the log.
        Matcher q = Pattern.compile("queue=(\\S+) ").matcher(line);
        assertTrue(q.find() && r.text().contains(q.group(1)), r.text() + " / " + line);
    }

    @Test
    void keylessRecipientUnderOpportunisticGoesInClearWithTheReasonHeader() throws Exception {
        String id = messageId();
        assertEquals(
                250,
                send(List.of(ALICE, CAROL), message(id, "Both", ALICE + ", " + CAROL, "for both\n"))
                        .code());
        SmtpSink.Delivered d = delivered(id);
        assertEquals("for both\r\n", body(d));
        String why = headerOf(d, "X-Daneel-Encryption");
        assertTrue(why != null && why.contains(CAROL) && why.contains("no OPENPGPKEY record"), why);
    }

    @Test
    void bogusDnssecIsATempfailThatSendmailPassesToTheClient() throws Exception {
        String id = messageId();
        SmtpSubmit.Reply r = send(List.of(EVE), message(id, "Hi Eve", EVE, "x\n"));
        assertEquals(451, r.code(), r.text());
        assertTrue(r.text().contains("4.7.5") && r.text().contains(EVE), r.text());
        Thread.sleep(500);
        assertTrue(sink.containing(id).isEmpty());
    }

    @Test
    void upperCaseRecipientFindsTheLowercasedRecordAndBccKeyIdIsThrown() throws Exception {
        String id = messageId();
        SmtpSubmit.Reply r =
                send(
                        List.of("Hugh@Keys.TEST", FRANK),
                        message(id, "Case", "Hugh <Hugh@Keys.TEST>", "hi\n"));
        assertEquals(250, r.code(), r.text());
        Path msg = armored(delivered(id));
        List<String> ids = gpg.recipientKeyIds(msg);
        assertEquals(2, ids.size(), ids.toString());
        assertTrue(
                ids.containsAll(gpg.encryptionSubkeyIds(HUGH)) && ids.contains("0000000000000000"),
                ids.toString());
    }

    @Test
    void tooBigAfterEncryptionIs552AndAlreadyEncryptedMailIsLeftAlone() throws Exception {
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder noise = new StringBuilder();
        while (noise.length() < 550_000) {
            for (int i = 0; i < 76; i++) {
                noise.append((char) (0x21 + random.nextInt(94)));
            }
            noise.append('\n');
        }
        SmtpSubmit.Reply r =
                send(List.of(ALICE), message(messageId(), "Noise", ALICE, noise.toString()));
        assertEquals(552, r.code(), r.text());
        assertTrue(r.text().contains("5.3.4") && r.text().contains("after encryption"), r.text());

        String id = messageId();
        String sealed =
                "\n-----BEGIN PGP MESSAGE-----\n\nhQEMA8/inline\n-----END PGP MESSAGE-----\n";
        assertEquals(
                250,
                send(
                                List.of(ALICE),
                                message(
                                        id,
                                        "Sealed",
                                        ALICE,
                                        "text/plain; charset=us-ascii",
                                        sealed))
                        .code());
        assertEquals(sealed.replace("\n", "\r\n"), body(delivered(id)));
    }
}
