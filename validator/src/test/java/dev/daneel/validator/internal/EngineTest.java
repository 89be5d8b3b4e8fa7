package dev.daneel.validator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daneel.anchors.TrustAnchors;
import dev.daneel.testkit.World;
import dev.daneel.validator.Answer;
import dev.daneel.validator.Verdict;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The engine's guarantees about its fetcher, on fetchers written in the test (no sockets): whatever
 * a fetcher does — throw, return null, complete with null, never complete — every lookup ends with
 * a verdict within its deadline, and no question stays in the single-flight map to poison the
 * lookups after it.
 */
class EngineTest {

    private static final World WORLD =
            World.builder()
                    .zone("example.test.", z -> z.algorithm(13).record("www A 192.0.2.1"))
                    .build();
    private static final TrustAnchors ANCHORS = TrustAnchors.of(WORLD.trustAnchors());
    private static final Name WWW = Name.fromConstantString("www.example.test.");

    private static Engine engine(Fetcher fetcher, Duration deadline) {
        return new Engine(
                EngineConfig.of(fetcher, ANCHORS, WORLD.clock())
                        .withDeadline(deadline)
                        .withCacheSize(64));
    }

    private static void assertUnavailable(Answer a, String mentions) {
        Verdict.Indeterminate i =
                assertInstanceOf(Verdict.Indeterminate.class, a.verdict(), a.toString());
        assertEquals(Verdict.Cause.UNAVAILABLE, i.cause(), a.toString());
        assertTrue(i.detail().contains(mentions), i.detail());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aFetcherThatThrowsGivesIndeterminateAndLeavesNothingInFlight() {
        Engine e =
                engine(
                        (n, t) -> {
                            throw new IllegalArgumentException("boom " + n);
                        },
                        Duration.ofSeconds(5));
        assertUnavailable(e.lookup(WWW, Type.A), "boom");
        assertUnavailable(
                e.lookup(WWW, Type.A), "boom"); // asked again: not stuck behind a dead future
        assertEquals(0, e.fetchesInFlight());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aFetcherThatReturnsOrCompletesWithNullGivesIndeterminate() {
        assertUnavailable(
                engine((n, t) -> null, Duration.ofSeconds(5)).lookup(WWW, Type.A), "no future");
        Engine completesNull =
                engine(
                        (n, t) -> CompletableFuture.completedFuture((Message) null),
                        Duration.ofSeconds(5));
        assertUnavailable(completesNull.lookup(WWW, Type.A), "no response");
        assertEquals(0, completesNull.fetchesInFlight());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aFetcherThatNeverAnswersEndsAtTheDeadlineAndIsThenGivenUp() throws Exception {
        Engine e = engine((n, t) -> new CompletableFuture<>(), Duration.ofMillis(300));
        assertUnavailable(e.lookup(WWW, Type.A), "deadline");
        for (int i = 0; i < 50 && e.fetchesInFlight() > 0; i++) {
            Thread.sleep(20); // the single-flight entry times out on its own timer, just after the
            // deadline
        }
        assertEquals(
                0,
                e.fetchesInFlight(),
                "a question that never got an answer must leave the in-flight map");
        assertUnavailable(e.lookup(WWW, Type.A), "deadline");
    }

    @Test
    void anEngineNeverChangesItsConfiguration() {
        EngineConfig config =
                EngineConfig.of((n, t) -> new CompletableFuture<>(), ANCHORS, WORLD.clock());
        assertEquals(config, new Engine(config).config());
    }
}
