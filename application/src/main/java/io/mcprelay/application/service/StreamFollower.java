package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.LogSlice;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.StreamInfo;
import io.mcprelay.domain.stream.StreamKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Serves a stream to a client that resumes it: replays the stream's log and follows it live, and
 * takes the stream over when the instance that reads its upstream is gone. It exists apart from
 * {@link StreamRelay}, which relays live streams, because following and taking over is a loop of
 * its own over the shared log and leases (follower holds, owner watches, take-over slots) that a
 * live relay never needs; a take-over ends in the relay's own pump.
 */
final class StreamFollower {

    /** The relay's logger: these lines were the relay's before following had a class of its own, and log settings name it. */
    private static final System.Logger LOG = System.getLogger(StreamRelay.class.getName());
    /** How often a follower checks that no other connection took its stream over. */
    private static final long FOLLOWER_CHECK_NANOS = 500_000_000L;
    /** Store failures in a row after which a follower's stream is ended (each takes up to the command timeout). */
    private static final int MAX_STORE_FAILURES = 10;
    private static final java.time.Duration STORE_RETRY = java.time.Duration.ofMillis(500);
    /** How long this instance's own lease on a followed stream may go without a pump here before the follower takes it back. */
    private static final java.time.Duration OWN_UNPUMPED = java.time.Duration.ofSeconds(1);

    private final StreamRelay relay;
    private final LiveStreams live;
    private final EventLogPort log;
    private final StreamLeasePort leases;
    private final MessageCodecPort codec;
    private final ClockPort clock;
    private final RelayMetricsPort metrics;
    private final StreamSettings settings;
    private final String instanceId;
    private final InstanceLiveness liveness;
    private final java.util.concurrent.atomic.AtomicLong followers = new java.util.concurrent.atomic.AtomicLong();
    private final TakeOverSlots takeOvers = new TakeOverSlots(TakeOverSlots.DEFAULT);

    /**
     * Starts watching the liveness of the instances that own the streams followed here.
     *
     * @param relay the relay whose streams are followed, whose pump carries on a stream taken over
     * @param live  the streams pumped and followed on this instance (the relay's own)
     */
    StreamFollower(StreamRelay relay, LiveStreams live) {
        this.relay = relay;
        this.live = live;
        this.log = relay.log();
        this.leases = relay.leases();
        this.codec = relay.codec();
        this.clock = relay.clock();
        this.metrics = relay.metrics();
        this.settings = relay.settings();
        this.instanceId = relay.instanceId();
        this.liveness = new InstanceLiveness(leases, log, instanceId, settings.ownerLease(), relay.supervision());
        liveness.start();
    }

