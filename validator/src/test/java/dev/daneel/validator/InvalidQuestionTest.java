package dev.daneel.validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.World;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.Type;

/**
 * Bad questions fail at once with {@link IllegalArgumentException}, before any future or in-flight
 * entry exists, so they can never leave the resolver waiting: the same good question asked
 * afterwards is answered.
 */
class InvalidQuestionTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void outOfRangeAndMetaTypesFailFastAndPoisonNothing() {
        try (World world =
                        World.builder()
                                .zone(
                                        "example.test.",
                                        z -> z.algorithm(13).record("www A 192.0.2.1"))
                                .start();
                ValidatingResolver r =
                        ValidatingResolver.builder()
                                .upstream(world.address())
                                .trustAnchors(TrustAnchors.of(world.trustAnchors()))
                                .clock(world.clock())
                                .timeout(Duration.ofSeconds(2))
                                .build()) {
            for (int bad :
                    new int[] {
                        70000, -1, Type.value("NO-SUCH-TYPE"), 65536, Type.OPT, Type.AXFR, Type.IXFR
                    }) {
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> r.lookup("www.example.test.", bad),
                                "type " + bad);
                assertTrue(e.getMessage().contains("type"), e.getMessage());
                assertThrows(
                        IllegalArgumentException.class, () -> r.resolve("www.example.test.", bad));
            }
            int threadsBefore = Thread.activeCount();
            for (int i = 0; i < 200; i++) {
                assertThrows(
                        IllegalArgumentException.class, () -> r.lookup("www.example.test.", 70000));
            }
            assertTrue(
                    Thread.activeCount() <= threadsBefore, "an invalid question starts no thread");
            assertEquals(Status.SECURE, r.resolve("www.example.test.", Type.A).status());
            assertEquals(
                    Status.SECURE,
                    r.resolve("www.example.test.", 65535).status(),
                    "65535 is a type one may ask");
        }
    }

    @Test
    void aRelativeOrMalformedNameIsRefusedWithTheReason() {
        try (ValidatingResolver r = ValidatingResolver.builder().upstream("127.0.0.1", 9).build()) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> r.lookup(org.xbill.DNS.Name.fromConstantString("www"), Type.A));
            assertThrows(IllegalArgumentException.class, () -> r.lookup("a..b", Type.A));
            assertThrows(
                    NullPointerException.class, () -> r.lookup((org.xbill.DNS.Name) null, Type.A));
        }
    }
}
