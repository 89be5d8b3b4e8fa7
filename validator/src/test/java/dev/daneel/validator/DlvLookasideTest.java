package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.World;
import dev.daneel.testkit.WorldServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * DLV lookaside (RFC 4431, RFC 5074) against a testkit world holding a private registry {@code
 * dlv.test.} with its own anchor: zones whose parent publishes no DS become Secure through the
 * registry.
 */
class DlvLookasideTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
    private static World world;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone("island.test.", z -> z.withoutDsInParent().record("www A 192.0.2.1"))
                        .zone("deep.island.test.", z -> z.record("www A 192.0.2.3"))
                        .zone("plain.test.", z -> z.withoutDsInParent().record("www A 192.0.2.2"))
                        .zone("sub.plain.test.", z -> z.record("www A 192.0.2.6"))
                        .zone(
                                "decoy.test.",
                                z ->
                                        z.withoutDsInParent()
                                                .dsPointsToNoKey()
                                                .record("www A 192.0.2.4"))
                        .zone("secure.test.", z -> z.record("www A 192.0.2.5"))
                        .zone("dlv.test.", z -> z.dlvFor("island.test.").dlvFor("decoy.test."))
                        .start()
                        .signAll();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static ValidatingResolver resolver(WorldServer server, boolean dlv) {
        ValidatingResolver.Builder b =
                ValidatingResolver.builder()
                        .upstream(server.address())
                        .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                        .clock(CLOCK);
        if (dlv) {
            b.dlv("dlv.test.", TrustAnchors.of(world.zone("dlv.test.").dsRecords()));
        }
        return b.build();
    }

    @Test
    void zoneWithADlvRecordIsSecureThroughTheRegistry() {
        try (ValidatingResolver r = resolver(world.server(), true)) {
            Answer a = r.resolve("www.island.test.", Type.A);
            Verdict.Secure s = assertInstanceOf(Verdict.Secure.class, a.verdict(), a.toString());
            assertTrue(s.viaDlv(), "the answer says the chain went through DLV");
            Answer below = r.resolve("www.deep.island.test.", Type.A);
            Verdict.Secure d =
                    assertInstanceOf(Verdict.Secure.class, below.verdict(), below.toString());
            assertTrue(d.viaDlv(), "a child with an ordinary DS below a DLV-anchored zone");
            assertTrue(
                    a.evidence().records().stream().anyMatch(rec -> rec.getType() == Type.DLV),
                    "DLV is in the evidence");
        }
    }

    @Test
    void zoneWithoutADlvRecordStaysInsecure() {
        try (ValidatingResolver r = resolver(world.server(), true)) {
            Answer a = r.resolve("www.plain.test.", Type.A);
            Verdict.Insecure i =
                    assertInstanceOf(Verdict.Insecure.class, a.verdict(), a.toString());
            assertEquals(Name.fromConstantString("plain.test."), i.delegation().orElse(null));
        }
    }

    @Test
    void theRegistrysNsecSpansSaveQueriesForEnclosingNames() {
        // RFC 5074 §5.3: the NXDOMAIN for sub.plain.test.dlv.test. (the signer's DLV name) carries
        // an NSEC whose
        // span also covers plain.test.dlv.test., so that name is never asked.
        WorldServer server = world.newServer();
        try (ValidatingResolver r = resolver(server, true)) {
            assertEquals(Status.INSECURE, r.resolve("www.sub.plain.test.", Type.A).status());
            assertEquals(
                    1,
                    server.log().count(q -> q.type() == Type.DLV),
                    server.log().entries().stream()
                            .filter(q -> q.type() == Type.DLV)
                            .map(q -> q.name().toString())
                            .toList()
                            .toString());
            assertEquals(1, server.log().count("sub.plain.test.dlv.test.", Type.DLV));
        } finally {
            server.close();
        }
    }

    @Test
    void anNsec3RegistrysHashSpansSaveQueriesToo() {
        try (World hashed =
                        World.builder()
                                .clock(CLOCK)
                                .zone("test.")
                                .zone(
                                        "plain.test.",
                                        z -> z.withoutDsInParent().record("www A 192.0.2.2"))
                                .zone("a.b.c.plain.test.", z -> z.record("www A 192.0.2.6"))
                                .zone(
                                        "dlv.test.",
                                        z -> z.nsec3(0, "", false).record("x A 192.0.2.9"))
                                .start();
                ValidatingResolver r =
                        ValidatingResolver.builder()
                                .upstream(hashed.address())
                                .trustAnchors(TrustAnchors.of(hashed.trustAnchors()))
                                .clock(CLOCK)
                                .dlv(
                                        "dlv.test.",
                                        TrustAnchors.of(hashed.zone("dlv.test.").dsRecords()))
                                .build()) {
            assertEquals(Status.INSECURE, r.resolve("www.a.b.c.plain.test.", Type.A).status());
            long asked = hashed.server().log().count(q -> q.type() == Type.DLV);
            // Four candidate names (a.b.c.plain … plain); an NSEC3 span that covers one of the
            // later ones
            // saves its query. The registry has three NSEC3 records, so at least one name is
            // skipped.
            assertTrue(asked >= 1 && asked < 4, "DLV queries: " + asked);
        }
    }

    @Test
    void dlvRecordPointingAtNoKeyIsBogus() {
        try (ValidatingResolver r = resolver(world.server(), true)) {
            Answer a = r.resolve("www.decoy.test.", Type.A);
            Verdict.Bogus b = assertInstanceOf(Verdict.Bogus.class, a.verdict(), a.toString());
            assertEquals(Reason.DNSKEY_MISSING, b.reason());
        }
    }

    @Test
    void ordinarySecureZonesNeverTouchTheRegistry() {
        WorldServer server = world.newServer();
        try (ValidatingResolver r = resolver(server, true)) {
            Answer a = r.resolve("www.secure.test.", Type.A);
            assertEquals(Status.SECURE, a.status());
            assertFalse(((Verdict.Secure) a.verdict()).viaDlv());
            assertEquals(0, server.log().count(q -> q.type() == Type.DLV));
        } finally {
            server.close();
        }
    }

    @Test
    void withoutDlvConfiguredNoDlvQueryIsSentAndIslandsAreInsecure() {
        WorldServer server = world.newServer();
        try (ValidatingResolver r = resolver(server, false)) {
            assertEquals(Status.INSECURE, r.resolve("www.island.test.", Type.A).status());
            assertEquals(0, server.log().count(q -> q.type() == Type.DLV));
        } finally {
            server.close();
        }
    }

    @Test
    void registryAnchorMustCoverTheRegistry() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ValidatingResolver.builder()
                                        .dlv(
                                                "dlv.test.",
                                                TrustAnchors.of(
                                                        world.zone("secure.test.").dsRecords())));
        assertTrue(e.getMessage().contains("must cover dlv.test."), e.getMessage());
    }
}
