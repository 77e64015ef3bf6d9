package io.mcprelay.adapter.storage;

import io.mcprelay.application.port.out.ClockPort;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test moves it: time passes instantly, and exactly as much as asked. */
public final class MutableClock implements ClockPort {

    /** Where a new clock stands unless told otherwise. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    public MutableClock() {
        this(START);
    }

    @Override
    public Instant now() {
        return now.get();
    }

    /** Moves the clock forward by {@code duration}. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward");
        }
        now.updateAndGet(instant -> instant.plus(duration));
    }
}
