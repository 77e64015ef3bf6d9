package io.mcprelay.domain.limit;

import java.time.Duration;
import java.util.Objects;

/**
 * One token bucket's shape: {@code tokens} requests per {@code period} on average, refilled continuously
 * (greedily: a bucket for 60 per minute regains one token each second, not 60 at the minute), and at
 * most {@code burst} taken at once from a full bucket.
 *
 * @param tokens the tokens refilled each {@code period}, 1 to {@value #MAX_TOKENS}
 * @param period how long refilling {@code tokens} takes, 1 ms to 1 day
 * @param burst  the bucket's capacity, 1 to {@value #MAX_TOKENS}; a fresh bucket is full
 */
public record RateLimit(long tokens, Duration period, long burst) {

    public static final long MAX_TOKENS = 1_000_000_000L;
    private static final Duration MIN_PERIOD = Duration.ofMillis(1);
    private static final Duration MAX_PERIOD = Duration.ofDays(1);

    public RateLimit {
        Objects.requireNonNull(period, "period");
        if (tokens < 1 || tokens > MAX_TOKENS) {
            throw new IllegalArgumentException("a rate limit refills 1 to " + MAX_TOKENS + " tokens, not " + tokens);
        }
        if (burst < 1 || burst > MAX_TOKENS) {
            throw new IllegalArgumentException("a rate limit's burst is 1 to " + MAX_TOKENS + ", not " + burst);
        }
        if (period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("a rate limit's period is 1ms to 1d, not " + period);
        }
    }

    /** {@code tokens} per {@code period}, with a burst of as many. */
    public static RateLimit of(long tokens, Duration period) {
        return new RateLimit(tokens, period, tokens);
    }

    /** Tokens regained per nanosecond. */
    public double tokensPerNano() {
        return (double) tokens / period.toNanos();
    }

    /** How long an empty bucket takes to fill up: after that long unused, a bucket is as good as new. */
    public Duration timeToFill() {
        return Duration.ofNanos((long) Math.ceil(burst / tokensPerNano()));
    }

    /** The limit as it is configured and shown to clients: {@code 20/1s}, {@code 20/1s,burst=40}. */
    public String describe() {
        String rate = tokens + "/" + periodText(period);
        return burst == tokens ? rate : rate + ",burst=" + burst;
    }

    private static String periodText(Duration period) {
        long millis = period.toMillis();
        if (period.toNanos() % 1_000_000 != 0) {
            return period.toString();
        }
        if (millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
