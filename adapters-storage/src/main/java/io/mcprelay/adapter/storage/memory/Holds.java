package io.mcprelay.adapter.storage.memory;

import io.mcprelay.domain.stream.StreamId;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Time-limited holds on streams, by holder name: the follower holds of
 * {@link InMemoryStreamLeaseAdapter}. Bounded by the logs they belong to: dropped with them.
 */
final class Holds {

    private record Hold(String holder, Instant until) {
    }

    private final ConcurrentHashMap<StreamId, Hold> holds = new ConcurrentHashMap<>();

    /** Gives the hold to {@code holder}, whoever had it. */
    void take(StreamId stream, String holder, Instant until) {
        holds.put(stream, new Hold(holder, until));
    }

    /**
     * Renews {@code holder}'s hold; false if someone else holds it. A hold nobody has (released, or
     * never taken) becomes {@code holder}'s, as in the shared store: only another holder ends a hold.
     */
    boolean renew(StreamId stream, String holder, Instant now, Instant until) {
        Hold after = holds.compute(stream, (id, current) ->
                current == null || current.holder().equals(holder) ? new Hold(holder, until) : current);
        return after.holder().equals(holder);
    }

    /** How many holds are kept (live or not). */
    int size() {
        return holds.size();
    }

    Optional<String> holder(StreamId stream, Instant now) {
        Hold hold = holds.get(stream);
        return hold != null && hold.until().isAfter(now) ? Optional.of(hold.holder()) : Optional.empty();
    }

    /** Ends {@code holder}'s hold, if it still has it. */
    void release(StreamId stream, String holder) {
        holds.computeIfPresent(stream, (id, current) -> current.holder().equals(holder) ? null : current);
    }

    /** Drops the holds on streams whose logs are gone. */
    void prune(java.util.function.Predicate<StreamId> alive) {
        holds.keySet().removeIf(alive.negate());
    }
}
