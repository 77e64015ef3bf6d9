package io.mcprelay.domain.routing;

import java.time.Instant;
import java.util.Objects;

/**
 * Everything besides the candidates that a {@link SelectionStrategy} may use, passed in so selection
 * stays pure.
 *
 * <ul>
 *   <li>{@code now}: the instant of the selection, for the breakers' eligibility.</li>
 *   <li>{@code turn}: a counter the caller advances by one per selection (any {@code long}; it may
 *       wrap). Drives {@code ROUND_ROBIN} and {@code WEIGHTED_ROUND_ROBIN} and breaks
 *       {@code LEAST_IN_FLIGHT} ties.</li>
 *   <li>{@code random}: a fresh uniform random number in [0, 1), used by {@code RANDOM_WEIGHTED}
 *       only.</li>
 * </ul>
 * There are no defaults: the caller supplies all three.
 */
public record SelectionInput(Instant now, long turn, double random) {

    public SelectionInput {
        Objects.requireNonNull(now, "now");
        if (!(random >= 0.0 && random < 1.0)) {
            throw new IllegalArgumentException("random must be in [0, 1), not " + random);
        }
    }
}
