package io.mcprelay.domain.limit;

import java.time.Duration;
import java.util.Objects;

/** Whether a bucket gave the tokens asked for: {@link Granted}, or {@link Denied} with how long to wait. */
public sealed interface TokenGrant permits TokenGrant.Granted, TokenGrant.Denied {

    Granted GRANTED = new Granted();

    /** The tokens were taken. */
    record Granted() implements TokenGrant {
    }

    /**
     * Nothing was taken: the bucket holds too few.
     *
     * @param retryAfter how long until it holds enough again, if nobody else takes from it meanwhile
     */
    record Denied(Duration retryAfter) implements TokenGrant {
        public Denied {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("a wait is not negative: " + retryAfter);
            }
        }

        /** The wait in whole seconds, rounded up and at least 1: what {@code Retry-After} carries. */
        public long retryAfterSeconds() {
            long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
            return Math.max(1, seconds);
        }
    }
}
