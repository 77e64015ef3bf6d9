package io.mcprelay.domain.routing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the upstream for a new session is chosen among the eligible candidates. Each strategy is a
 * pure function of the candidates and a {@link SelectionInput}; the caller keeps all state (the turn
 * counter) and supplies the randomness. The default is {@link #DEFAULT} ({@code ROUND_ROBIN}).
 *
 * <p>Only {@linkplain Candidate#isEligible eligible} candidates are considered: enabled, not
 * {@code UNHEALTHY} ({@code UNKNOWN} is eligible), breaker allowing a request at
 * {@link SelectionInput#now()}. The result is empty when none is. Selection does not take a
 * half-open breaker's trial slot: having chosen, the caller calls {@link CircuitBreaker#allowsRequest}
 * on the chosen upstream's breaker and stores the result.
 *
 * <p>Candidates are taken in list order; the caller should pass them in a stable order (configuration
 * order) so that turns mean the same thing from one selection to the next. A session, once placed,
 * stays on its upstream: selection is for new sessions only.
 */
public enum SelectionStrategy {

    /** Each eligible candidate in list order, one per turn: candidate {@code turn mod n}. Ignores weights. */
    ROUND_ROBIN,

    /**
     * A deterministic, turn-based interleaving in proportion to the weights: nginx's smooth weighted
     * round-robin, replayed from zero current weights for turn {@code turn mod W} (W the sum of the
     * eligible weights divided by their greatest common divisor). Over any W consecutive turns with
     * the same eligible set each candidate is chosen exactly weight/gcd times, and picks of a heavy
     * candidate are spread out rather than bunched (weights 5/1/1 give a a b a c a a). No state besides
     * the turn, so a change in the eligible set takes effect at once. Costs O(n·W) per selection, at
     * most 1000·n² for n candidates.
     */
    WEIGHTED_ROUND_ROBIN,

    /**
     * The candidate with the fewest exchanges in flight relative to its weight (in-flight ÷ weight,
     * as nginx's {@code least_conn}; with equal weights simply the fewest in flight). Ties rotate by
     * turn: among the tied, in list order, the one at {@code turn mod ties}.
     */
    LEAST_IN_FLIGHT,

    /**
     * A weighted random pick: the caller's {@link SelectionInput#random()} is mapped onto the
     * eligible weights laid end to end, so each candidate is chosen with probability weight ÷ total.
     */
    RANDOM_WEIGHTED;

    /** The strategy used when none is configured: {@link #ROUND_ROBIN}. */
    public static final SelectionStrategy DEFAULT = ROUND_ROBIN;

    /** The upstream for a new session, or empty when no candidate is eligible. */
    public Optional<UpstreamTarget> select(List<Candidate> candidates, SelectionInput input) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(input, "input");
        List<Candidate> eligible = candidates.stream().filter(c -> c.isEligible(input.now())).toList();
        if (eligible.isEmpty()) {
            return Optional.empty();
        }
        Candidate chosen = switch (this) {
            case ROUND_ROBIN -> eligible.get(Math.floorMod(input.turn(), eligible.size()));
            case WEIGHTED_ROUND_ROBIN -> eligible.get(WeightedPicks.smoothRoundRobin(weights(eligible), input.turn()));
            case LEAST_IN_FLIGHT -> WeightedPicks.leastLoaded(eligible, input.turn());
            case RANDOM_WEIGHTED -> eligible.get(WeightedPicks.proportional(weights(eligible), input.random()));
        };
        return Optional.of(chosen.target());
    }

    private static int[] weights(List<Candidate> eligible) {
        return eligible.stream().mapToInt(Candidate::weight).toArray();
    }
}
