package io.mcprelay.application.port.out;

import io.mcprelay.domain.stream.StreamId;
import java.time.Duration;
import java.util.Optional;

/**
 * Coordination between the instances that share replay logs ({@link EventLogPort}): which instances
 * are alive, which instance reads each stream's upstream (its lease), and which client connection
 * follows each stream from its log. A store offers both ports over the same data: a stream's lease
 * lives and expires with its log.
 *
 * <p>Liveness is per instance, not per stream: each instance renews one liveness mark
 * ({@link #beat}) about every quarter of its lease, and a stream's lease names the instance that
 * reads its upstream and an epoch. The lease never expires by itself: it ends when another
 * instance, having seen that the owner is no longer alive, takes it over (which moves the epoch on).
 * Writes made to the log under a lease (append, upstream cursor, completion) are refused once the
 * epoch moved on, so an instance that was paused past its lease cannot write to a stream another
 * instance took over.
 *
 * <p>Methods are thread-safe and blocking; a store that cannot reach its backend throws
 * {@link StoreUnavailableException}. The contract test suite in adapters-storage checks every store
 * against this port and {@link EventLogPort} together.
 */
public interface StreamLeasePort {

    /** Marks {@code instance} alive for {@code ttl} from now (renewing any earlier mark). */
    void beat(String instance, Duration ttl);

    /** Whether {@code instance} counts as alive: its liveness mark is current (a store may also know sooner that it died). */
    boolean isAlive(String instance);

    /** Drops {@code instance}'s liveness mark at once (a clean shutdown), so its streams can be taken over without waiting. */
    void retire(String instance);

    /**
     * Claims the lease on reading the stream's upstream for instance {@code owner} if nobody holds it;
     * returns the lease {@code owner} holds after the call (the current one if it held it already),
     * or empty when another instance holds it or no live log exists.
     */
    Optional<Lease> claim(StreamId stream, String owner);

    /** The stream's lease, whether or not its instance is still alive; empty for no lease or no live log. */
    Optional<Lease> lease(StreamId stream);

    /**
     * Moves the lease from {@code from} (an instance the caller found not alive) to {@code owner}
     * under a new, higher epoch, if {@code from} is still the stream's lease and the log is live and
     * not complete; empty otherwise (another instance took it over first).
     */
    Optional<Lease> takeOver(StreamId stream, Lease from, String owner);

    /**
     * A take-over as the new owner needs it: moves the lease as {@link #takeOver(StreamId, Lease, String)}
     * does, ends {@code follower}'s hold if it still has it (the follower's connection becomes the new
     * owner's own client, see {@link #unfollow}), and reads the log from its start, up to {@code max}
     * events, with its state as the new owner found it (no other instance can write to it after).
     * Empty when the lease did not move, also when a follower other than {@code follower} holds the
     * stream (a connection that resumed it since: that one takes it over), so the caller need not
     * check its own hold first.
     *
     * <p>A shared store does all of it in one round trip: an instance taking over thousands of
     * streams of a dead instance at once pays one per stream, not one per step.
     */
    Optional<TakenOver> takeOver(StreamId stream, Lease from, String owner, String follower, int max);

    /**
     * The same take-over, for a follower that has read the log up to {@code after}: a store that keeps
     * the requests answered by the logged events ({@link EventLogPort.Entry#answers}) returns them as
     * {@link TakenOver#answered} and reads only the events after {@code after}, so a take-over costs
     * the same however long the log is; one that does not reads the log from its start, as
     * {@link #takeOver(StreamId, Lease, String, String, int)} does (the default).
     */
    default Optional<TakenOver> takeOver(StreamId stream, Lease from, String owner, String follower, long after, int max) {
        return takeOver(stream, from, owner, follower, max);
    }

    /**
     * Makes {@code follower} the one client connection reading the stream from the log (a resumed
     * client), taking over from any other, until {@code ttl} from now.
     */
    void follow(StreamId stream, String follower, Duration ttl);

    /**
     * Renews {@code follower}'s hold on the stream; false once another follower took it over. A hold
     * nobody else took (it ran out, or was released) is the follower's again.
     */
    boolean stillFollowing(StreamId stream, String follower, Duration ttl);

    /** Ends {@code follower}'s hold on the stream, if it still has it. */
    void unfollow(StreamId stream, String follower);

    /** Whether a follower currently holds the stream. */
    boolean isFollowed(StreamId stream);

    /**
     * Which instance reads a stream's upstream, and the epoch of its claim: the fencing token that
     * its writes carry. Every claim of a free stream and every take-over raises the epoch.
     */
    record Lease(String owner, long epoch) {
        public Lease {
            java.util.Objects.requireNonNull(owner, "owner");
        }
    }

    /**
     * A stream just taken over: the lease its new owner now holds, and the log as the take-over found
     * it (up to the number of events asked for): from its start, or, when {@code answered} is present,
     * after the position the taker had read up to.
     *
     * @param answered the ids of the stream's requests that its logged events answer, when the store
     *                 keeps them (empty: work them out from the log's events, read from the start)
     */
    record TakenOver(Lease lease, LogSlice log, Optional<java.util.Set<io.mcprelay.domain.jsonrpc.RequestId>> answered) {
        public TakenOver {
            java.util.Objects.requireNonNull(lease, "lease");
            java.util.Objects.requireNonNull(log, "log");
            answered = answered.map(java.util.Set::copyOf);
        }

        /** A take-over that read the log from its start. */
        public TakenOver(Lease lease, LogSlice log) {
            this(lease, log, Optional.empty());
        }
    }
}
