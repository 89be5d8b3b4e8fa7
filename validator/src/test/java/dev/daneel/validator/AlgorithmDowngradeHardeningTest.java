package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.World;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * {@code hardenAlgorithmDowngrade()} (Unbound's harden-algo-downgrade), off by default as RFC 6840
 * §5.11 allows: with it, a zone whose DS set lists two algorithms must sign its DNSKEY RRset with
 * both; without it, one verified algorithm suffices.
 */
class AlgorithmDowngradeHardeningTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
    private static World world;

    @BeforeAll
    static void start() {
        world =
                World.builder()
                        .clock(CLOCK)
                        .zone("test.")
                        .zone("both.test.", z -> z.doubleSigned(8, 13).record("www A 192.0.2.1"))
                        .zone(
                                "onlyone.test.",
                                z ->
                                        z.doubleSigned(8, 13)
                                                .dnskeySignedOnlyBy(13)
                                                .record("www A 192.0.2.2"))
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
    void byDefaultOneVerifiedAlgorithmSuffices() {
        try (ValidatingResolver r = resolver().build()) {
            assertEquals(Status.SECURE, r.resolve("www.both.test.", Type.A).status());
            assertEquals(Status.SECURE, r.resolve("www.onlyone.test.", Type.A).status());
        }
    }

    @Test
    void hardenedEveryAlgorithmTheDsListsMustSignTheKeys() {
        try (ValidatingResolver r = resolver().hardenAlgorithmDowngrade().build()) {
            Answer both = r.resolve("www.both.test.", Type.A);
            assertEquals(Status.SECURE, both.status(), both.toString());
            Answer a = r.resolve("www.onlyone.test.", Type.A);
            Verdict.Bogus b = assertInstanceOf(Verdict.Bogus.class, a.verdict(), a.toString());
            assertEquals(Reason.DNSSEC_BOGUS, b.reason());
            assertTrue(b.detail().contains("algorithm 8"), b.detail());
        }
    }
}
