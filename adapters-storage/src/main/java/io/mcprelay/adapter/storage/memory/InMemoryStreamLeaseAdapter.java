package io.mcprelay.adapter.storage.memory;

import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.domain.stream.StreamId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The coordination of a single instance's streams, on the logs of an {@link InMemoryEventLogAdapter}:
 * one instance has nobody to hand its streams to, but the relay runs the same protocol whatever the
 * store (its own liveness mark, leases with epochs that fence the writes, follower holds), so this
 * store meets the same port contract as the shared one.
 *
 * <p>Each stream's lease lives in its {@link StreamLog} (so it goes with the log); the liveness marks
 * and the follower holds live here, the holds bounded by the number of logs (those of dropped logs
 * are pruned when there would be more).
 */
public final class InMemoryStreamLeaseAdapter implements StreamLeasePort {

    private final InMemoryEventLogAdapter logs;
    /** Follower holds. */
    private final Holds followers = new Holds();
    /** Each instance's liveness mark: until when it counts as alive. Pruned of lapsed marks on every beat. */
    private final ConcurrentHashMap<String, Instant> alive = new ConcurrentHashMap<>();

    /** @param logs the logs whose streams these leases and holds are on */
    public InMemoryStreamLeaseAdapter(InMemoryEventLogAdapter logs) {
        this.logs = Objects.requireNonNull(logs, "logs");
    }

    @Override
    public void beat(String instance, Duration ttl) {
        Objects.requireNonNull(instance, "instance");
        Instant now = logs.clock().now();
        alive.put(instance, now.plus(ttl));
        alive.values().removeIf(until -> !until.isAfter(now));
    }

    @Override
    public boolean isAlive(String instance) {
        Instant until = alive.get(Objects.requireNonNull(instance, "instance"));
        return until != null && until.isAfter(logs.clock().now());
    }

    @Override
    public void retire(String instance) {
        alive.remove(Objects.requireNonNull(instance, "instance"));
    }

    @Override
    public Optional<Lease> claim(StreamId stream, String owner) {
        Objects.requireNonNull(owner, "owner");
        Instant now = logs.clock().now();
        return logs.live(Objects.requireNonNull(stream, "stream"), now).flatMap(log -> log.claim(owner, now));
    }

    @Override
    public Optional<Lease> lease(StreamId stream) {
        Instant now = logs.clock().now();
        return logs.live(Objects.requireNonNull(stream, "stream"), now).flatMap(log -> log.lease(now));
    }

    @Override
    public Optional<Lease> takeOver(StreamId stream, Lease from, String owner) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(owner, "owner");
        Instant now = logs.clock().now();
        return logs.live(Objects.requireNonNull(stream, "stream"), now).flatMap(log -> log.takeOver(from, owner, now));
    }

    /** {@inheritDoc} Done in one step under the log's lock for the lease; the read follows (nobody else writes after the move). */
    @Override
    public Optional<TakenOver> takeOver(StreamId stream, Lease from, String owner, String follower, int max) {
        Objects.requireNonNull(follower, "follower");
        if (max < 0) {
            throw new IllegalArgumentException("a read takes max >= 0 events, not " + max);
        }
        Optional<String> holder = followers.holder(Objects.requireNonNull(stream, "stream"), logs.clock().now());
        if (holder.isPresent() && !holder.get().equals(follower)) {
            // another connection follows the stream now: it takes the stream over, not this one
            return Optional.empty();
        }
        return takeOver(stream, from, owner).map(lease -> {
            unfollow(stream, follower);
            return new TakenOver(lease, logs.readAfter(stream, 0, max));
        });
    }

    @Override
    public void follow(StreamId stream, String follower, Duration ttl) {
        Instant now = logs.clock().now();
        if (followers.size() >= logs.maxStreams()) {
            // the holds of dropped or expired logs go here, so there are never more than logs
            followers.prune(held -> logs.live(held, now).isPresent());
        }
        followers.take(stream, follower, now.plus(ttl));
    }

    @Override
    public boolean stillFollowing(StreamId stream, String follower, Duration ttl) {
        Instant now = logs.clock().now();
        return followers.renew(stream, follower, now, now.plus(ttl));
    }

    @Override
    public void unfollow(StreamId stream, String follower) {
        followers.release(stream, follower);
    }

    @Override
    public boolean isFollowed(StreamId stream) {
        return followers.holder(stream, logs.clock().now()).isPresent();
    }
}
