package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.AnchorState;
import dev.daneel.anchors.AnchorStore;
import dev.daneel.anchors.TrustAnchors;
import dev.daneel.anchors.TrustPointState;
import dev.daneel.testkit.TestClock;
import dev.daneel.testkit.World;
import dev.daneel.testkit.ZoneBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The 2026–2027 root KSK roll in fast-forward (RFC 5011): a world whose root publishes KSK "2024"
 * beside KSK "2017", waits out the add hold-down, revokes "2017" and retires it. A resolver that
 * started with only "2017" and tracks its anchors ends trusting only "2024" and validates Secure in
 * every phase; one that does not track them fails once "2017" is gone.
 */
class AnchorRolloverTest {

    private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

    /** One phase of the roll: a world signed at the clock's current time, on the fixed port. */
    private static World phase(TestClock clock, int port, Consumer<ZoneBuilder> root) {
        return World.builder()
                .clock(Clock.fixed(clock.instant(), ZoneOffset.UTC))
                .port(port)
                .reuseKeysAcrossWorlds()
                .zone(
                        ".",
                        z -> {
                            z.algorithm(8).rsaKeyBits(1024).ttl(172800);
                            root.accept(z);
                        })
                .zone("test.", z -> z.record("www A 192.0.2.1"))
                .start();
    }

    private static Map<Integer, AnchorState> keyStates(List<TrustPointState> states) {
        return states.get(0).keys().stream()
                .filter(k -> !k.isDs())
                .collect(
                        Collectors.toMap(
                                TrustPointState.Key::keyTag,
                                TrustPointState.Key::state,
                                (a, b) -> a));
    }

    @Test
    void backgroundRefreshProbesOnItsOwnAndStopsOnClose(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock(START);
        try (World w = phase(clock, 0, z -> {})) {
            AnchorStore store = AnchorStore.at(dir.resolve("anchors.state"));
            ValidatingResolver r =
                    ValidatingResolver.builder()
                            .upstream(w.address())
                            .trustAnchors(TrustAnchors.of(w.trustAnchors()))
                            .clock(clock)
                            .trackAnchors(store, true)
                            .build();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (store.load().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20); // the first refresh runs at once on the resolver's own thread
                }
                assertTrue(
                        store.load().isPresent(), "the background refresh saved the anchor state");
                assertTrue(w.server().log().count(".", Type.DNSKEY) >= 1);
            } finally {
                r.close();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (refresherAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(!refresherAlive(), "the refresh thread ends with the resolver");
        }
    }

    private static boolean refresherAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("daneel-rfc5011") && t.isAlive());
    }

    @Test
    void aTrackingResolverRidesThroughTheRootKskRollAndAStaticOneDoesNot(@TempDir Path dir)
            throws Exception {
        TestClock clock = new TestClock(START);
        World p1 = phase(clock, 0, z -> {});
        int port = p1.server().port();
        TrustAnchors only2017 = TrustAnchors.of(p1.trustAnchors());
        DNSKEYRecord ksk2017 = p1.trustAnchorKeys().get(0);
        AnchorStore store = AnchorStore.at(dir.resolve("anchors.state"));
        ValidatingResolver tracking =
                ValidatingResolver.builder()
                        .upstream(p1.address())
                        .trustAnchors(only2017)
                        .clock(clock)
                        .trackAnchors(store, false)
                        .build();
        ValidatingResolver fixed =
                ValidatingResolver.builder()
                        .upstream(p1.address())
                        .trustAnchors(only2017)
                        .clock(clock)
                        .build();
        try {
            // Phase 1: only KSK-2017. The configured DS becomes a tracked, valid key.
            tracking.refreshAnchors();
            assertEquals(Status.SECURE, tracking.resolve("www.test.", Type.A).status());
            assertEquals(
                    AnchorState.VALID,
                    keyStates(store.load().orElseThrow()).get(ksk2017.getFootprint()));
            p1.close();

            // Phase 2: KSK-2024 published and signing beside KSK-2017: add hold-down starts.
            clock.advance(Duration.ofDays(1));

            World p2 = phase(clock, port, ZoneBuilder::standbyKsk);
            DNSKEYRecord ksk2024 = p2.zone(".").keys().get(1).dnskey();
            tracking.refreshAnchors();
            assertEquals(
                    AnchorState.ADD_PEND,
                    keyStates(store.load().orElseThrow()).get(ksk2024.getFootprint()));
            assertEquals(Status.SECURE, tracking.resolve("www.test.", Type.A).status());
            p2.close();

            // Refreshes during the hold-down, then past it: KSK-2024 becomes valid.
            for (int day = 0; day < 4; day++) {
                clock.advance(Duration.ofDays(10));
                World p = phase(clock, port, ZoneBuilder::standbyKsk);
                tracking.refreshAnchors();
                assertEquals(
                        Status.SECURE,
                        tracking.resolve("www.test.", Type.A).status(),
                        "day " + (1 + 10 * (day + 1)));
                p.close();
            }
            assertEquals(
                    AnchorState.VALID,
                    keyStates(store.load().orElseThrow()).get(ksk2024.getFootprint()));

            // Phase 3: KSK-2017 revoked (REVOKE bit, self-signed); KSK-2024 signs. 20326-style tag
            // change.
            clock.advance(Duration.ofDays(1));
            World p3 = phase(clock, port, z -> z.standbyKsk().revokedKsk());
            tracking.refreshAnchors();
            Map<Integer, AnchorState> states = keyStates(store.load().orElseThrow());
            assertEquals(
                    AnchorState.REVOKED,
                    states.get((ksk2017.getFootprint() + 128) & 0xffff),
                    states.toString());
            assertEquals(Status.SECURE, tracking.resolve("www.test.", Type.A).status());
            p3.close();

            // Phase 4: KSK-2017 gone. The tracking resolver trusts only KSK-2024; the static one
            // fails.
            clock.advance(Duration.ofDays(1));
            World p4 = phase(clock, port, z -> z.standbyKsk().retirePrimaryKsk());
            tracking.refreshAnchors();
            assertEquals(Status.SECURE, tracking.resolve("www.test.", Type.A).status());
            Answer stale = fixed.resolve("www.test.", Type.A);
            assertEquals(Status.BOGUS, stale.status(), stale.toString());
            List<TrustPointState> saved = store.load().orElseThrow();
            assertEquals(
                    List.of(ksk2024.getFootprint()),
                    saved.get(0).trustedAnchor().orElseThrow().keys().stream()
                            .map(DNSKEYRecord::getFootprint)
                            .toList(),
                    "only KSK-2024 is trusted");
            assertTrue(saved.get(0).zone().equals(Name.root));
            p4.close();
        } finally {
            tracking.close();
            fixed.close();
        }
    }
}
