package dev.daneel.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.inet.internal.InetConfig;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;

/** The configuration file: every key read as documented, every bad value an error naming file, key and expectation. */
class InetConfigTest {

    private static final Path FILE = Path.of("/etc/daneel/inet.properties");

    private static InetConfig parse(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return InetConfig.parse(p, FILE);
    }

    @Test
    void everyKeyIsRead() throws Exception {
        InetConfig c = parse("""
                upstream = 127.0.0.1, 127.0.0.2:5353, [::1]:53, ::1
                anchors = root.key
                require-secure = corp.example, bank.example.
                builtin = localhost, intranet
                timeout = 0.5
                """);
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 53), new InetSocketAddress("127.0.0.2", 5353),
                new InetSocketAddress("::1", 53), new InetSocketAddress("::1", 53)), c.upstreams());
        assertEquals(Optional.of(Path.of("/etc/daneel/root.key")), c.anchors());
        assertEquals(List.of(Name.fromConstantString("corp.example."), Name.fromConstantString("bank.example.")), c.requireSecure());
        assertEquals(List.of(Name.fromConstantString("localhost."), Name.fromConstantString("intranet.")), c.builtin());
        assertEquals(Optional.of(Duration.ofMillis(500)), c.timeout());
    }

    @Test
    void defaultsAreOnlyTheDocumentedOnes() throws Exception {
        InetConfig c = parse("upstream = 127.0.0.1\n");
        assertEquals(Optional.empty(), c.anchors());
        assertEquals(List.of(), c.requireSecure());
        assertEquals(List.of(Name.fromConstantString("localhost.")), c.builtin());
        assertEquals(Optional.empty(), c.timeout());
        assertEquals(List.of(), parse("upstream = 127.0.0.1\nbuiltin =\n").builtin(), "builtin = sends every name to Daneel");
    }

    @Test
    void requireSecureCoversTheDomainAndEverythingBelowIt() throws Exception {
        InetConfig c = parse("upstream = 127.0.0.1\nrequire-secure = corp.example\n");
        assertTrue(InetConfig.covering(c.requireSecure(), Name.fromConstantString("corp.example.")).isPresent());
        assertTrue(InetConfig.covering(c.requireSecure(), Name.fromConstantString("a.b.corp.example.")).isPresent());
        assertTrue(InetConfig.covering(c.requireSecure(), Name.fromConstantString("notcorp.example.")).isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "anchors = x                              | upstream: missing; expected the recursive resolvers",
            "upstream = dns.example.com               | upstream: expected an IP address (a host name would have to be resolved",
            "upstream = 127.0.0.1:0                   | upstream: expected a port from 1 to 65535, got \"127.0.0.1:0\"",
            "upstream = 127.0.0.1:99999               | upstream: expected a port from 1 to 65535",
            "upstream = 300.0.0.1                     | upstream: expected an IP address",
            "upstream = [::1                          | upstream: expected [IPv6]:PORT",
            "upstream = 127.0.0.1\\ntimeout = 0        | timeout: expected seconds from 0.01 to 60, got \"0\"",
            "upstream = 127.0.0.1\\ntimeout = soon     | timeout: expected seconds from 0.01 to 60, got \"soon\"",
            "upstream = 127.0.0.1\\nrequire-secure = a..b | require-secure: expected domain names separated by commas, got \"a..b\"",
            "upstream = 127.0.0.1\\nrequire_secure = a | unknown key(s) [require_secure]",
    })
    void badValuesAreErrorsNamingTheFileTheKeyAndWhatWasExpected(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(text.replace("\\n", "\n")));
        assertTrue(e.getMessage().startsWith(FILE + ": ") && e.getMessage().contains(expected), e.getMessage());
    }
}
