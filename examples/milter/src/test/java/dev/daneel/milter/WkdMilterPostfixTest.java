package dev.daneel.milter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.testkit.GnuPgHome;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys from a Web Key Directory, off by default, behind a real Postfix: a loopback HTTPS directory
 * whose certificate a test CA issued for {@code openpgpkey.wkd.test} (advanced method) and {@code
 * direct.test} (direct method); the host names resolve through the milter's validating resolver in
 * a testkit world. Key paths are the hashes GnuPG itself computes ({@code --with-wkd-hash}). A WKD
 * key encrypts under {@code opportunistic} and is named as such in the log and a header; under
 * {@code require} it counts only with {@code accept-wkd = true}; a directory whose certificate does
 * not name its host is not trusted.
 */
class WkdMilterPostfixTest {

    static final String ANN = "ann@corp.test";
    static final String BOB = "bob@wkd.test"; // advanced method
    static final String DORA = "dora@direct.test"; // direct method: no openpgpkey.direct.test
    static final String EVE =
            "eve@evil.test"; // openpgpkey.evil.test is served with a certificate for other names
    static final Duration DELIVERY = Duration.ofSeconds(90);

    @TempDir static Path dir;
    static GnuPgHome gpg;
    static World world;
    static ValidatingResolver resolver;
    static javax.net.ssl.SSLServerSocket https;
    static final Map<String, byte[]> directory = new ConcurrentHashMap<>();
    static final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
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
                List.of("Bob <" + BOB + ">", "Dora <" + DORA + ">", "Eve <" + EVE + ">")) {
            gpg.generate(uid);
        }
        startDirectory();
        directory.put("/.well-known/openpgpkey/wkd.test/hu/" + wkdHash(BOB), gpg.export(BOB));
        directory.put("/.well-known/openpgpkey/hu/" + wkdHash(DORA), gpg.export(DORA));
        directory.put("/.well-known/openpgpkey/evil.test/hu/" + wkdHash(EVE), gpg.export(EVE));
        world =
                World.builder()
                        .zone("test.")
                        .zone("wkd.test.", z -> z.record("openpgpkey.wkd.test. 300 IN A 127.0.0.1"))
                        .zone("direct.test.", z -> z.record("direct.test. 300 IN A 127.0.0.1"))
                        .zone(
                                "evil.test.",
                                z -> z.record("openpgpkey.evil.test. 300 IN A 127.0.0.1"))
                        .start();
        world.signAll();
        world.writeTrustAnchors(dir.resolve("anchors.txt"));
        String common =
                String.join(
                        "\n",
                        "listen = inet:0@127.0.0.1",
                        "upstream = 127.0.0.1:" + world.address().getPort(),
                        "anchors = anchors.txt",
                        "lookup-timeout = 10",
                        "wkd = true",
                        "wkd-ca-file = ca.pem",
                        "wkd-port = " + https.getLocalPort(),
                        "");
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("wkd", common);
        configs.put("wkd-require", common + "policy = require\n");
        configs.put("wkd-require-accept", common + "policy = require\naccept-wkd = true\n");
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
            if (https != null) {
                https.close();
            }
            List<AutoCloseable> all = new ArrayList<>(milters);
            for (AutoCloseable c : new AutoCloseable[] {sink, resolver, world, gpg}) {
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
     * The hash GnuPG prints for the address ({@code --with-wkd-hash}): an oracle independent of the
     * milter.
     */
    static String wkdHash(String address) throws Exception {
        String out =
                new String(
                        gpg.gpg("--with-wkd-hash", "--list-keys", address), StandardCharsets.UTF_8);
        String domain = address.substring(address.indexOf('@'));
        return out.lines()
                .map(String::strip)
                .filter(l -> l.endsWith(domain) && !l.contains("<") && !l.contains(" "))
                .map(l -> l.substring(0, l.indexOf('@')))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no WKD hash in\n" + out));
    }

    /**
     * An HTTPS directory on 127.0.0.1 with a certificate for openpgpkey.wkd.test and direct.test
     * from a test CA.
     */
    static void startDirectory() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair caKeys = g.generateKeyPair();
        KeyPair serverKeys = g.generateKeyPair();
        Instant now = Instant.now();
        X509Certificate ca =
                cert("CN=Test WKD CA", caKeys, "CN=Test WKD CA", caKeys, true, now, null);
        X509Certificate server =
                cert(
                        "CN=openpgpkey.wkd.test",
                        serverKeys,
                        "CN=Test WKD CA",
                        caKeys,
                        false,
                        now,
                        new GeneralNames(
                                new GeneralName[] {
                                    new GeneralName(GeneralName.dNSName, "openpgpkey.wkd.test"),
                                    new GeneralName(GeneralName.dNSName, "direct.test")
                                }));
        Files.writeString(
                dir.resolve("ca.pem"),
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(ca.getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(
                "server", serverKeys.getPrivate(), new char[0], new X509Certificate[] {server, ca});
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        https =
                (javax.net.ssl.SSLServerSocket)
                        tls.getServerSocketFactory()
                                .createServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread t =
                new Thread(
                        () -> {
                            while (!https.isClosed()) {
                                try (java.net.Socket s = https.accept()) {
                                    serve(s);
                                } catch (java.io.IOException e) {
                                    // a client that failed the handshake (the untrusted-certificate
                                    // case) or went away
                                }
                            }
                        },
                        "test-wkd");
        t.setDaemon(true);
        t.start();
    }

    /** One HTTP/1.1 request per connection: the key at the path, or 404. */
    static void serve(java.net.Socket s) throws java.io.IOException {
        java.io.BufferedReader in =
                new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                                s.getInputStream(), StandardCharsets.ISO_8859_1));
        String requestLine = in.readLine();
        String host = "";
        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
            if (h.toLowerCase(java.util.Locale.ROOT).startsWith("host:")) {
                host = h.substring(5).strip();
            }
        }
        String target = requestLine == null ? "" : requestLine.split(" ")[1];
        requests.add(host + " " + target);
        byte[] key =
                directory.get(
                        target.contains("?") ? target.substring(0, target.indexOf('?')) : target);
        OutputStream out = s.getOutputStream();
        if (key == null) {
            out.write(
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
        } else {
            out.write(
                    ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                                    + key.length
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(key);
        }
        out.flush();
    }

    static X509Certificate cert(
            String subject,
            KeyPair keys,
            String issuer,
            KeyPair issuerKeys,
            boolean isCa,
            Instant now,
            GeneralNames names)
            throws Exception {
        JcaX509v3CertificateBuilder b =
                new JcaX509v3CertificateBuilder(
                        new X500Name(issuer),
                        BigInteger.valueOf(now.toEpochMilli() + (isCa ? 0 : 1)),
                        Date.from(now.minusSeconds(3600)),
                        Date.from(now.plusSeconds(86_400)),
                        new X500Name(subject),
                        keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (names != null) {
            b.addExtension(Extension.subjectAlternativeName, false, names);
        }
        return new JcaX509CertificateConverter()
                .getCertificate(
                        b.build(
                                new JcaContentSignerBuilder("SHA256withECDSA")
                                        .build(issuerKeys.getPrivate())));
    }

    // ---------------------------------------------------------------------------------------------

    static SmtpSink.Delivered send(String milter, String to, String subject) throws Exception {
        String id = "<" + UUID.randomUUID() + "@corp.test>";
        SmtpSubmit.Reply r =
                SmtpSubmit.send(
                        postfix.milterPort(milter),
                        ANN,
                        List.of(to),
                        "From: "
                                + ANN
                                + "\nTo: "
                                + to
                                + "\nSubject: "
                                + subject
                                + "\nMessage-ID: "
                                + id
                                + "\n\nfor "
                                + to
                                + "\n");
        assertEquals(250, r.code(), r.text() + "\n" + String.join("\n", log));
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (sink.containing(id).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "not delivered: "
                                + id
                                + "\n"
                                + String.join("\n", log)
                                + "\n"
                                + postfix.log());
            }
            Thread.sleep(50);
        }
        return sink.containing(id).get(0);
    }

    static String header(SmtpSink.Delivered d, String name) {
        String head = d.text().substring(0, d.text().indexOf("\r\n\r\n") + 2);
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?im)^" + name + ": (.*(?:\r\n[ \t].*)*)")
                        .matcher(head);
        List<String> all = new ArrayList<>();
        while (m.find()) {
            all.add(m.group(1).replaceAll("\r\n[ \t]+", " "));
        }
        return String.join(" | ", all);
    }

    static Path armored(SmtpSink.Delivered d) throws Exception {
        String t = d.text();
        int start = t.indexOf("-----BEGIN PGP MESSAGE-----");
        assertTrue(start >= 0, "not encrypted:\n" + t);
        Path f = Files.createTempFile(dir, "m", ".asc");
        Files.writeString(
                f, t.substring(start, t.indexOf("-----END PGP MESSAGE-----") + 25) + "\n");
        return f;
    }

    @Test
    void advancedMethodKeyEncryptsUnderOpportunisticAndIsNamedInLogAndHeader() throws Exception {
        SmtpSink.Delivered d = send("wkd", BOB, "advanced");
        Path msg = armored(d);
        assertEquals(
                Set.copyOf(gpg.encryptionSubkeyIds(BOB)), Set.copyOf(gpg.recipientKeyIds(msg)));
        assertTrue(
                new String(gpg.gpg("--decrypt", msg.toString()), StandardCharsets.UTF_8)
                        .endsWith("for " + BOB + "\r\n"));
        assertTrue(
                header(d, "X-Daneel-Encryption")
                        .contains("Web Key Directory key (not DNSSEC) for " + BOB),
                header(d, "X-Daneel-Encryption"));
        String line =
                log.stream()
                        .filter(
                                l ->
                                        l.contains("to=<" + BOB + ">")
                                                && l.contains("decision=encrypted"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(String.join("\n", log)));
        assertTrue(line.contains("(wkd)"), line);
        int port = https.getLocalPort();
        assertTrue(
                requests.contains(
                        "openpgpkey.wkd.test:"
                                + port
                                + " /.well-known/openpgpkey/wkd.test/hu/"
                                + wkdHash(BOB)
                                + "?l=bob"),
                requests.toString());
    }

    @Test
    void directMethodIsUsedOnlyWhenTheOpenpgpkeySubdomainDoesNotExist() throws Exception {
        SmtpSink.Delivered d = send("wkd", DORA, "direct");
        assertEquals(
                Set.copyOf(gpg.encryptionSubkeyIds(DORA)),
                Set.copyOf(gpg.recipientKeyIds(armored(d))));
        assertTrue(
                requests.contains(
                        "direct.test:"
                                + https.getLocalPort()
                                + " /.well-known/openpgpkey/hu/"
                                + wkdHash(DORA)
                                + "?l=dora"),
                requests.toString());
    }

    @Test
    void aDirectoryWhoseCertificateDoesNotNameItsHostIsNotTrusted() throws Exception {
        SmtpSink.Delivered d = send("wkd", EVE, "evil");
        assertFalse(d.text().contains("BEGIN PGP MESSAGE"));
        String why = header(d, "X-Daneel-Encryption");
        assertTrue(
                why.startsWith("none;") && why.contains(EVE) && why.contains("not trusted"), why);
    }

    @Test
    void underRequireAWkdKeyCountsOnlyWithAcceptWkd() throws Exception {
        SmtpSubmit.Reply r =
                SmtpSubmit.send(
                        postfix.milterPort("wkd-require"),
                        ANN,
                        List.of(BOB),
                        "From: "
                                + ANN
                                + "\nTo: "
                                + BOB
                                + "\nSubject: req\nMessage-ID: <"
                                + UUID.randomUUID()
                                + "@corp.test>\n\nx\n");
        assertEquals(550, r.code(), r.text());
        assertTrue(
                r.text().contains(BOB)
                        && r.text().contains("Web Key Directory")
                        && r.text().contains("accept-wkd"),
                r.text());
        SmtpSink.Delivered d = send("wkd-require-accept", BOB, "accepted");
        assertEquals(
                Set.copyOf(gpg.encryptionSubkeyIds(BOB)),
                Set.copyOf(gpg.recipientKeyIds(armored(d))));
    }
}
