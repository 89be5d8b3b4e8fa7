package dev.daneel.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A UTC clock that tests move by hand, for fast-forwarding through hold-downs, TTLs and signature
 * lifetimes: give it to a world's builder (or freeze it with {@link Clock#fixed}) and to the code
 * under test.
 *
 * <pre>{@code
 * TestClock clock = new TestClock(Instant.parse("2026-10-01T00:00:00Z"));
 * resolver = ValidatingResolver.builder().clock(clock)...build();
 * clock.advance(Duration.ofDays(31));   // past the RFC 5011 add hold-down
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TestClock extends Clock {

    private volatile Instant now;

    /** A clock that reads {@code start} until it is moved. */
    public TestClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** Moves the clock by {@code d} (backwards for a negative duration). */
    public void advance(Duration d) {
        now = now.plus(d);
    }

    /** Sets the time. */
    public void set(Instant t) {
        now = Objects.requireNonNull(t, "t");
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
