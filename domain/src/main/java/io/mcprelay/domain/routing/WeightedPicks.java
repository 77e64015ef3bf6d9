package io.mcprelay.domain.routing;

import java.util.ArrayList;
import java.util.List;

/** The arithmetic behind the weighted {@link SelectionStrategy} variants. Inputs are non-empty with weights ≥ 1. */
final class WeightedPicks {

    private WeightedPicks() {
    }

    /**
     * The index nginx's smooth weighted round-robin picks at step {@code turn mod W}, starting from zero
     * current weights. The sequence has period W (after W steps every current weight is back to zero),
     * so replaying one period needs no state; dividing by the gcd first keeps the period short.
     *
     * <p>Each step: add every weight to its current weight, pick the largest current weight (the first
     * on ties), subtract W from it.
     */
    static int smoothRoundRobin(int[] weights, long turn) {
        int divisor = 0;
        for (int weight : weights) {
            divisor = gcd(divisor, weight);
        }
        int[] reduced = new int[weights.length];
        int total = 0;
        for (int i = 0; i < weights.length; i++) {
            reduced[i] = weights[i] / divisor;
            total = Math.addExact(total, reduced[i]);
        }
        int steps = (int) Math.floorMod(turn, (long) total);
        int[] current = new int[reduced.length];
        int chosen = 0;
        for (int step = 0; step <= steps; step++) {
            chosen = 0;
            for (int i = 0; i < reduced.length; i++) {
                current[i] += reduced[i];
                if (current[i] > current[chosen]) {
                    chosen = i;
                }
            }
            current[chosen] -= total;
        }
        return chosen;
    }

    /** The index whose slice of the weights laid end to end contains {@code random} ∈ [0, 1) of the total. */
    static int proportional(int[] weights, double random) {
        long total = 0;
        for (int weight : weights) {
            total += weight;
        }
        long point = Math.min((long) Math.floor(random * total), total - 1);
        long end = 0;
        for (int i = 0; i < weights.length; i++) {
            end += weights[i];
            if (point < end) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** The least loaded candidate (in-flight ÷ weight), ties rotated by {@code turn}. */
    static Candidate leastLoaded(List<Candidate> candidates, long turn) {
        List<Candidate> tied = new ArrayList<>();
        for (Candidate candidate : candidates) {
            int order = tied.isEmpty() ? -1 : compareLoad(candidate, tied.getFirst());
            if (order < 0) {
                tied.clear();
            }
            if (order <= 0) {
                tied.add(candidate);
            }
        }
        return tied.get(Math.floorMod(turn, tied.size()));
    }

    /** Compares a.inFlight / a.weight with b.inFlight / b.weight without division. */
    private static int compareLoad(Candidate a, Candidate b) {
        return Long.compare((long) a.inFlight() * b.weight(), (long) b.inFlight() * a.weight());
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int r = a % b;
            a = b;
            b = r;
        }
        return a;
    }
}
