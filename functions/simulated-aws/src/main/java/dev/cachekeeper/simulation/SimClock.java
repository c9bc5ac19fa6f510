package dev.cachekeeper.simulation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A clock that only moves when told to. When it belongs to a {@link SimulatedAws}, moving it forward runs the
 * account's time-driven transitions in order (snapshots finishing, groups becoming available, daily backups...), so
 * code holding only the {@code Clock} sees the same world as code calling {@link SimulatedAws#advance(Duration)}.
 */
public final class SimClock extends Clock {
    public static final Instant DEFAULT_START = Instant.parse("2026-11-01T00:00:00Z");

    private volatile Instant now;
    private volatile Consumer<Instant> driver;

    public SimClock() {
        this(DEFAULT_START);
    }

    public SimClock(Instant start) {
        this.now = Objects.requireNonNull(start);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        // Callers that want another zone get a fixed view; the simulated world itself always runs in UTC.
        return Clock.fixed(now, zone);
    }

    @Override
    public Instant instant() {
        return now;
    }

    public Instant now() {
        return now;
    }

    /** Moves forward by {@code d}, running due transitions when the clock belongs to an account. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("the simulated clock only moves forward: " + d);
        }
        set(now.plus(d));
    }

    /** Sets the time. Moving forward runs due transitions; moving back only changes the time (for odd tests). */
    public void set(Instant t) {
        Consumer<Instant> d = driver;
        if (d != null && t.isAfter(now)) {
            d.accept(t);
        } else {
            now = t;
        }
    }

    /** Used by the account's step loop: moves the hands without running anything. */
    void moveTo(Instant t) {
        now = t;
    }

    void drivenBy(Consumer<Instant> driver) {
        this.driver = driver;
    }
}
