package io.mcprelay.domain.routing;

import java.util.List;
import java.util.Optional;

/**
 * Picks the upstream for a new session by round-robin over the candidates. Pure: the caller keeps
 * the turn counter and passes the next value in.
 */
public final class UpstreamSelection {

    private UpstreamSelection() {
    }

    /** The candidate whose turn {@code turn} is, or empty when there is none. */
    public static Optional<UpstreamTarget> roundRobin(List<UpstreamTarget> candidates, long turn) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(candidates.get((int) Math.floorMod(turn, (long) candidates.size())));
    }
}
