package dev.daneel.ipseckey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.daneel.ipseckey.internal.Ipv6Text;
import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Any record survives presentation and wire form unchanged; IPv6 text is RFC 5952 and reads back.
 */
class IpseckeyRecordProperties {

    @Property
    void ipv6GatewayRecordsRoundTripThroughTextAndWire(
            @ForAll @Size(16) byte[] address,
            @ForAll @IntRange(min = 0, max = 255) int precedence,
            @ForAll @IntRange(min = 0, max = 255) int algorithm,
            @ForAll @Size(max = 300) byte[] key)
            throws Exception {
        IpseckeyRecord r =
                new IpseckeyRecord(
                        "gw.example.test.",
                        precedence,
                        Gateway.ofAddress(GatewayType.IPV6, address),
                        algorithm,
                        key);
        assertEquals(r, IpseckeyRecord.parse(r.rfcForm()));
        assertEquals(r, IpseckeyRecord.fromWire("gw.example.test.", r.toWire()));
        assertEquals(
                InetAddress.getByAddress(address), InetAddress.getByName(Ipv6Text.ipv6(address)));
    }

    @Property
    void ipv4GatewayRecordsRoundTripThroughTextAndWire(
            @ForAll @Size(4) byte[] address,
            @ForAll @IntRange(min = 0, max = 255) int precedence,
            @ForAll @Size(min = 1, max = 300) byte[] key) {
        IpseckeyRecord r =
                new IpseckeyRecord(
                        "gw.", precedence, Gateway.ofAddress(GatewayType.IPV4, address), 2, key);
        assertEquals(r, IpseckeyRecord.parse(r.rfcForm()));
        assertEquals(r, IpseckeyRecord.fromWire("gw.", r.toWire()));
    }
}
