package dev.daneel.milter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.openpgpkey.OpenPgpKeyName;
import dev.daneel.testkit.GnuPgHome;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Odd but ordinary mail through a real Postfix and the milter: SMTPUTF8 addresses, upper-case
 * addresses whose keys are published under the lowercased name (as {@code gpg --export-dane} and
 * hash-slinger publish them), duplicate recipients, Bcc recipients whose key IDs must not show,
 * messages near Postfix's size limit, and mail that merely looks encrypted. Keys are made by real
 * GnuPG and decrypted by it.
 *
 * <p>Three milters: {@code default} (opportunistic, every default setting, 10 MiB cap), {@code
 * require-small} (require, {@code hide-recipients = all}, {@code mta-size-limit = 600000}) and
 * {@code opportunistic-small} ({@code hide-recipients = none}, {@code lowercase-fallback = false},
 * {@code mta-size-limit = 600000}).
 */
class OddRealMailPostfixTest {

    static final String ANN = "ann@corp.test";
    static final String ALICE = "alice@keys.test"; // published under hash("alice")
    static final String FRANK = "frank@keys.test"; // the Bcc recipient
    static final String HUGH =
            "hugh@keys.test"; // user ID "Hugh <hugh@keys.test>", published lowercased
    static final String JOERG =
            "jörg@keys.test"; // SMTPUTF8 local part, user ID "Jörg <jörg@keys.test>"
    static final String CAROL = "carol@keys.test"; // no record
    static final java.time.Duration DELIVERY = java.time.Duration.ofSeconds(120);

    @TempDir static Path dir;
    static GnuPgHome gpg;

    /** Holds Frank's secret key only: what Frank's own GnuPG can decrypt. */
    static GnuPgHome frankOnly;

