package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.Breakage;
import dev.daneel.testkit.TestClock;
import dev.daneel.testkit.World;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Negative trust anchors (RFC 7646): names at and below one are Insecure on purpose, with a cause
 * that says so, for no longer than the anchor lives; nothing under it is ever Secure (not even a
 * proven absence, not from the aggressive-NSEC cache); when it expires validation is back on.
 */
class NegativeTrustAnchorTest {

    private static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-21T12:00:00Z"));
    private static World world;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.", z -> z.nsec().record("www A 192.0.2.1"))
                        .zone(
                                "corp.test.",
                                z ->
                                        z.record("www A 192.0.2.10")
                                                .breakAll(Breakage.EXPIRED_SIGNATURES))
                        .start();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static ValidatingResolver.Builder resolver() {
        return ValidatingResolver.builder()
                .upstream(world.address())
                .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                .clock(CLOCK)
                .timeout(Duration.ofSeconds(2));
    }

    @Test
    void aBrokenInternalZoneIsInsecureUnderItsAnchorAndBogusAfterItExpires() {
        Instant expiry = CLOCK.instant().plus(Duration.ofMinutes(30));
        try (ValidatingResolver plain = resolver().build();
                ValidatingResolver nta =
                        resolver().negativeTrustAnchor("corp.test.", expiry).build()) {
            assertEquals(Status.BOGUS, plain.resolve("www.corp.test.", Type.A).status());

            Answer a = nta.resolve("www.corp.test.", Type.A);
            Verdict.Insecure i =
                    assertInstanceOf(Verdict.Insecure.class, a.verdict(), a.toString());
            assertEquals(InsecureCause.NEGATIVE_TRUST_ANCHOR, i.cause());
            assertEquals(Name.fromConstantString("corp.test."), i.delegation().orElseThrow());
            assertTrue(i.detail().contains("RFC 7646"), i.detail());
            assertEquals(1, a.records().size(), "the data is handed out, as for any insecure zone");
            assertTrue(a.ttl() <= 1800, "never cached beyond the anchor's expiry: " + a.ttl());

            CLOCK.advance(Duration.ofMinutes(31));
            assertEquals(
                    Status.BOGUS,
                    nta.resolve("www.corp.test.", Type.A).status(),
                    "validation is back on");
        }
    }

    @Test
    void nothingUnderTheAnchorIsSecureNotEvenAProvenAbsence() {
        Instant expiry = CLOCK.instant().plus(Duration.ofHours(1));
        try (ValidatingResolver r =
                resolver().aggressiveNsec().negativeTrustAnchor("inside.test.", expiry).build()) {
            // The public zone proves inside.test. does not exist; under the anchor that proof is
            // not used.
            assertEquals(
                    Status.SECURE,
                    r.resolve("insidf.test.", Type.A).status(),
                    "outside the anchor: validated");
            Answer a = r.resolve("x.inside.test.", Type.A);
            assertEquals(Status.INSECURE, a.status(), a.toString());
            assertEquals(Rcode.NXDOMAIN, a.rcode());
            Answer apex = r.resolve("inside.test.", Type.A);
            assertEquals(Status.INSECURE, apex.status(), apex.toString());
            assertFalse(
                    r.resolve("www.test.", Type.A).status() != Status.SECURE,
                    "names beside it are still validated");
        }
    }

    @Test
    void aRelativeZoneIsRefusedAtBuildTime() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new NegativeTrustAnchor(Name.fromConstantString("corp"), Instant.EPOCH));
    }
}
