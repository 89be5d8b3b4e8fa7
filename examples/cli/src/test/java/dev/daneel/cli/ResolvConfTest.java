package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --resolvconf FILE}: nameserver lines read with the library's HostPort, errors at
 * FILE:LINE.
 */
class ResolvConfTest {

    @Test
    void nameserverLinesWithCommentsPortsAndOtherKeywords() {
        List<InetSocketAddress> s =
                ResolvConf.parse(
                        "r.conf",
                        List.of(
                                "# comment",
                                "search example.test",
                                "options edns0 trust-ad",
                                "nameserver 192.0.2.53",
                                "nameserver ::1@5353 # local",
                                "NAMESERVER 127.0.0.1@8053",
                                "; another comment",
                                "domain example.test"));
        assertEquals(
                List.of(
                        new InetSocketAddress("192.0.2.53", 53),
                        new InetSocketAddress("::1", 5353),
                        new InetSocketAddress("127.0.0.1", 8053)),
                s);
    }

    @Test
    void errorsNameFileAndLineAndWhatWasExpected() {
        UsageError bad =
                assertThrows(
                        UsageError.class,
                        () ->
                                ResolvConf.parse(
                                        "r.conf",
                                        List.of("search x", "nameserver resolver.example")));
        assertTrue(
                bad.getMessage()
                        .startsWith("--resolvconf: r.conf:2: nameserver: \"resolver.example\""),
                bad.getMessage());
        assertTrue(
                bad.getMessage().endsWith("(expected nameserver ADDR[@PORT])"), bad.getMessage());
        UsageError none =
                assertThrows(
                        UsageError.class, () -> ResolvConf.parse("r.conf", List.of("nameserver")));
        assertEquals(
                "--resolvconf: r.conf:1: nameserver: expected one address (nameserver ADDR[@PORT]), got none",
                none.getMessage());
        UsageError port =
                assertThrows(
                        UsageError.class,
                        () -> ResolvConf.parse("r.conf", List.of("nameserver 127.0.0.1@")));
        assertTrue(
                port.getMessage().startsWith("--resolvconf: r.conf:1: nameserver: port must be"),
                port.getMessage());
        UsageError empty =
                assertThrows(
                        UsageError.class, () -> ResolvConf.parse("r.conf", List.of("search x")));
        assertEquals(
                "--resolvconf: r.conf has no 'nameserver ADDR' line; expected at least one",
                empty.getMessage());
    }
}