    static World world;
    static ValidatingResolver resolver;
    static final List<OpenPgpKeyMilter> milters = new ArrayList<>();
    static SmtpSink sink;
    static PostfixHarness postfix;
    static final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        PostfixHarness.require();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        gpg = GnuPgHome.create();
        for (String uid :
                List.of("Alice <" + ALICE + ">", "Frank <" + FRANK + ">", "Hugh <" + HUGH + ">")) {
            gpg.generate(uid);
        }
        generateUtf8(gpg, "Jörg", JOERG);
        frankOnly = GnuPgHome.create();
        Path frankSecret = dir.resolve("frank.sec");
        Files.write(frankSecret, gpg.gpg("--export-secret-keys", FRANK));
        frankOnly.gpg("--import", frankSecret.toString());
        byte[] alice = gpg.export(ALICE);
        byte[] frank = gpg.export(FRANK);
        byte[] hugh = gpg.export(HUGH);
        byte[] joerg = gpg.export(fingerprintOf(JOERG));
        world =
                World.builder()
                        .zone("test.")
                        .zone(
                                "keys.test.",
                                z ->
                                        z.openpgpkey(ALICE, alice)
                                                .openpgpkey(FRANK, frank)
                                                // gpg --export-options export-dane names the record
                                                // after the lowercased local part
                                                .openpgpkey("hugh@keys.test", hugh)
                                                .openpgpkey(JOERG, joerg))
                        .start();
        world.signAll();
        world.writeTrustAnchors(dir.resolve("anchors.txt"));
        String common =
                String.join(
                        "\n",
                        "listen = inet:0@127.0.0.1",
                        "upstream = 127.0.0.1:" + world.address().getPort(),
                        "anchors = anchors.txt",
                        "dns-timeout = 1.5",
                        "lookup-timeout = 10",
                        "max-message-size = 10M",
                        "");
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("default", common);
        configs.put(
                "require-small",
                common + "policy = require\nhide-recipients = all\nmta-size-limit = 600000\n");
        configs.put(
                "opportunistic-small",
                common
                        + "hide-recipients = none\nlowercase-fallback = false\n"
                        + "mta-size-limit = 600000\n");
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Map.Entry<String, String> c : configs.entrySet()) {
            Path f = dir.resolve(c.getKey() + ".conf");
            Files.writeString(f, c.getValue());
            MilterConfig mc = MilterConfig.load(f);
            if (resolver == null) {
                resolver = MilterMain.resolver(mc, MilterMain.anchors(mc));
            }
            OpenPgpKeyMilter m = OpenPgpKeyMilter.start(mc, resolver, log::add);
            milters.add(m);
            ports.put(c.getKey(), ((InetSocketAddress) m.address()).getPort());
        }
        sink = new SmtpSink();
        postfix = new PostfixHarness(dir, ports, sink.port());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (postfix != null) {
                postfix.close();
            }
        } finally {
            List<AutoCloseable> all = new ArrayList<>(List.of(sink == null ? () -> {} : sink));
            all.addAll(milters);
            for (AutoCloseable c : new AutoCloseable[] {resolver, world, gpg, frankOnly}) {
                if (c != null) {
                    all.add(c);
                }
            }
            for (AutoCloseable c : all) {
                c.close();
            }
        }
    }

    /**
     * gpg --quick-gen-key takes the user ID as an argument; a parameter file carries UTF-8 whatever
     * the locale.
     */
    static void generateUtf8(GnuPgHome home, String name, String address) throws Exception {
        Path params = dir.resolve("params-" + UUID.randomUUID());
        Files.writeString(
                params,
                String.join(
                        "\n",
                        "Key-Type: eddsa",
                        "Key-Curve: ed25519",
                        "Key-Usage: sign",
                        "Subkey-Type: ecdh",
                        "Subkey-Curve: cv25519",
                        "Subkey-Usage: encrypt",
                        "Name-Real: " + name,
                        "Name-Email: " + address,
                        "Expire-Date: 0",
                        "%no-protection",
                        "%commit",
                        ""),
                StandardCharsets.UTF_8);
        home.gpg("--gen-key", params.toString());
    }

    static String fingerprintOf(String address) throws Exception {
        String colons = new String(gpg.gpg("--with-colons", "--list-keys"), StandardCharsets.UTF_8);
        String fpr = null;
        for (String line : colons.lines().toList()) {
            if (line.startsWith("pub:")) {
                fpr = null;
            } else if (line.startsWith("fpr:") && fpr == null) {
                fpr = line.split(":")[9];
            } else if (line.startsWith("uid:") && line.contains("<" + address + ">")) {
                return fpr;
            }
        }
        throw new AssertionError("no key for " + address + " in\n" + colons);
    }

    /**
     * Encryption subkey IDs of the key whose user ID holds {@code address} (found by fingerprint).
     */
    static Set<String> subkeyIds(String address) throws Exception {
        return Set.copyOf(gpg.encryptionSubkeyIds(fingerprintOf(address)));
    }

    // ---------------------------------------------------------------------------------------------
    // helpers (as in OpenPgpKeyMilterPostfixTest, on this class's Postfix)

    static String messageId() {
        return "<" + UUID.randomUUID() + "@corp.test>";
    }

    static String message(String id, String subject, String to, String contentType, String body) {
        return "From: Ann <"
                + ANN
                + ">\n"
                + "To: "
                + to
                + "\n"
                + "Subject: "
                + subject
                + "\n"
                + "Message-ID: "
                + id
                + "\n"
                + "Date: Sat, 21 Nov 2026 10:00:00 +0000\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: "
                + contentType
                + "\n"
                + "\n"
                + body;
    }

    static String message(String id, String subject, String to, String body) {
        return message(id, subject, to, "text/plain; charset=utf-8", body);
    }

    static SmtpSubmit.Reply send(String milter, List<String> to, String message) throws Exception {
        return SmtpSubmit.send(postfix.milterPort(milter), ANN, to, message);
    }

    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "gave up waiting for "
                                + what
                                + "\nmilter log:\n"
                                + String.join("\n", log)
                                + "\nPostfix log:\n"
                                + postfix.log());
            }
            Thread.sleep(50);
        }
    }

    static SmtpSink.Delivered delivered(String id) throws InterruptedException {
        await("delivery of " + id, () -> !sink.containing(id).isEmpty());
        List<SmtpSink.Delivered> d = sink.containing(id);
        assertEquals(1, d.size(), "delivered more than once: " + id);
        return d.get(0);
    }

    static String logLine(String id) throws InterruptedException {
        await("the milter's decision on " + id, () -> !decisions(id).isEmpty());
        return decisions(id).get(0);
    }

    private static List<String> decisions(String id) {
        Matcher m =
                Pattern.compile(
                                "postfix/cleanup\\[\\d+\\]: (\\w+): message-id="
                                        + Pattern.quote(id))
                        .matcher(postfix.log());
        List<String> queueIds = new ArrayList<>();
        while (m.find()) {
            queueIds.add(m.group(1));
        }
        return log.stream()
                .filter(l -> queueIds.stream().anyMatch(q -> l.contains("queue=" + q + " ")))
                .toList();
    }

    static String headerOf(SmtpSink.Delivered d, String name) {
        String t = d.text();
        Matcher m =
                Pattern.compile("(?im)^" + Pattern.quote(name) + ": (.*(?:\r\n[ \t].*)*)")
                        .matcher(t.substring(0, t.indexOf("\r\n\r\n") + 2));
        return m.find() ? m.group(1).replaceAll("\r\n[ \t]+", " ") : null;
    }

    static String body(SmtpSink.Delivered d) {
        String t = d.text();
        return t.substring(t.indexOf("\r\n\r\n") + 4);
    }

    static boolean isPgpMime(SmtpSink.Delivered d) {
        String type = headerOf(d, "Content-Type");
        return type != null
                && type.startsWith("multipart/encrypted;")
                && body(d).contains("-----BEGIN PGP MESSAGE-----");
    }

    static Path armored(SmtpSink.Delivered d) throws Exception {
        String b = body(d);
        int start = b.indexOf("-----BEGIN PGP MESSAGE-----");
        int end = b.indexOf("-----END PGP MESSAGE-----");
        assertTrue(
                start >= 0 && end > start,
                "no armored OpenPGP message in:\n" + b.substring(0, Math.min(b.length(), 2000)));
        Path f = Files.createTempFile(dir, "msg", ".asc");
        Files.writeString(f, b.substring(start, end + 25) + "\n", StandardCharsets.US_ASCII);
        return f;
    }

    static String packets(Path msg) throws Exception {
        return new String(gpg.gpg("--list-packets", msg.toString()), StandardCharsets.UTF_8);
    }

    /**
     * {@code gpg --decrypt} in {@code home}. A wildcard key ID makes gpg try each of its secret
     * keys on that packet; a key that does not fit is logged as an error and gpg exits 2 even
     * though the message then decrypts, so success is read from its status lines: DECRYPTION_OKAY
     * and GOODMDC (integrity checked).
     */
    static byte[] decrypt(GnuPgHome home, Path msg) throws Exception {
        Path err = Files.createTempFile(dir, "gpg", ".err");
        ProcessBuilder pb =
                new ProcessBuilder(
                        "gpg",
                        "--batch",
                        "--no-tty",
                        "--pinentry-mode",
                        "loopback",
                        "--passphrase",
                        "",
                        "--status-fd",
                        "2",
                        "--decrypt",
                        msg.toString());
        pb.environment().putAll(home.env());
        pb.redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "gpg --decrypt hung");
        String status = Files.readString(err, StandardCharsets.UTF_8);
        assertTrue(
                status.contains("[GNUPG:] DECRYPTION_OKAY")
                        && status.contains("[GNUPG:] GOODMDC")
                        && !status.contains("[GNUPG:] DECRYPTION_FAILED"),
                "gpg could not decrypt:\n" + status);
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // addresses

    @Test
    void smtpUtf8RecipientIsLookedUpUnderTheUtf8OwnerNameAndEncryptedTo() throws Exception {
        String id = messageId();
        String body = "Hallo Jörg,\n\nbis morgen.\n";
        SmtpSubmit.Reply r =
                send("default", List.of(JOERG), message(id, "Grüße aus Köln", JOERG, body));
        assertEquals(250, r.code(), r.text());
        SmtpSink.Delivered d = delivered(id);
        assertEquals(List.of(JOERG), d.recipients());
        assertTrue(isPgpMime(d), "not encrypted:\n" + d.text());
        Path msg = armored(d);
        assertEquals(subkeyIds(JOERG), Set.copyOf(gpg.recipientKeyIds(msg)));
        String inner = new String(decrypt(gpg, msg), StandardCharsets.UTF_8);
        // The RFC 6532 UTF-8 Subject travels inside as the octets sent, not re-read as Latin-1.
        assertTrue(inner.contains("\r\nSubject: Grüße aus Köln\r\n"), inner);
        assertTrue(inner.endsWith("\r\n\r\n" + body.replace("\n", "\r\n")), inner);
        String line = logLine(id);
        assertTrue(
                line.contains("to=<" + JOERG + ">") && line.contains("decision=encrypted"), line);
        assertTrue(
                world.server().log().count(OpenPgpKeyName.of(JOERG), Type.OPENPGPKEY) >= 1,
                "the UTF-8 owner name " + OpenPgpKeyName.of(JOERG) + " was never asked");
    }

    @Test
    void upperCaseAddressesFindKeysPublishedUnderTheLowercasedNameAndVariantsCollapse()
            throws Exception {
        String id = messageId();
        String upperAlice = "ALICE@keys.test";
        String mixedHugh = "Hugh@Keys.TEST";
        List<String> to = List.of(mixedHugh, upperAlice, ALICE, "alice@KEYS.test");
        long exactBefore =
                world.server().log().count(OpenPgpKeyName.of(upperAlice), Type.OPENPGPKEY);
        SmtpSubmit.Reply r =
                send("default", to, message(id, "Case", String.join(", ", to), "all of you\n"));
        assertEquals(250, r.code(), r.text());
        SmtpSink.Delivered d = delivered(id);
        assertTrue(
                isPgpMime(d),
                "a case variant among the recipients sent the message in clear:\n" + d.text());
        Path msg = armored(d);
        // One session key packet per distinct key: Alice's three spellings are one recipient.
        List<String> pkesk = gpg.recipientKeyIds(msg);
        assertEquals(2, pkesk.size(), packets(msg));
        assertEquals(union(subkeyIds(HUGH), subkeyIds(ALICE)), Set.copyOf(pkesk));
        assertTrue(
                new String(decrypt(gpg, msg), StandardCharsets.UTF_8).endsWith("all of you\r\n"));
        long exact =
                world.server().log().count(OpenPgpKeyName.of(upperAlice), Type.OPENPGPKEY)
                        - exactBefore;
        assertTrue(exact <= 1, exact + " queries for ALICE's exact owner name in one message");
        String line = logLine(id);
        assertTrue(line.contains("decision=encrypted") && line.contains("Hugh@keys.test:"), line);

        // Without the fallback, the RFC owner name alone is asked: Hugh has no key there.
        String id2 = messageId();
        r =
                send(
                        "opportunistic-small",
                        List.of(mixedHugh),
                        message(id2, "Case", mixedHugh, "plain\n"));
        assertEquals(250, r.code(), r.text());
        SmtpSink.Delivered d2 = delivered(id2);
        assertEquals("plain\r\n", body(d2));
        String why = headerOf(d2, "X-Daneel-Encryption");
        assertTrue(
                why != null && why.contains(mixedHugh) && why.contains("no OPENPGPKEY record"),
                why);
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    // ---------------------------------------------------------------------------------------------
    // hidden recipients

    @Test
    void bccRecipientsKeyIdIsThrownAndFrankStillDecryptsWithOnlyHisOwnKey() throws Exception {
        String id = messageId();
        SmtpSubmit.Reply r =
                send(
                        "default",
                        List.of(ALICE, FRANK),
                        message(id, "Board", "Alice <" + ALICE + ">", "minutes\n"));
        assertEquals(250, r.code(), r.text());
        SmtpSink.Delivered d = delivered(id);
        Path msg = armored(d);
        List<String> ids = gpg.recipientKeyIds(msg);
        assertEquals(2, ids.size(), packets(msg));
        assertTrue(ids.containsAll(subkeyIds(ALICE)), packets(msg));
        assertTrue(
                ids.contains("0000000000000000"), "Frank's key ID is not thrown:\n" + packets(msg));
        for (String frankKey : subkeyIds(FRANK)) {
            assertFalse(
                    ids.contains(frankKey) || d.text().contains(frankKey),
                    "Frank's key ID shows:\n" + packets(msg));
        }
        // Frank's GnuPG holds his secret key only: the wildcard packet is his to try.
        String inner = new String(decrypt(frankOnly, msg), StandardCharsets.UTF_8);
        assertTrue(inner.endsWith("\r\n\r\nminutes\r\n"), inner);
        String line = logLine(id);
        assertTrue(line.contains("(hidden)") && line.contains(FRANK + ":"), line);
        for (String sub : subkeyIds(FRANK)) {
            assertTrue(
                    line.contains("/" + sub + "(hidden)"),
                    "the log must name the subkey used: " + line);
        }
        for (String sub : subkeyIds(ALICE)) {
            assertTrue(line.contains(ALICE + ":") && line.contains("/" + sub), line);
        }
    }

    @Test
    void hideRecipientsAllThrowsEveryKeyIdAndNoneThrowsNone() throws Exception {
        String id = messageId();
        assertEquals(
                250,
                send(
                                "require-small",
                                List.of(ALICE, FRANK),
                                message(id, "All hidden", ALICE + ", " + FRANK, "x\n"))
                        .code());
        Path msg = armored(delivered(id));
        assertEquals(List.of("0000000000000000", "0000000000000000"), gpg.recipientKeyIds(msg));
        assertTrue(
                new String(decrypt(frankOnly, msg), StandardCharsets.UTF_8)
                        .endsWith("\r\n\r\nx\r\n"));

        String id2 = messageId();
        assertEquals(
                250,
                send(
                                "opportunistic-small",
                                List.of(ALICE, FRANK),
                                message(id2, "None hidden", ALICE, "y\n"))
                        .code());
        Path msg2 = armored(delivered(id2));
        assertEquals(
                union(subkeyIds(ALICE), subkeyIds(FRANK)), Set.copyOf(gpg.recipientKeyIds(msg2)));
    }

    // ---------------------------------------------------------------------------------------------
    // size

    @Test
    void sevenAndAHalfMebibyteMessageIsCompressedAndFitsPostfixsLimitEncrypted() throws Exception {
        String id = messageId();
        StringBuilder big = new StringBuilder(8 << 20);
        for (int i = 0; big.length() < 7_864_320; i++) {
            big.append("line ")
                    .append(i)
                    .append(": the quarterly ledger, account ")
                    .append(i * 7919 % 100_000)
                    .append('\n');
        }
        String body = big.toString();
        SmtpSubmit.Reply r = send("default", List.of(ALICE), message(id, "Ledger", ALICE, body));
        assertEquals(250, r.code(), r.text());
        SmtpSink.Delivered d = delivered(id);
        assertTrue(isPgpMime(d));
        assertTrue(
                d.data().length < MilterConfig.DEFAULT_MTA_SIZE_LIMIT, d.data().length + " octets");
        Path msg = armored(d);
        assertTrue(packets(msg).contains(":compressed packet: algo=2"), "not ZLIB-compressed");
        String inner = new String(decrypt(gpg, msg), StandardCharsets.UTF_8);
        assertEquals(
                body.replace("\n", "\r\n"),
                inner.substring(inner.indexOf("\r\n\r\n") + 4),
                "not byte-identical");
        assertTrue(logLine(id).contains("decision=encrypted"), logLine(id));
    }

    @Test
    void messageTooBigOnceEncryptedIsRefusedWith552AfterEncryptionUnderBothPolicies()
            throws Exception {
        // 94 printable characters at random hardly compress, and armor adds a third: 550 kB grows
        // past 600,000.
        SecureRandom random = new SecureRandom();
        StringBuilder noise = new StringBuilder();
        while (noise.length() < 550_000) {
            for (int i = 0; i < 76; i++) {
                noise.append((char) (0x21 + random.nextInt(94)));
            }
            noise.append('\n');
        }
        for (String milter : List.of("require-small", "opportunistic-small")) {
            String id = messageId();
            SmtpSubmit.Reply r =
                    send(milter, List.of(ALICE), message(id, "Noise", ALICE, noise.toString()));
            assertEquals(552, r.code(), milter + ": " + r.text());
            assertTrue(
                    r.text().contains("5.3.4")
                            && r.text().contains("after encryption")
                            && r.text().contains("600000"),
                    r.text());
            String line = logLine(id);
            assertTrue(
                    line.contains("decision=rejected") && line.contains("after encryption"), line);
            assertFalse(line.contains("decision=encrypted"), line);
            Thread.sleep(300);
            assertTrue(sink.containing(id).isEmpty(), "delivered although refused");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // only what is encrypted as a whole is left alone

    @Test
    void mailThatOnlyLooksEncryptedIsEncrypted() throws Exception {
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put(
                "plaintext with an attached armored block",
                new String[] {
                    "multipart/mixed; boundary=\"m1\"",
                    "--m1\nContent-Type: text/plain\n\nThe secret plan, and my key's message below.\n\n--m1\n"
                            + "Content-Type: text/plain; name=\"old.asc\"\n\n-----BEGIN PGP MESSAGE-----\n\nhQEMA8/old\n"
                            + "-----END PGP MESSAGE-----\n--m1--\n"
                });
        cases.put(
                "inline armor after plaintext",
                new String[] {
                    "text/plain; charset=us-ascii",
                    "The secret plan.\n-----BEGIN PGP MESSAGE-----\n\nhQEMA8/partial\n-----END PGP MESSAGE-----\n"
                });
        cases.put(
                "a multipart/encrypted header over plaintext",
                new String[] {
                    "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"e1\"",
                    "--e1\nContent-Type: text/plain\n\nThe secret plan.\n--e1\nContent-Type: text/plain\n\nmore\n--e1--\n"
                });
        cases.put(
                "S/MIME signed-data",
                new String[] {
                    "application/pkcs7-mime; smime-type=signed-data; name=\"smime.p7m\"",
                    cms("1.2.840.113549.1.7.2")
                });
        cases.put(
                "smime-type=enveloped-data over signed-data",
                new String[] {
                    "application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"",
                    cms("1.2.840.113549.1.7.2")
                });
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            String id = messageId();
            SmtpSubmit.Reply r =
                    send(
                            "default",
                            List.of(ALICE),
                            message(id, "Looks", ALICE, c.getValue()[0], c.getValue()[1]));
            assertEquals(250, r.code(), c.getKey() + ": " + r.text());
            SmtpSink.Delivered d = delivered(id);
            assertTrue(isPgpMime(d), c.getKey() + " went out as it came:\n" + d.text());
            assertFalse(d.text().contains("secret plan"), c.getKey() + ": plaintext leaked");
            String inner = new String(decrypt(gpg, armored(d)), StandardCharsets.ISO_8859_1);
            assertTrue(
                    inner.endsWith(c.getValue()[1].replace("\n", "\r\n")),
                    c.getKey() + ":\n" + inner);
            assertTrue(logLine(id).contains("decision=encrypted"), logLine(id));
        }
    }

    @Test
    void mailEncryptedAsAWholeIsLeftAlone() throws Exception {
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put(
                "PGP/MIME",
                new String[] {
                    "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b1\"",
                    "This is PGP/MIME\n--b1\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--b1\n"
                            + "Content-Type: application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\n\nhQEMA8/opaque\n"
                            + "-----END PGP MESSAGE-----\n\n--b1--\n"
                });
        cases.put(
                "inline PGP",
                new String[] {
                    "text/plain; charset=us-ascii",
                    "\n-----BEGIN PGP MESSAGE-----\n\nhQEMA8/inline\n-----END PGP MESSAGE-----\n\n"
                });
        cases.put(
                "S/MIME enveloped-data",
                new String[] {
                    "application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"",
                    cms("1.2.840.113549.1.7.3")
                });
        cases.put(
                "S/MIME authEnveloped-data without smime-type",
                new String[] {
                    "application/pkcs7-mime; name=\"smime.p7m\"", cms("1.2.840.113549.1.9.16.1.23")
                });
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            String id = messageId();
            assertEquals(
                    250,
                    send(
                                    "default",
                                    List.of(ALICE),
                                    message(id, "Sealed", ALICE, c.getValue()[0], c.getValue()[1]))
                            .code());
            SmtpSink.Delivered d = delivered(id);
            assertEquals(c.getValue()[1].replace("\n", "\r\n"), body(d), c.getKey());
            assertEquals(c.getValue()[0], headerOf(d, "Content-Type"), c.getKey());
            String line = logLine(id);
            assertTrue(
                    line.contains("decision=skipped") && line.contains("already encrypted"),
                    c.getKey() + ": " + line);
        }
    }

    /** A base64 CMS ContentInfo of {@code oid} with a little opaque content, as S/MIME sends it. */
    static String cms(String oid) {
        org.bouncycastle.asn1.ASN1EncodableVector v =
                new org.bouncycastle.asn1.ASN1EncodableVector();
        v.add(new org.bouncycastle.asn1.ASN1ObjectIdentifier(oid));
        v.add(
                new org.bouncycastle.asn1.DERTaggedObject(
                        true, 0, new org.bouncycastle.asn1.DEROctetString(new byte[200])));
        try {
            byte[] der = new org.bouncycastle.asn1.DERSequence(v).getEncoded();
            return Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(der)
                    + "\n";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
