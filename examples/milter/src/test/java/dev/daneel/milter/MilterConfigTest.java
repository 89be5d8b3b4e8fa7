package dev.daneel.milter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file format and {@code --check-config}. */
class MilterConfigTest {

    @TempDir Path dir;

    private Path write(String... lines) throws Exception {
        Path f = dir.resolve("milter.conf");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    @Test
    void everyKeyIsReadWithCommentsListsAndUnits() throws Exception {
        Files.writeString(
                dir.resolve("anchors.txt"),
                ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
        MilterConfig c =
                MilterConfig.load(
                        write(
                                "# the milter",
                                "listen = inet:10025@127.0.0.1   # Postfix style",
                                "policy = require",
                                "upstream = 127.0.0.1:5353, [::1]:53",
                                "upstream = 192.0.2.53",
                                "anchors = anchors.txt",
                                "exclude-sender = @Lists.Example.com, alerts@example.com",
                                "exclude-recipient-domain = Example.COM.",
                                "exclude-client = 10.0.0.0/8, 2001:db8::/32",
                                "max-message-size = 512K",
                                "oversize-action = tempfail",
                                "max-sessions = 8",
                                "lookup-timeout = 2.5",
                                "dns-timeout = 0.5",
                                "protected-headers = no",
                                "lowercase-fallback = off",
                                "hide-recipients = ALL",
                                "compression = zip",
                                "mta-size-limit = 50M",
                                "wkd = yes",
                                "accept-wkd = true",
                                "wkd-ca-file = cas.pem",
                                "wkd-port = 8443"));
        assertEquals(new InetSocketAddress("127.0.0.1", 10025), c.listen());
        assertEquals(Policy.REQUIRE, c.policy());
        assertEquals(
                List.of(
                        new InetSocketAddress("127.0.0.1", 5353),
                        new InetSocketAddress("::1", 53),
                        new InetSocketAddress("192.0.2.53", 53)),
                c.upstreams());
        assertEquals(dir.resolve("anchors.txt").toAbsolutePath(), c.anchors().orElseThrow());
        assertEquals(Set.of("@lists.example.com", "alerts@example.com"), c.excludedSenders());
        assertEquals(Set.of("example.com"), c.excludedRecipientDomains());
        assertEquals(List.of("10.0.0.0/8", "2001:db8::/32"), c.excludedClients());
        assertEquals(512 * 1024, c.maxMessageSize());
        assertEquals(MilterConfig.Oversize.TEMPFAIL, c.oversize());
        assertEquals(8, c.maxSessions());
        assertEquals(Duration.ofMillis(2500), c.lookupTimeout());
        assertEquals(Duration.ofMillis(500), c.dnsTimeout());
        assertEquals(false, c.protectedHeaders());
        assertEquals(false, c.lowercaseFallback());
        assertEquals(MilterConfig.HideRecipients.ALL, c.hideRecipients());
        assertEquals(MilterConfig.Compression.ZIP, c.compression());
        assertEquals(50L * 1024 * 1024, c.mtaSizeLimit());
        assertTrue(c.wkd() && c.acceptWkd());
        assertEquals(dir.resolve("cas.pem").toAbsolutePath(), c.wkdCaFile().orElseThrow());
        assertEquals(8443, c.wkdPort());
        assertTrue(
                c.summary().contains("hide-recipients = all")
                        && c.summary().contains("mta-size-limit = 52428800"),
                c.summary());
    }

    @Test
    void defaultsAreOpportunisticLoopbackAndDocumentedLimits() throws Exception {
        MilterConfig c = MilterConfig.load(write("listen = unix:/run/daneel/milter.sock"));
        assertEquals(UnixDomainSocketAddress.of("/run/daneel/milter.sock"), c.listen());
        assertEquals(Policy.OPPORTUNISTIC, c.policy());
        assertEquals(MilterConfig.DEFAULT_MAX_MESSAGE_SIZE, c.maxMessageSize());
        assertEquals(MilterConfig.Oversize.REJECT, c.oversize());
        assertTrue(c.upstreams().isEmpty() && c.anchors().isEmpty() && c.protectedHeaders());
        // What GnuPG and hash-slinger publish, Bcc hidden, compressed, Postfix's
        // message_size_limit.
        assertTrue(c.lowercaseFallback());
        assertEquals(MilterConfig.HideRecipients.BCC, c.hideRecipients());
        assertEquals(MilterConfig.Compression.ZLIB, c.compression());
        assertEquals(10_240_000L, c.mtaSizeLimit());
        // Web Key Directories only when asked for, and never enough for require unless asked for
        // too.
        assertTrue(!c.wkd() && !c.acceptWkd() && c.wkdCaFile().isEmpty());
        assertEquals(443, c.wkdPort());
        assertEquals(
                new InetSocketAddress("127.0.0.1", 10025), MilterConfig.builder().build().listen());
    }

    @Test
    void errorsNameFileLineKeyAndWhatWasExpected() throws Exception {
        Path f = write("listen = inet:10025@127.0.0.1", "policy = always");
        MilterConfigException e =
                assertThrows(MilterConfigException.class, () -> MilterConfig.load(f));
        assertEquals(
                f + ":2: policy: expected opportunistic or require, got \"always\"",
                e.getMessage());
        assertTrue(
                assertThrows(
                                MilterConfigException.class,
                                () ->
                                        MilterConfig.load(
                                                write("listen = inet:10025@mail.example.com")))
                        .getMessage()
                        .contains("expected an IP address"));
        assertTrue(
                assertThrows(
                                MilterConfigException.class,
                                () -> MilterConfig.load(write("exclude-client = 10.0.0.0/33")))
                        .getMessage()
                        .contains("prefix must be 0..32"));
        assertTrue(
                assertThrows(
                                MilterConfigException.class,
                                () -> MilterConfig.load(write("colour = blue")))
                        .getMessage()
                        .contains(":1: colour: unknown key; known: listen"));
        assertTrue(
                assertThrows(
                                MilterConfigException.class,
                                () -> MilterConfig.load(write("just words")))
                        .getMessage()
                        .contains(":1: expected key = value"));
        assertTrue(
                assertThrows(
                                MilterConfigException.class,
                                () -> MilterConfig.load(write("lookup-timeout = 600")))
                        .getMessage()
                        .contains("0.1 .. 240 s"));
        assertTrue(
                assertThrows(
                                MilterConfigException.class,
                                () -> MilterConfig.load(write("hide-recipients = some")))
                        .getMessage()
                        .contains("expected bcc, all or none, got \"some\""));
        assertTrue(
                assertThrows(
                                MilterConfigException.class,
                                () -> MilterConfig.load(write("compression = bzip2")))
                        .getMessage()
                        .contains("expected zlib, zip or none"));
        assertTrue(
                assertThrows(
                                MilterConfigException.class,
                                () -> MilterConfig.load(write("mta-size-limit = 12")))
                        .getMessage()
                        .contains("mta-size-limit must be 1K .. 4G"));
    }

    /**
     * {@code upstream = [::1} once threw StringIndexOutOfBoundsException; now it names the line and
     * the fix.
     */
    @Test
    void upstreamIsReadByTheSharedHostPortParserWithLineErrors() throws Exception {
        Path f = write("policy = require", "upstream = [::1");
        MilterConfigException e =
                assertThrows(MilterConfigException.class, () -> MilterConfig.load(f));
        assertEquals(
                f + ":2: upstream: missing ']' in \"[::1\"; write IPv6 with a port as [ADDR]:PORT",
                e.getMessage());
        assertTrue(
                assertThrows(
                                MilterConfigException.class,
                                () -> MilterConfig.load(write("upstream = resolver.example")))
                        .getMessage()
                        .contains(
                                ":1: upstream: \"resolver.example\" in \"resolver.example\" is not an IPv4 or IPv6"
                                        + " address"));
        assertTrue(
                assertThrows(
                                MilterConfigException.class,
                                () -> MilterConfig.load(write("upstream = 127.0.0.1:0")))
                        .getMessage()
                        .contains(":1: upstream: port must be a number 1..65535, got \"0\""));
        assertEquals(
                List.of(new InetSocketAddress("::1", 53), new InetSocketAddress("2001:db8::1", 53)),
                MilterConfig.load(write("upstream = [::1], 2001:db8::1")).upstreams());
    }

    @Test
    void aFileThatIsNotUtf8IsNamed() throws Exception {
        Path f = dir.resolve("latin1.conf");
        Files.write(f, new byte[] {'p', 'o', 'l', 'i', 'c', 'y', '=', (byte) 0xe9, '\n'});
        MilterConfigException e =
                assertThrows(MilterConfigException.class, () -> MilterConfig.load(f));
        assertEquals(f + ": not UTF-8 text; expected key = value lines", e.getMessage());
    }

    @Test
    void checkConfigPrintsTheSettingsAndExitsZeroOrNamesTheProblemAndExitsOne() throws Exception {
        Path good =
                write("listen = inet:0@127.0.0.1", "upstream = 127.0.0.1:5353", "policy = require");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                MilterMain.run(
                        new String[] {"--config", good.toString(), "--check-config"},
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        assertTrue(
                out.toString().contains("policy = require")
                        && out.toString().contains("configuration OK"),
                out.toString());

        Path bad = write("sender-copy-key = missing.asc");
        err = new StringWriter();
        code =
                MilterMain.run(
                        new String[] {"--config", bad.toString(), "--check-config"},
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true));
        assertEquals(1, code);
        assertTrue(err.toString().contains("missing.asc"), err.toString());

        Files.writeString(dir.resolve("empty.pem"), "no certificates here\n");
        Path noCa = write("wkd = true", "wkd-ca-file = empty.pem");
        err = new StringWriter();
        code =
                MilterMain.run(
                        new String[] {"--config", noCa.toString(), "--check-config"},
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true));
        assertEquals(1, code);
        assertTrue(
                err.toString().contains("empty.pem")
                        && err.toString().contains("no PEM certificate"),
                err.toString());
    }
}
