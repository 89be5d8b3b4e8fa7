package dev.daneel.ipseckey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.World;
import dev.daneel.validator.ValidatingResolver;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** IPSECKEY RRsets served by a signed testkit world, fetched and checked against local keys. */
class IpseckeyLookupTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);

    private static PublicKey ec;
    private static PublicKey ed;
    private static PublicKey rsa;
    private static World world;
    private static ValidatingResolver resolver;
    private static IpseckeyLookup lookup;

    @BeforeAll
    static void start() throws Exception {
        ec = IpseckeyRecordTest.generate("p256");
        ed = IpseckeyRecordTest.generate("ed25519");
        rsa = IpseckeyRecordTest.generate("rsa");
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone(
                                "example.test.",
                                z ->
                                        z.ipseckey("gw", 20, "192.0.2.1", ec)
                                                .ipseckey("gw", 10, "2001:db8::1", ed)
                                                .ipseckey("named", 10, "gateway.example.test.", rsa)
                                                .record("plain A 192.0.2.9"))
                        .zone(
                                "unsigned.test.",
                                z -> z.unsigned().ipseckey("gw", 10, "192.0.2.1", ec))
                        .zone(
                                "broken.test.",
                                z ->
                                        z.ipseckey("gw", 10, "192.0.2.1", ec)
                                                .breakRRset(
                                                        "gw",
                                                        Type.IPSECKEY,
                                                        Breakage.EXPIRED_SIGNATURES))
                        .start();
        resolver =
                ValidatingResolver.builder()
                        .upstream(world.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK)
                        .build();
        lookup = new IpseckeyLookup(resolver);
    }

    @AfterAll
    static void stop() {
        resolver.close();
        world.close();
    }

    @Test
    void secureRRsetIsFoundOrderedByPrecedence() {
        IpseckeyResult.Found f =
                assertInstanceOf(IpseckeyResult.Found.class, lookup.fetch("gw.example.test."));
        assertEquals(
                List.of(10, 20), f.records().stream().map(IpseckeyRecord::precedence).toList());
        assertEquals(
                List.of(GatewayType.IPV6, GatewayType.IPV4),
                f.records().stream().map(r -> r.gateway().type()).toList());
        assertEquals(ed, f.records().get(0).toPublicKey());
    }

    @Test
    void publishedLocalKeyMatchesItsRecord() {
        IpseckeyResult.Match m =
                assertInstanceOf(IpseckeyResult.Match.class, lookup.verify("gw.example.test", ec));
        assertEquals("192.0.2.1", m.matched().gateway().text());
        IpseckeyResult.Match named =
                assertInstanceOf(
                        IpseckeyResult.Match.class, lookup.verify("named.example.test.", rsa));
        assertEquals("gateway.example.test.", named.matched().gateway().text());
    }

    @Test
    void unpublishedLocalKeyIsAMismatch() {
        IpseckeyResult.Mismatch m =
                assertInstanceOf(
                        IpseckeyResult.Mismatch.class, lookup.verify("gw.example.test.", rsa));
        assertEquals(2, m.records().size());
    }

    @Test
    void provenAbsenceIsNoRecords() {
        assertInstanceOf(IpseckeyResult.NoRecords.class, lookup.fetch("plain.example.test."));
        assertInstanceOf(
                IpseckeyResult.NoRecords.class, lookup.verify("missing.example.test.", ec));
    }

    @Test
    void unsignedZoneIsInsecureAndExpiredSignaturesAreBogus() {
        assertInstanceOf(IpseckeyResult.Insecure.class, lookup.verify("gw.unsigned.test.", ec));
        assertInstanceOf(IpseckeyResult.Bogus.class, lookup.fetch("gw.broken.test."));
    }
}
