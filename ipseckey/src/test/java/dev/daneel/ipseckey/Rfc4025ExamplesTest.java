package dev.daneel.ipseckey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The presentation examples of RFC 4025 (section "Presentation Formats") round-trip through parse,
 * print and wire form.
 */
class Rfc4025ExamplesTest {

    static final String KEY = "AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==";
    static final String V6_OWNER =
            "0.d.4.0.3.0.e.f.f.f.3.f.0.1.2.0.1.0.0.0.0.0.2.8.B.D.0.1.0.0.2.ip6.arpa.";

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "38.2.0.192.in-addr.arpa. | 10 1 2 | 192.0.2.38             | 192.0.2.38",
                "38.2.0.192.in-addr.arpa. | 10 0 2 | .                      | .",
                "38.2.0.192.in-addr.arpa. | 10 1 2 | 192.0.2.3              | 192.0.2.3",
                "38.1.0.192.in-addr.arpa. | 10 3 2 | mygateway.example.com. | mygateway.example.com.",
                V6_OWNER
                        + "              | 10 2 2 | 2001:0DB8:0:8002::2000:1 | 2001:db8:0:8002::2000:1",
            })
    void exampleRoundTripsThroughParsePrintAndWire(
            String owner, String head, String gateway, String printed) {
        String rfcText =
                owner
                        + " 7200 IN     IPSECKEY ( "
                        + head
                        + "\n                 "
                        + gateway
                        + "\n                 "
                        + KEY
                        + " )";
        IpseckeyRecord r = IpseckeyRecord.parse(rfcText);
        String expected = owner + " IN IPSECKEY " + head + " " + printed + " " + KEY;
        assertEquals(expected, r.rfcForm());
        assertEquals(r, IpseckeyRecord.parse(r.rfcForm()));
        assertEquals(r, IpseckeyRecord.fromWire(owner, r.toWire()));
        assertEquals(10, r.precedence());
        assertEquals(IpseckeyAlgorithm.RSA.code(), r.algorithm());
    }

    @Test
    void ipv4ExampleHasTheWireFormOfRfc4025Section2() {
        IpseckeyRecord r =
                IpseckeyRecord.parse(
                        "38.2.0.192.in-addr.arpa. 7200 IN IPSECKEY ( 10 1 2 192.0.2.38 "
                                + KEY
                                + " )");
        byte[] wire = r.toWire();
        assertEquals("0a0102c0000226" + "0103515379", HexFormat.of().formatHex(wire, 0, 12));
        assertEquals(7 + 34, wire.length);
        assertEquals(
                "38.2.0.192.in-addr.arpa. IN TYPE45 \\# 41 " + HexFormat.of().formatHex(wire),
                r.genericForm());
    }

    @Test
    void gatewayNameIsUncompressedOnTheWire() {
        IpseckeyRecord r =
                IpseckeyRecord.parse(
                        "38.1.0.192.in-addr.arpa. IPSECKEY 10 3 2 mygateway.example.com. " + KEY);
        assertArrayEquals(
                HexFormat.of().parseHex("0a0302096d7967617465776179076578616d706c6503636f6d00"),
                java.util.Arrays.copyOf(r.toWire(), 26));
    }
}
