package dev.daneel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * {@code --server HOST[:PORT]} parsing: IPv4, IPv6 (bracketed or bare), default port 53, named
 * errors.
 */
class GlobalOptionsTest {

    @Test
    void ipv4WithAndWithoutPort() {
        assertEquals(
                new InetSocketAddress("127.0.0.1", 5353),
                GlobalOptions.parseServer("127.0.0.1:5353"));
        assertEquals(
                new InetSocketAddress("127.0.0.1", 53), GlobalOptions.parseServer("127.0.0.1"));
    }

    @Test
    void ipv6BracketedOrBare() {
        assertEquals(new InetSocketAddress("::1", 5353), GlobalOptions.parseServer("[::1]:5353"));
        assertEquals(new InetSocketAddress("::1", 53), GlobalOptions.parseServer("[::1]"));
        assertEquals(new InetSocketAddress("::1", 53), GlobalOptions.parseServer("::1"));
    }

    /**
     * The resolver's own name is never looked up (that would ask an unvalidated resolver first).
     */
    @Test
    void hostNamesAreRefusedWithWhatToDo() {
        UsageError e =
                assertThrows(UsageError.class, () -> GlobalOptions.parseServer("localhost:53"));
        assertTrue(
                e.getMessage()
                                .startsWith(
                                        "--server: \"localhost\" in \"localhost:53\" is not an IPv4 or IPv6 address;")
                        && e.getMessage().contains("give the resolver's IP address"),
                e.getMessage());
    }

    @Test
    void badPortsAndBracketsNameTheOption() {
        for (String bad : new String[] {"127.0.0.1:0", "127.0.0.1:x", "[::1", "[::1]x", ":53"}) {
            UsageError e =
                    assertThrows(UsageError.class, () -> GlobalOptions.parseServer(bad), bad);
            assertTrue(e.getMessage().startsWith("--server: "), e.getMessage());
        }
    }
}
