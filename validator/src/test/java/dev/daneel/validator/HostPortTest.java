package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @Test
    void ipv4WithAndWithoutPort() throws Exception {
        HostPort a = HostPort.parse("192.0.2.53", 53);
        assertEquals(InetAddress.getByName("192.0.2.53"), a.address());
        assertEquals(53, a.port());
        assertFalse(a.portGiven());
        HostPort b = HostPort.parse(" 127.0.0.1:5353 ", 53);
        assertEquals(5353, b.port());
        assertTrue(b.portGiven());
    }

    @Test
    void ipv6BracketedBareAndWithPort() throws Exception {
        assertEquals(
                new HostPort(InetAddress.getByName("::1"), 5353, true),
                HostPort.parse("[::1]:5353", 53));
        assertEquals(
                new HostPort(InetAddress.getByName("::1"), 53, false), HostPort.parse("[::1]", 53));
        assertEquals(
                new HostPort(InetAddress.getByName("2001:db8::53"), 53, false),
                HostPort.parse("2001:db8::53", 53));
    }

    @Test
    void toStringReadsBack() {
        assertEquals("[0:0:0:0:0:0:0:1]:53", HostPort.parse("::1", 53).toString());
        assertEquals("127.0.0.1:8053", HostPort.parse("127.0.0.1:8053", 53).toString());
    }

    /**
     * The milter once threw StringIndexOutOfBoundsException on "[::1"; every bad text is an
     * IllegalArgumentException.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "[::1",
                "[::1]x",
                "[::1]:",
                "[::1]:0",
                "[::1]:65536",
                "[127.0.0.1]:53",
                "",
                "  ",
                ":53",
                "127.0.0.1:",
                "127.0.0.1:abc",
                "127.0.0.1:-1",
                "127.0.0.1:99999999999",
                "localhost",
                "resolver.example.",
                "300.1.1.1",
                "1.2.3",
                "::1::2",
                "[]",
                "[]:53",
                "fe80::1%eth0",
                "1.2.3.4:5:6x"
            })
    void malformedTextSaysWhatWasExpected(String text) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text, 53));
        assertTrue(
                e.getMessage().contains("expected")
                        || e.getMessage().contains("must be")
                        || e.getMessage().contains("missing")
                        || e.getMessage().contains("not an IPv4")
                        || e.getMessage().contains("brackets"),
                e.getMessage());
    }

    @Test
    void hostNamesAreNotLookedUp() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> HostPort.parse("localhost:53", 53));
        assertTrue(e.getMessage().contains("not looked up"), e.getMessage());
    }

    /**
     * The library's builder reads the same text the same way (one parser for library, CLI and
     * milter).
     */
    @Test
    void theResolverBuilderUsesIt() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ValidatingResolver.builder().upstream("[::1"));
        assertEquals(
                assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[::1", 53))
                        .getMessage(),
                e.getMessage());
        try (ValidatingResolver r = ValidatingResolver.builder().upstream("127.0.0.1:9").build()) {
            assertTrue(r != null);
        }
    }

    @Test
    void defaultPortIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("127.0.0.1", 0));
    }

    /**
     * Whatever the text, the parser answers with a value or an IllegalArgumentException, never
     * another exception.
     */
    @Property(tries = 2000)
    void anyTextIsAValueOrAnIllegalArgument(@ForAll("noisy") String text) {
        try {
            HostPort p = HostPort.parse(text, 53);
            assertTrue(p.port() >= 1 && p.port() <= 65535);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage().isBlank());
        }
    }

    /**
     * What toString prints parses back to the same value (the oracle: the address bytes and the
     * port).
     */
    @Property(tries = 500)
    void printedFormParsesBack(
            @ForAll("addresses") InetAddress address, @ForAll("ports") int port) {
        HostPort p = new HostPort(address, port, true);
        assertEquals(p, HostPort.parse(p.toString(), 53));
    }

    @Provide
    Arbitrary<String> noisy() {
        return Arbitraries.strings().withChars("0123456789abcdef.:[]% x-").ofMaxLength(45);
    }

    @Provide
    Arbitrary<InetAddress> addresses() {
        return Arbitraries.oneOf(
                        Arbitraries.bytes().array(byte[].class).ofSize(4),
                        Arbitraries.bytes().array(byte[].class).ofSize(16))
                .map(
                        b -> {
                            try {
                                return InetAddress.getByAddress(b);
                            } catch (java.net.UnknownHostException e) {
                                throw new IllegalStateException(e);
                            }
                        });
    }

    @Provide
    Arbitrary<Integer> ports() {
        return Arbitraries.integers().between(1, 65535);
    }
}
