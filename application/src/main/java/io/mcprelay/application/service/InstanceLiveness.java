package io.mcprelay.application.service;

import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.domain.stream.StreamId;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This instance's liveness, and the liveness of the instances whose streams it follows.
 *
 * <p><b>Beating.</b> The instance renews its liveness mark in the log ({@link StreamLeasePort#beat})
 * every quarter of its lease ({@link StreamSettings#ownerLease()}, {@code --stream-lease}): one write
 * per beat, however many streams it relays. Streams are leased to the instance, not renewed one by
 * one, so that a stream costs nothing to stay owned.
 *
 * <p><b>Watching.</b> A follower of a stream that another instance reads registers a {@link Watch}
 * naming that owner. While any watch is registered, a poll every {@value #POLL_MILLIS} ms asks the
 * log once per distinct owner whether it is alive (so 5,000 followed streams of one owner cost one
 * read per poll), marks the watches of a dead owner, and wakes their followers' waits
 * ({@link EventLogPort#wakeWaiters}) so they take the stream over at once rather than at the end
 * of their wait. It wakes them again every {@value #REWAKE_MILLIS} ms while the owner stays dead, so
 * a follower that was between two waits when the first wake came is woken by a later one (not at
 * every poll: a dead owner's thousands of followers queue for a take-over slot meanwhile).
 *
 * <p>Both run on {@link StreamSupervision}'s liveness thread (a platform thread, so that a loaded
 * virtual-thread scheduler cannot delay a renewal past the lease) and stop when the supervision
 * closes. A renewal or check blocks that thread for one store round trip; when the store cannot be
 * reached, for its command timeout, during which beats fail anyway.
 */
final class InstanceLiveness {

    private static final System.Logger LOG = System.getLogger(InstanceLiveness.class.getName());
    /**
     * How often watched owners are checked: one pipelined read per distinct owner, so 10 a second per
     * owner cost nothing next to the streams, and a dead owner's followers hear of it within 100 ms.
     */
    static final long POLL_MILLIS = 100;
    /** How soon the follower of a dead owner is woken again, if it has not acted on the last wake. */
    static final long REWAKE_MILLIS = 500;

    private final StreamLeasePort leases;
    private final EventLogPort log;
    private final String instanceId;
    private final Duration lease;
    private final StreamSupervision supervision;
    private final Map<Watch, Boolean> watches = new ConcurrentHashMap<>();
    /** The owners watched, each with its number of watches, kept as watches change: a poll needs no pass over the watches. */
    private final Map<String, Integer> owners = new ConcurrentHashMap<>();
    /** Watched owners the last poll found dead, with when their followers were last woken; only the poll writes it. */
    private final Map<String, Long> dead = new ConcurrentHashMap<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile boolean beatFailed;

    /**
     * @param leases where the liveness marks are
     * @param log    whose waits a dead owner's followers are woken from
     */
    InstanceLiveness(StreamLeasePort leases, EventLogPort log, String instanceId, Duration lease, StreamSupervision supervision) {
        this.leases = Objects.requireNonNull(leases, "leases");
        this.log = Objects.requireNonNull(log, "log");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.supervision = Objects.requireNonNull(supervision, "supervision");
    }

    /** Starts beating: the first beat at once, then every quarter of the lease. */
    void start() {
        supervision.scheduleLiveness(this::fireBeat, Duration.ZERO);
    }

    /** How often the liveness mark is renewed: a quarter of the lease, so two beats in a row may be lost without lapsing. */
    Duration beatEvery() {
        return lease.dividedBy(4);
    }

    /** On the liveness thread: beats, then schedules the next beat a quarter of the lease after this one began. */
    private void fireBeat() {
        long began = System.nanoTime();
        try {
            beat();
        } finally {
            Duration spent = Duration.ofNanos(System.nanoTime() - began);
            Duration next = beatEvery().minus(spent);
            supervision.scheduleLiveness(this::fireBeat, next.isNegative() ? Duration.ZERO : next);
        }
    }

    /** Renews the mark now; a failure is logged once per outage (the store logs its own state). */
    void beat() {
        try {
            leases.beat(instanceId, lease);
            if (beatFailed) {
                beatFailed = false;
                LOG.log(System.Logger.Level.INFO, "instance {0}: liveness renewed again", instanceId);
            }
        } catch (RuntimeException e) {
            if (!beatFailed) {
                beatFailed = true;
                LOG.log(System.Logger.Level.WARNING, "instance {0}: liveness not renewed (other instances may take its streams "
                        + "over after {1}): {2}", instanceId, lease, e.getMessage());
            }
        }
    }

    /** Starts watching for the death of the owner of {@code stream}; {@link Watch#close() close} it when the follower ends. */
    Watch watch(StreamId stream) {
        return new Watch(stream);
    }

    /** Checks every watched owner once and wakes the followers of those that are dead. */
    void poll() {
        poll(System.nanoTime());
    }

    /**
     * {@link #poll()} at {@code nowNanos} ({@link System#nanoTime()}; tests pass their own). One check
     * per watched owner; the watches themselves are gone through only for an owner found dead (to mark
     * and wake its followers, then every {@link #REWAKE_MILLIS}) or alive again (to unmark them).
     */
    void poll(long nowNanos) {
        for (String owner : owners.keySet()) {
            boolean alive;
            try {
                alive = leases.isAlive(owner);
            } catch (RuntimeException e) {
                // the store is unreachable: nobody can take a stream over now anyway; ask again next poll
                continue;
            }
            Long wokenAt = dead.get(owner);
            if (alive) {
                if (wokenAt != null) {
                    dead.remove(owner);
                    mark(owner, false, nowNanos);
                }
            } else if (wokenAt == null) {
                dead.put(owner, nowNanos);
                LOG.log(System.Logger.Level.INFO, "instance {0} is not alive: taking over the {1} streams of it followed here",
                        owner, owners.getOrDefault(owner, 0));
                mark(owner, true, nowNanos);
            } else if (nowNanos - wokenAt >= REWAKE_MILLIS * 1_000_000L) {
                dead.put(owner, nowNanos);
                mark(owner, true, nowNanos);
            }
        }
        dead.keySet().retainAll(owners.keySet());
    }

    /** Marks the followers of {@code owner} as following a dead owner (and wakes them) or a live one. */
    private void mark(String owner, boolean gone, long nowNanos) {
        for (Watch watch : watches.keySet()) {
            if (owner.equals(watch.owner)) {
                watch.gone = gone;
                if (gone) {
                    log.wakeWaiters(watch.stream);
                }
            }
        }
    }

    /** Number of registered watches (for tests). */
    int watching() {
        return watches.size();
    }

    private void ensurePolling() {
        if (polling.compareAndSet(false, true)) {
            supervision.scheduleLiveness(this::firePoll, Duration.ofMillis(POLL_MILLIS));
        }
    }

    /** On the liveness thread: one poll, then the next while anything is watched. */
    private void firePoll() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "owner watch failed; next poll in " + POLL_MILLIS + " ms", e);
        } finally {
            polling.set(false);
            if (!watches.isEmpty()) {
                ensurePolling();
            }
        }
    }

    /** Counts a watch more ({@code 1}) or less ({@code -1}) for {@code owner} (nothing for null); an owner at zero is not watched. */
    private void count(String owner, int delta) {
        if (owner != null) {
            owners.compute(owner, (o, n) -> {
                int now = (n == null ? 0 : n) + delta;
                return now <= 0 ? null : now;
            });
        }
    }

    /** A follower's interest in the liveness of its stream's owner. */
    final class Watch implements AutoCloseable {
        private final StreamId stream;
        private volatile String owner;
        /** The owner's lease as the follower last read it, if it named the watched owner. */
        private volatile StreamLeasePort.Lease lease;
        private volatile boolean gone;
        /** When ({@link System#nanoTime()}) the follower first found this instance's own lease with no pump here; 0 if not. */
        private long ownUnpumpedSince;


        private Watch(StreamId stream) {
            this.stream = stream;
        }

        /**
         * Watches {@code instance} (the stream's current owner), or nobody for empty; resets what was
         * known of a previous owner.
         */
        void owner(java.util.Optional<String> instance) {
            String next = instance.filter(i -> !i.equals(instanceId)).orElse(null);
            if (!Objects.equals(next, owner)) {
                count(owner, -1);
                count(next, 1);
                owner = next;
                // an owner the watch already knows dead: the follower may act at once (its next wake is due within REWAKE_MILLIS)
                gone = next != null && dead.containsKey(next);
            }
            if (lease != null && !lease.owner().equals(next)) {
                lease = null;
            }
            if (next == null) {
                watches.remove(this);
            } else {
                watches.put(this, Boolean.TRUE);
                ensurePolling();
            }
        }

        /**
         * Watches the owner of {@code current} (the stream's lease as the follower just read it), and
         * remembers the lease, so that once the owner is found dead the follower can take the stream
         * over without reading the lease again ({@link #deadOwnersLease}).
         */
        void lease(java.util.Optional<StreamLeasePort.Lease> current) {
            String before = owner;
            owner(current.map(StreamLeasePort.Lease::owner));
            if (!Objects.equals(before, owner)) {
                lease = current.filter(l -> l.owner().equals(owner)).orElse(null);
            }
        }

        /**
         * Whether the last poll found the watched owner dead and its lease, as last read, is known:
         * the follower may then try the take-over at once ({@link #takeDeadOwnersLease}), without
         * checking its hold or reading the lease first (the take-over checks both, atomically).
         */
        boolean knowsDeadOwnersLease() {
            StreamLeasePort.Lease known = lease;
            return gone && known != null && known.owner().equals(owner);
        }

        /**
         * The lease last read, when {@link #knowsDeadOwnersLease}; forgotten as it is handed out, so
         * that a take-over it could not make (the lease moved, the stream completed, another follower
         * holds it) is followed by the usual checks, not by another try with the same lease.
         */
        java.util.Optional<StreamLeasePort.Lease> takeDeadOwnersLease() {
            StreamLeasePort.Lease known = lease;
            if (!knowsDeadOwnersLease()) {
                return java.util.Optional.empty();
            }
            lease = null;
            return java.util.Optional.of(known);
        }

        /**
         * The follower found the stream leased to this instance but no pump here: true once that has
         * lasted {@code grace} (the first call starts the clock).
         */
        boolean ownLeaseUnpumpedFor(Duration grace) {
            long now = System.nanoTime();
            if (ownUnpumpedSince == 0) {
                ownUnpumpedSince = now;
                return false;
            }
            return now - ownUnpumpedSince >= grace.toNanos();
        }

        /** Whether the follower is timing an own lease without a pump (and should look again soon). */
        boolean ownLeaseSuspect() {
            return ownUnpumpedSince != 0;
        }

        /** The lease is another instance's: forget any own-lease timing. */
        void ownLeasePumped() {
            ownUnpumpedSince = 0;
        }

        /** The instance watched, or null. */
        String watched() {
            return owner;
        }

        /** Whether the last poll found the watched owner not alive. */
        boolean ownerGone() {
            return gone;
        }

        @Override
        public void close() {
            if (watches.remove(this) != null) {
                count(owner, -1);
                owner = null;
            }
        }
    }

    /** The distinct owners being watched (for tests). */
    Set<String> owners() {
        return Set.copyOf(owners.keySet());
    }
}
