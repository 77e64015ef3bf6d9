package io.mcprelay.domain.routing;

import static io.mcprelay.domain.routing.RoutingTestData.A;
import static io.mcprelay.domain.routing.RoutingTestData.B;
import static io.mcprelay.domain.routing.RoutingTestData.C;
import static io.mcprelay.domain.routing.RoutingTestData.T0;
import static io.mcprelay.domain.routing.RoutingTestData.at;
import static io.mcprelay.domain.routing.RoutingTestData.candidate;
import static io.mcprelay.domain.routing.RoutingTestData.openBreaker;
import static io.mcprelay.domain.routing.RoutingTestData.target;
import static io.mcprelay.domain.routing.SelectionStrategy.LEAST_IN_FLIGHT;
import static io.mcprelay.domain.routing.SelectionStrategy.RANDOM_WEIGHTED;
import static io.mcprelay.domain.routing.SelectionStrategy.ROUND_ROBIN;
import static io.mcprelay.domain.routing.SelectionStrategy.WEIGHTED_ROUND_ROBIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SelectionStrategyTest {

    /** Selections in the distribution tests. */
    private static final int N = 4000;
    /** Allowed deviation of each upstream's share from weight ÷ total, absolute: ±3 percentage points. */
    private static final double TOLERANCE = 0.03;
    /** Weights 1/1/2: expected shares 25 % / 25 % / 50 %. */
    private static final List<Candidate> ONE_ONE_TWO = List.of(candidate(A, 1), candidate(B, 1), candidate(C, 2));

    private static final UpstreamTarget DISABLED = target("disabled");
    private static final UpstreamTarget UNHEALTHY = target("unhealthy");
    private static final UpstreamTarget BROKEN = target("broken");
    private static final List<Candidate> INELIGIBLE = List.of(
            Candidate.of(new UpstreamSpec(DISABLED, 1000, false)),
            candidate(UNHEALTHY, 1000).withHealth(UpstreamHealth.UNHEALTHY),
            candidate(BROKEN, 1000).withBreaker(openBreaker(T0)));

    @Test
    void defaultsToRoundRobin() {
        assertThat(SelectionStrategy.DEFAULT).isEqualTo(ROUND_ROBIN);
    }

    // ---- eligibility, for every strategy

    @ParameterizedTest
    @EnumSource(SelectionStrategy.class)
    void selectsNothingFromNoCandidates(SelectionStrategy strategy) {
        assertThat(strategy.select(List.of(), at(0))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SelectionStrategy.class)
    void selectsNothingWhenNoCandidateIsEligible(SelectionStrategy strategy) {
        Random random = new Random(7);
        for (int turn = 0; turn < 100; turn++) {
            assertThat(strategy.select(INELIGIBLE, new SelectionInput(T0, turn, random.nextDouble()))).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(SelectionStrategy.class)
    void neverSelectsDisabledUnhealthyOrBrokenUpstreams(SelectionStrategy strategy) {
        List<Candidate> mixed = new ArrayList<>();
        mixed.add(INELIGIBLE.get(0));
        mixed.add(candidate(A).withHealth(UpstreamHealth.HEALTHY));
        mixed.add(INELIGIBLE.get(1));
        mixed.add(candidate(B));
        mixed.add(INELIGIBLE.get(2));
        mixed.add(candidate(C, 2));

        Map<UpstreamTarget, Integer> counts = select(strategy, mixed, N, new Random(11));

        assertThat(counts.keySet()).containsExactlyInAnyOrder(A, B, C);
    }

    @ParameterizedTest
    @EnumSource(SelectionStrategy.class)
    void unknownHealthIsEligibleSoAFreshProxyRoutes(SelectionStrategy strategy) {
        assertThat(strategy.select(List.of(candidate(A)), at(0))).contains(A);
    }

    @ParameterizedTest
    @EnumSource(SelectionStrategy.class)
    void breakerReadyForATrialMakesItsUpstreamEligibleAgain(SelectionStrategy strategy) {
        List<Candidate> onlyBroken = List.of(candidate(BROKEN).withBreaker(openBreaker(T0)));
        SelectionInput afterOpenDuration = new SelectionInput(T0.plus(BreakerPolicy.DEFAULT_OPEN_DURATION), 0, 0.0);

        assertThat(strategy.select(onlyBroken, at(0))).isEmpty();
        assertThat(strategy.select(onlyBroken, afterOpenDuration)).contains(BROKEN);
    }

    // ---- ROUND_ROBIN

    @Test
    void roundRobinTakesEligibleCandidatesInOrder() {
        List<Candidate> candidates = List.of(candidate(A), INELIGIBLE.get(0), candidate(B, 5), candidate(C));

        assertThat(picks(ROUND_ROBIN, candidates, 0, 7)).containsExactly(A, B, C, A, B, C, A);
    }

    @Test
    void roundRobinSurvivesTurnCounterOverflow() {
        assertThat(ROUND_ROBIN.select(ONE_ONE_TWO, at(-1))).contains(C);
        assertThat(ROUND_ROBIN.select(ONE_ONE_TWO, at(Long.MIN_VALUE))).isPresent();
        assertThat(ROUND_ROBIN.select(ONE_ONE_TWO, at(Long.MAX_VALUE))).isPresent();
    }

    // ---- WEIGHTED_ROUND_ROBIN

    @Test
    void weightedRoundRobinSharesFollowTheWeights() {
        Map<UpstreamTarget, Integer> counts = select(WEIGHTED_ROUND_ROBIN, ONE_ONE_TWO, N, new Random(1));

        assertShares(counts, 0.25, 0.25, 0.50);
        assertThat(counts).containsEntry(A, 1000).containsEntry(B, 1000).containsEntry(C, 2000);
    }

    @Test
    void weightedRoundRobinSpreadsTheHeavierUpstreamOut() {
        assertThat(picks(WEIGHTED_ROUND_ROBIN, ONE_ONE_TWO, 0, 8)).containsExactly(C, A, B, C, C, A, B, C);
    }

    @Test
    void weightedRoundRobinFollowsNginxSmoothSequence() {
        List<Candidate> fiveOneOne = List.of(candidate(A, 5), candidate(B, 1), candidate(C, 1));

        assertThat(picks(WEIGHTED_ROUND_ROBIN, fiveOneOne, 0, 7)).containsExactly(A, A, B, A, C, A, A);
    }

    @Test
    void weightedRoundRobinDependsOnlyOnWeightRatios() {
        List<Candidate> scaled = List.of(candidate(A, 300), candidate(B, 300), candidate(C, 600));

        assertThat(picks(WEIGHTED_ROUND_ROBIN, scaled, 0, 8)).containsExactly(C, A, B, C, C, A, B, C);
    }

    @Test
    void weightedRoundRobinWithEqualWeightsIsRoundRobin() {
        List<Candidate> equal = List.of(candidate(A, 7), candidate(B, 7), candidate(C, 7));

        assertThat(picks(WEIGHTED_ROUND_ROBIN, equal, 0, 6)).containsExactly(A, B, C, A, B, C);
    }

    @Test
    void weightedRoundRobinSurvivesTurnCounterOverflow() {
        assertThat(WEIGHTED_ROUND_ROBIN.select(ONE_ONE_TWO, at(-1))).contains(C);
        assertThat(WEIGHTED_ROUND_ROBIN.select(ONE_ONE_TWO, at(Long.MIN_VALUE))).isPresent();
        assertThat(WEIGHTED_ROUND_ROBIN.select(ONE_ONE_TWO, at(Long.MAX_VALUE))).isPresent();
    }

    @Test
    void weightedRoundRobinHandlesLargestWeights() {
        List<Candidate> heavy = List.of(candidate(A, 1000), candidate(B, 999), candidate(C, 1));

        Map<UpstreamTarget, Integer> counts = new LinkedHashMap<>();
        picks(WEIGHTED_ROUND_ROBIN, heavy, 0, 2000).forEach(t -> counts.merge(t, 1, Integer::sum));

        assertThat(counts).containsEntry(A, 1000).containsEntry(B, 999).containsEntry(C, 1);
    }

    // ---- RANDOM_WEIGHTED

    @Test
    void randomWeightedSharesFollowTheWeights() {
        Map<UpstreamTarget, Integer> counts = select(RANDOM_WEIGHTED, ONE_ONE_TWO, N, new Random(20250601));

        assertShares(counts, 0.25, 0.25, 0.50);
    }

    @Test
    void randomWeightedMapsTheRandomNumberOntoTheWeightsLaidEndToEnd() {
        assertThat(RANDOM_WEIGHTED.select(ONE_ONE_TWO, new SelectionInput(T0, 0, 0.0))).contains(A);
        assertThat(RANDOM_WEIGHTED.select(ONE_ONE_TWO, new SelectionInput(T0, 0, 0.2499))).contains(A);
        assertThat(RANDOM_WEIGHTED.select(ONE_ONE_TWO, new SelectionInput(T0, 0, 0.25))).contains(B);
        assertThat(RANDOM_WEIGHTED.select(ONE_ONE_TWO, new SelectionInput(T0, 0, 0.4999))).contains(B);
        assertThat(RANDOM_WEIGHTED.select(ONE_ONE_TWO, new SelectionInput(T0, 0, 0.5))).contains(C);
        assertThat(RANDOM_WEIGHTED.select(ONE_ONE_TWO, new SelectionInput(T0, 0, Math.nextDown(1.0)))).contains(C);
    }

    @Test
    void randomWeightedIgnoresTheTurn() {
        assertThat(LongStream.range(0, 10).mapToObj(turn -> RANDOM_WEIGHTED.select(ONE_ONE_TWO, new SelectionInput(T0, turn, 0.3))))
                .allSatisfy(pick -> assertThat(pick).contains(B));
    }

    // ---- LEAST_IN_FLIGHT

    @Test
    void leastInFlightPicksTheLeastLoaded() {
        List<Candidate> loaded = List.of(candidate(A).withInFlight(5), candidate(B).withInFlight(2), candidate(C).withInFlight(9));

        assertThat(picks(LEAST_IN_FLIGHT, loaded, 0, 5)).containsOnly(B);
    }

    @Test
    void leastInFlightRotatesTiesByTurn() {
        List<Candidate> tied = List.of(candidate(A).withInFlight(1), candidate(B).withInFlight(3), candidate(C).withInFlight(1));

        assertThat(picks(LEAST_IN_FLIGHT, tied, 0, 4)).containsExactly(A, C, A, C);
    }

    @Test
    void leastInFlightMeasuresLoadRelativeToWeight() {
        List<Candidate> weighted = List.of(candidate(A, 1).withInFlight(2), candidate(B, 4).withInFlight(4));

        assertThat(LEAST_IN_FLIGHT.select(weighted, at(0))).contains(B);
    }

    @Test
    void leastInFlightIgnoresIdleButIneligibleUpstreams() {
        List<Candidate> candidates = new ArrayList<>(INELIGIBLE);
        candidates.add(candidate(A).withInFlight(100));

        assertThat(LEAST_IN_FLIGHT.select(candidates, at(0))).contains(A);
    }

    // ---- helpers

    private static List<UpstreamTarget> picks(SelectionStrategy strategy, List<Candidate> candidates, long fromTurn, int count) {
        return LongStream.range(fromTurn, fromTurn + count)
                .mapToObj(turn -> strategy.select(candidates, at(turn)).orElseThrow())
                .toList();
    }

    /** {@code n} selections at turns 0..n-1, each with a fresh random number from {@code random}. */
    private static Map<UpstreamTarget, Integer> select(SelectionStrategy strategy, List<Candidate> candidates, int n, Random random) {
        Map<UpstreamTarget, Integer> counts = new LinkedHashMap<>();
        for (int turn = 0; turn < n; turn++) {
            UpstreamTarget pick = strategy.select(candidates, new SelectionInput(T0, turn, random.nextDouble())).orElseThrow();
            counts.merge(pick, 1, Integer::sum);
        }
        return counts;
    }

    private static void assertShares(Map<UpstreamTarget, Integer> counts, double a, double b, double c) {
        double total = counts.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).isEqualTo(N);
        assertThat(counts.getOrDefault(A, 0) / total).isCloseTo(a, within(TOLERANCE));
        assertThat(counts.getOrDefault(B, 0) / total).isCloseTo(b, within(TOLERANCE));
        assertThat(counts.getOrDefault(C, 0) / total).isCloseTo(c, within(TOLERANCE));
    }
}