    /**
     * Replays the events after {@code afterSequence} of a stream's log to a resuming client, then
     * follows the log live until the stream completes (or its log expires, or the client goes).
     * While it waits at the end of the log, it watches the liveness of the instance that holds the
     * stream's lease; once that instance is dead (its liveness mark lapsed), it takes the stream
     * over and carries on reading its upstream here.
     */
    void resume(LogState state, long afterSequence, DownstreamPort.Head head, DownstreamPort downstream, StreamReattacher reattacher) {
        StreamInfo stream = state.stream();
        DownstreamPort.Stream out = downstream.openEventStream(head);
        Runnable stopFollowing = live.takeOver(stream.id(), out);
        String follower = instanceId + "/" + followers.incrementAndGet();
        long lastCheck = System.nanoTime();
        long lastWrite = System.nanoTime();
        int storeFailures = 0;
        boolean started = false;
        try (out; InstanceLiveness.Watch owner = liveness.watch(stream.id())) {
            metrics.streamOpened(stream.kind());
            long position = afterSequence;
            boolean caughtUp = false;
            while (!relay.handingOver()) {
                try {
                    if (!started) {
                        leases.follow(stream.id(), follower, settings.followerHold());
                        owner.lease(leases.lease(stream.id()));
                        started = true;
                    }
                    java.time.Duration untilHeartbeat = settings.heartbeatInterval().minusNanos(System.nanoTime() - lastWrite);
                    java.time.Duration wait = owner.ownLeaseSuspect() ? OWN_UNPUMPED : settings.renewEvery();
                    LogSlice slice = log.awaitAfter(stream.id(), position, settings.replayBatch(),
                            max(java.time.Duration.ofMillis(1), min(untilHeartbeat, wait)));
                    // not when a take-over comes next (the owner is known dead): the take-over checks the hold itself
                    boolean takeOverNext = owner.knowsDeadOwnersLease() && !live.isPumping(stream.id());
                    if (System.nanoTime() - lastCheck > FOLLOWER_CHECK_NANOS && !takeOverNext) {
                        lastCheck = System.nanoTime();
                        if (!leases.stillFollowing(stream.id(), follower, settings.followerHold())) {
                            LOG.log(System.Logger.Level.DEBUG, "stream {0}: another connection took it over", stream.id());
                            return;
                        }
                    }
                    storeFailures = 0;
                    if (slice.state().isEmpty()) {
                        LOG.log(System.Logger.Level.INFO, "stream {0}: log gone while a client followed it", stream.id());
                        return;
                    }
                    if (!slice.events().isEmpty() && slice.events().getFirst().sequence() != position + 1) {
                        // the follower fell behind the log's trimming: end the stream rather than skip events;
                        // resuming from the last id it got now answers 410, which tells the client what happened
                        LOG.log(System.Logger.Level.WARNING, "stream {0}: follower at {1} fell behind the replay log", stream.id(), position);
                        return;
                    }
                    for (LoggedEvent event : slice.events()) {
                        if (!out.emit(event.toClientEvent(stream.id()))) {
                            return;
                        }
                        metrics.eventReplayed();
                        position = event.sequence();
                        lastWrite = System.nanoTime();
                    }
                    LogState now = slice.state().get();
                    if (now.complete() && position >= now.lastSequence()) {
                        return;
                    }
                    boolean firstCatchUp = !caughtUp && position == now.lastSequence();
                    caughtUp |= firstCatchUp;
                    if ((slice.events().isEmpty() || firstCatchUp) && position == now.lastSequence() && !live.isPumping(stream.id())) {
                        // checked as soon as the replay caught up, then on each quiet wait; a bounded number at
                        // once (a dead instance's streams all come here together), in turn, within a heartbeat
                        Optional<TakeOverSlots.Slot> slot = takeOvers.take(max(java.time.Duration.ofMillis(1), untilHeartbeat));
                        if (slot.isPresent()) {
                            try (TakeOverSlots.Slot held = slot.get()) {
                                Optional<StreamLeasePort.TakenOver> taken = orphaned(stream, owner, follower, position);
                                if (taken.isPresent()) {
                                    // the instance that read this stream's upstream is gone, or handed it over: this one
                                    // carries on, first sending what the old owner logged since the last read
                                    owner.owner(Optional.empty());
                                    takeOverUpstream(stream, taken.get(), position, out, reattacher, held);
                                    return;
                                }
                            }
                        }
                    }
                    if (slice.events().isEmpty() && System.nanoTime() - lastWrite >= settings.heartbeatInterval().toNanos()) {
                        if (!out.comment("")) {
                            return;
                        }
                        lastWrite = System.nanoTime();
                    }
                } catch (StoreUnavailableException e) {
                    // the store is slow or gone for a moment (a take-over storm, a failover): the client keeps
                    // its stream and heartbeats; after a bounded number of failures in a row it is ended, and the
                    // client resumes from its last event id wherever it reconnects
                    if (++storeFailures > MAX_STORE_FAILURES || !out.comment("")) {
                        LOG.log(System.Logger.Level.WARNING, "stream {0}: ended for its follower: the store cannot be reached: {1}",
                                stream.id(), e.getMessage());
                        return;
                    }
                    lastWrite = System.nanoTime();
                    if (!pause(STORE_RETRY)) {
                        return;
                    }
                }
            }
        } finally {
            stopFollowing.run();
            try {
                leases.unfollow(stream.id(), follower);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "stream {0}: unfollow failed: {1}", stream.id(), e.getMessage());
            }
            metrics.streamClosed(stream.kind());
        }
    }

    /**
     * The stream as this instance took it over, if nobody reads it any more: no lease at all (its
     * opener died before claiming it), a lease {@link StreamRelay#HANDED_OVER} by its pump, the lease
     * of an instance the watch found dead, or this instance's own lease with no pump here for longer than
     * {@link #OWN_UNPUMPED} (a take-over of this instance that failed half-way, the store failing
     * under it; not a pump just starting, as when a client resumes from the priming event before the
     * pump is registered). Otherwise points the watch at the current owner and returns empty. A
     * take-over ends the follower's hold: its connection becomes the pump's own client. The follower
     * has read the log up to {@code position}: a store that keeps the answered requests beside the log
     * reads only what came after it.
     */
    private Optional<StreamLeasePort.TakenOver> orphaned(StreamInfo stream, InstanceLiveness.Watch owner, String follower, long position) {
        Optional<StreamLeasePort.Lease> known = owner.takeDeadOwnersLease();
        if (known.isPresent()) {
            // the watch found the owner of the lease last read dead: one round trip, if it is still the lease
            Optional<StreamLeasePort.TakenOver> taken = leases.takeOver(stream.id(), known.get(), instanceId, follower, position,
                    settings.replayBatch());
            if (taken.isPresent()) {
                return taken;
            }
        }
        Optional<StreamLeasePort.Lease> current = leases.lease(stream.id());
        if (current.isEmpty()) {
            return leases.claim(stream.id(), instanceId).map(claimed -> {
                leases.unfollow(stream.id(), follower);
                return new StreamLeasePort.TakenOver(claimed, log.readAfter(stream.id(), 0, settings.replayBatch()));
            });
        }
        StreamLeasePort.Lease lease = current.get();
        if (lease.owner().equals(StreamRelay.HANDED_OVER)) {
            return leases.takeOver(stream.id(), lease, instanceId, follower, position, settings.replayBatch());
        }
        if (lease.owner().equals(instanceId)) {
            return owner.ownLeaseUnpumpedFor(OWN_UNPUMPED)
                    ? leases.takeOver(stream.id(), lease, instanceId, follower, position, settings.replayBatch())
                    : Optional.empty();
        }
        owner.ownLeasePumped();
        if (owner.ownerGone() && lease.owner().equals(owner.watched())) {
            return leases.takeOver(stream.id(), lease, instanceId, follower, position, settings.replayBatch());
        }
        owner.lease(current);
        return Optional.empty();
    }

    /**
     * Carries on a stream whose reading instance died, under the lease this instance just took:
     * re-attaches to the upstream with the upstream's last event id when the upstream can resume,
     * frees the take-over's {@code slot}, sends the client what the old owner logged after
     * {@code position} (between the follower's last read and the take-over), and pumps on into the
     * same log and to this client; otherwise answers the stream's unanswered requests with an error
     * and ends it.
     */
    private void takeOverUpstream(StreamInfo stream, StreamLeasePort.TakenOver taken, long position, DownstreamPort.Stream out,
                                  StreamReattacher reattacher, TakeOverSlots.Slot slot) {
        if (taken.log().state().isEmpty()) {
            return;
        }
        // the old owner may have logged the last answer and died before completing the log: nothing is left to ask upstream
        boolean answeredInLog = stream.kind() == StreamKind.POST_RESPONSE
                && taken.answered().map(answered -> answered.containsAll(stream.requests())).orElse(false);
        Optional<UpstreamReconnect> reconnect = reattacher.forStream(stream);
        Optional<UpstreamEvents> source = answeredInLog ? Optional.empty()
                : taken.log().state().get().upstreamCursor().flatMap(cursor -> reconnect.flatMap(r -> r.resume(cursor)));
        // the store and the upstream are done with: writing to the client must not hold a slot (one that stops reading would keep it)
        slot.close();
        Optional<LoggedRead> logged = readTakenOver(stream, taken, position, out);
        if (logged.isEmpty()) {
            source.ifPresent(UpstreamEvents::close);
            return;
        }
        LogState state = logged.get().state();
        Set<RequestId> unanswered = logged.get().unanswered();
        StreamLeasePort.Lease lease = taken.lease();
        if (stream.kind() == StreamKind.POST_RESPONSE && unanswered.isEmpty()) {
            // every request is answered (a pump re-attached now would wait for an upstream with nothing more to send): done
            source.ifPresent(UpstreamEvents::close);
            LOG.log(System.Logger.Level.DEBUG, "stream {0}: its instance is gone after logging every answer; completing it", stream.id());
            relay.completeQuietly(stream, Optional.of(lease));
            return;
        }
        if (source.isPresent()) {
            // a line per stream only when debugging: the owner watch logs a dead instance once, with how many streams it had here
            LOG.log(System.Logger.Level.DEBUG, "stream {0}: its instance is gone; re-attached to the upstream at {1}", stream.id(),
                    state.upstreamCursor().orElseThrow());
        } else {
            LOG.log(System.Logger.Level.INFO, "stream {0}: its instance is gone; the upstream cannot resume it, ending it", stream.id());
        }
        // what the requests of the stream were is not logged: responses are matched on the session alone
        Exchange exchange = new Exchange(true, Optional.of(stream.session().value()), Optional.empty(), Optional.empty());
        StreamPump pump = new StreamPump(relay, source.orElseGet(EndedSource::new), out, Optional.of(stream), unanswered,
                reconnect.orElse(UpstreamReconnect.NONE), exchange);
        pump.holding(lease);
        pump.markReattached();
        pump.continueAfter(state.lastSequence());
        if (source.isEmpty()) {
            pump.abandon("the mcp-relay instance relaying this stream stopped and the upstream cannot resume it");
            relay.completeQuietly(stream, Optional.of(lease));
            return;
        }
        relay.pump(pump, Optional.of(stream), Optional.of(lease), List.of(), clock.now());
    }

    /** What a take-over found in the log: its state, and the stream's requests that no logged event answers. */
    private record LoggedRead(LogState state, Set<RequestId> unanswered) {
    }

    /**
     * Goes through the log of a stream just taken over, starting with what the take-over read: sends
     * the client the events after {@code position}, and notes which of the stream's requests are
     * answered, from the answers the store kept beside the log when it has them (then the take-over
     * read only what came after {@code position}), else from every logged event. The log's state is
     * final (no other instance writes to it any more), so this stops at its last sequence. Empty when
     * the log is gone or the client left.
     */
    private Optional<LoggedRead> readTakenOver(StreamInfo stream, StreamLeasePort.TakenOver taken, long position, DownstreamPort.Stream out) {
        LogSlice first = taken.log();
        if (first.state().isEmpty()) {
            return Optional.empty();
        }
        LogState state = first.state().get();
        Set<RequestId> unanswered = new java.util.LinkedHashSet<>(stream.requests());
        boolean answersKept = taken.answered().isPresent();
        taken.answered().ifPresent(unanswered::removeAll);
        long sent = position;
        long read = answersKept ? position : 0;
        LogSlice slice = first;
        while (true) {
            for (LoggedEvent event : slice.events()) {
                if (!answersKept && !unanswered.isEmpty()) {
                    StreamAnswers.answeredBy(codec, event.data()).forEach(unanswered::remove);
                }
                if (event.sequence() > sent) {
                    if (!out.emit(event.toClientEvent(stream.id()))) {
                        return Optional.empty();
                    }
                    metrics.eventReplayed();
                    sent = event.sequence();
                }
                read = event.sequence();
            }
            if (slice.events().isEmpty() || read >= state.lastSequence()) {
                return Optional.of(new LoggedRead(state, unanswered));
            }
            slice = log.readAfter(stream.id(), read, settings.replayBatch());
            if (slice.state().isEmpty()) {
                return Optional.empty();
            }
        }
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Sleeps; false if interrupted (the interrupt stays set). */
    private static boolean pause(java.time.Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static java.time.Duration max(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
