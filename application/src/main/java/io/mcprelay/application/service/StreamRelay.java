package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.LogSlice;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.application.port.out.StreamIdGeneratorPort;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.stream.EventId;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.LoggedEvent;
import io.mcprelay.domain.stream.SseEvent;
import io.mcprelay.domain.stream.StreamInfo;
import io.mcprelay.domain.stream.StreamKind;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Serves streams to clients: relays an upstream event stream live (logging every event under our
 * own event id), and replays a stream's log to a client that resumes it, following it live until it
 * completes. Shared by the POST, GET and resume use cases.
 */
public final class StreamRelay {

    private static final System.Logger LOG = System.getLogger(StreamRelay.class.getName());
    /** How often a follower checks that no other connection took its stream over. */
    private static final long FOLLOWER_CHECK_NANOS = 500_000_000L;
    /** Store failures in a row after which a follower's stream is ended (each takes up to the command timeout). */
    private static final int MAX_STORE_FAILURES = 10;
    private static final java.time.Duration STORE_RETRY = java.time.Duration.ofMillis(500);
    /** How long this instance's own lease on a followed stream may go without a pump here before the follower takes it back. */
    private static final java.time.Duration OWN_UNPUMPED = java.time.Duration.ofSeconds(1);
    /**
     * The {@code retry:} hint of a priming event: how long a client waits before resuming a broken
     * stream. Short, because the relay keeps a dropped stream's upstream only for the disconnect
     * grace (60 s by default) and its log for the replay TTL; a client's own back-off still applies
     * on top.
     */
    static final long PRIMING_RETRY_MILLIS = 1_000L;
    /**
     * The owner a stream's lease is handed to when its pump lets the upstream go with the stream
     * unfinished (its client gone): no instance has that name, so the next follower takes it over at
     * once and re-attaches the upstream.
     */
    static final String HANDED_OVER = "(handed over)";

    private final EventLogPort log;
    private final StreamIdGeneratorPort streamIds;
    private final MessageCodecPort codec;
    private final ClockPort clock;
    private final RelayMetricsPort metrics;
    private final StreamSettings settings;
    private final String instanceId;
    private final InterceptionService interception;
    private final StreamSupervision supervision;
    private final LiveStreams live = new LiveStreams();
    private final InstanceLiveness liveness;
    private final java.util.concurrent.atomic.AtomicLong followers = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param instanceId names this mcp-relay instance in stream leases (unique among the instances
     *                   sharing a log; any random id will do)
     * @param interception the interceptor chain every relayed message goes through
     * @param supervision  the timer that supervises every open stream (heartbeats, leases, grace);
     *                     the caller closes it on shutdown
     */
    public StreamRelay(EventLogPort log, StreamIdGeneratorPort streamIds, MessageCodecPort codec, ClockPort clock,
                       RelayMetricsPort metrics, StreamSettings settings, String instanceId, InterceptionService interception,
                       StreamSupervision supervision) {
        this.supervision = Objects.requireNonNull(supervision, "supervision");
        this.interception = Objects.requireNonNull(interception, "interception");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.log = Objects.requireNonNull(log, "log");
        this.streamIds = Objects.requireNonNull(streamIds, "streamIds");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.liveness = new InstanceLiveness(log, instanceId, settings.ownerLease(), supervision);
        liveness.start();
    }

    /**
     * Relays {@code upstream} to the client as a new stream of {@code session} (logged and resumable),
     * or, without a session, as a plain relay. Closes the upstream response. Each event goes through
     * the interceptors of {@code exchange}; {@code answeredHere} (requests of the POST the interceptors
     * answered) go out first.
     */
    void relayLive(UpstreamReply.Events upstream, Optional<Session> session, StreamKind kind, DownstreamPort.Head head,
                   DownstreamPort downstream, Set<RequestId> unanswered, List<SseEvent> alreadyRead, Instant requestedAt,
                   UpstreamReconnect reconnect, Exchange exchange, List<String> answeredHere) {
        Optional<StreamInfo> stream = session.map(s -> new StreamInfo(streamIds.next(), s.id(), kind, clock.now(), List.copyOf(unanswered)));
        Optional<EventLogPort.Lease> lease = stream.flatMap(s -> {
            log.open(s);
            return log.claim(s.id(), instanceId);
        });
        try (upstream; DownstreamPort.Stream out = downstream.openEventStream(head)) {
            metrics.streamOpened(kind);
            StreamPump pump = new StreamPump(this, upstream.events(), out, stream, unanswered, reconnect, exchange);
            lease.ifPresent(pump::holding);
            // registered before the client can know the stream's id: a resume of it here must find it pumping
            stream.ifPresent(s -> live.register(s.id(), pump));
            try {
                if (stream.isPresent() && session.get().protocolVersion().expectsPriming()) {
                    out.emit(priming(stream.get()));
                }
                pump.deliverAnsweredHere(answeredHere);
                pump(pump, stream, lease, alreadyRead, requestedAt);
            } finally {
                stream.ifPresent(s -> live.unregister(s.id(), pump));
                metrics.streamClosed(kind);
            }
        }
    }

    /**
     * The priming event a stream starts with (2025-11-25): our id at sequence 0, the position before
     * the stream's first event, so a client whose connection breaks before that event resumes the
     * stream with it and gets exactly what came after; and a {@code retry:} hint for how soon to
     * come back. Sequence 0 is a position of the stream's log from the moment the log is opened
     * (before this event is written), so it resumes on any instance sharing the log; it is never
     * logged itself, so a resumed client never gets it again, and it never reaches the interceptors.
     */
    static SseEvent priming(StreamInfo stream) {
        return new SseEvent(Optional.of(new EventId(stream.id(), 0).text()), Optional.empty(), "", Optional.of(PRIMING_RETRY_MILLIS));
    }

    /** Runs a pump with its supervisor until the stream ends, then completes its log. */
    private void pump(StreamPump pump, Optional<StreamInfo> stream, Optional<EventLogPort.Lease> lease, List<SseEvent> alreadyRead,
                      Instant requestedAt) {
        stream.ifPresent(s -> live.register(s.id(), pump));
        try (StreamSupervisor supervisor = supervision.supervise(pump, settings, stream.map(s -> s.id().value()).orElse("unlogged"))) {
            pump.run(alreadyRead, requestedAt);
        } finally {
            pump.closeUpstream();
            stream.ifPresent(s -> {
                live.unregister(s.id(), pump);
                if (pump.handsOver()) {
                    handOver(s, lease);
                } else {
                    completeQuietly(s, lease);
                }
            });
        }
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
            while (true) {
                try {
                    if (!started) {
                        log.follow(stream.id(), follower, settings.followerHold());
                        owner.owner(log.lease(stream.id()).map(EventLogPort.Lease::owner));
                        started = true;
                    }
                    java.time.Duration untilHeartbeat = settings.heartbeatInterval().minusNanos(System.nanoTime() - lastWrite);
                    java.time.Duration wait = owner.ownLeaseSuspect() ? OWN_UNPUMPED : settings.renewEvery();
                    LogSlice slice = log.awaitAfter(stream.id(), position, settings.replayBatch(),
                            max(java.time.Duration.ofMillis(1), min(untilHeartbeat, wait)));
                    if (System.nanoTime() - lastCheck > FOLLOWER_CHECK_NANOS) {
                        lastCheck = System.nanoTime();
                        if (!log.stillFollowing(stream.id(), follower, settings.followerHold())) {
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
                        // checked as soon as the replay caught up, then on each quiet wait
                        Optional<EventLogPort.Lease> taken = orphaned(stream, owner);
                        if (taken.isPresent()) {
                            // the instance that read this stream's upstream is gone, or handed it over: this one
                            // carries on, first sending what the old owner logged since the last read
                            position = catchUp(stream, position, out);
                            if (position >= 0) {
                                takeOverUpstream(stream, taken.get(), out, reattacher, follower);
                            }
                            return;
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
                log.unfollow(stream.id(), follower);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "stream {0}: unfollow failed: {1}", stream.id(), e.getMessage());
            }
            metrics.streamClosed(stream.kind());
        }
    }

    /**
     * The lease this instance took on a stream nobody reads any more, if it is so: no lease at all
     * (its opener died before claiming it), a lease {@link #HANDED_OVER} by its pump, the lease of an instance the watch found dead, or this
     * instance's own lease with no pump here for longer than {@link #OWN_UNPUMPED} (a take-over of
     * this instance that failed half-way, the store failing under it; not a pump just starting, as
     * when a client resumes from the priming event before the pump is registered). Otherwise points
     * the watch at the current owner and returns empty.
     */
    private Optional<EventLogPort.Lease> orphaned(StreamInfo stream, InstanceLiveness.Watch owner) {
        Optional<EventLogPort.Lease> current = log.lease(stream.id());
        if (current.isEmpty()) {
            return log.claim(stream.id(), instanceId);
        }
        EventLogPort.Lease lease = current.get();
        if (lease.owner().equals(HANDED_OVER)) {
            return log.takeOver(stream.id(), lease, instanceId);
        }
        if (lease.owner().equals(instanceId)) {
            return owner.ownLeaseUnpumpedFor(OWN_UNPUMPED) ? log.takeOver(stream.id(), lease, instanceId) : Optional.empty();
        }
        owner.ownLeasePumped();
        if (owner.ownerGone() && lease.owner().equals(owner.watched())) {
            return log.takeOver(stream.id(), lease, instanceId);
        }
        owner.owner(Optional.of(lease.owner()));
        return Optional.empty();
    }

    /**
     * Carries on a stream whose reading instance died, under the lease this instance just took (the
     * client has everything logged so far): re-attaches to the upstream with the upstream's last event id when the upstream can resume,
     * and pumps on into the same log and to this client; otherwise answers the stream's unanswered
     * requests with an error and ends it.
     */
    private void takeOverUpstream(StreamInfo stream, EventLogPort.Lease lease, DownstreamPort.Stream out,
                                  StreamReattacher reattacher, String follower) {
        Optional<LogState> current = log.state(stream.id());
        if (current.isEmpty()) {
            return;
        }
        LogState state = current.get();
        // this connection is now the pump's own client, not a follower: a follower appearing from
        // here on is another connection taking the stream over
        log.unfollow(stream.id(), follower);
        Set<RequestId> unanswered = unansweredIn(stream);
        Optional<UpstreamReconnect> reconnect = reattacher.forStream(stream);
        Optional<UpstreamEvents> source = state.upstreamCursor().flatMap(cursor -> reconnect.flatMap(r -> r.resume(cursor)));
        LOG.log(System.Logger.Level.INFO, "stream {0}: its instance is gone; {1}", stream.id(),
                source.isPresent() ? "re-attached to the upstream at " + state.upstreamCursor().orElseThrow()
                        : "the upstream cannot resume it, ending it");
        // what the requests of the stream were is not logged: responses are matched on the session alone
        Exchange exchange = new Exchange(true, Optional.of(stream.session().value()), Optional.empty(), Optional.empty());
        StreamPump pump = new StreamPump(this, source.orElseGet(EndedSource::new), out, Optional.of(stream), unanswered,
                reconnect.orElse(UpstreamReconnect.NONE), exchange);
        pump.holding(lease);
        pump.markReattached();
        pump.continueAfter(state.lastSequence());
        if (source.isEmpty()) {
            pump.abandon("the mcp-relay instance relaying this stream stopped and the upstream cannot resume it");
            completeQuietly(stream, Optional.of(lease));
            return;
        }
        pump(pump, Optional.of(stream), Optional.of(lease), List.of(), clock.now());
    }

    /**
     * Sends the client the events logged after {@code position} (the old owner may have appended
     * some between the follower's last read and the take-over); the position after them, or -1 when
     * the log is gone or the client left.
     */
    private long catchUp(StreamInfo stream, long position, DownstreamPort.Stream out) {
        long at = position;
        while (true) {
            LogSlice slice = log.readAfter(stream.id(), at, settings.replayBatch());
            if (slice.state().isEmpty()) {
                return -1;
            }
            for (LoggedEvent event : slice.events()) {
                if (!out.emit(event.toClientEvent(stream.id()))) {
                    return -1;
                }
                metrics.eventReplayed();
                at = event.sequence();
            }
            if (slice.events().isEmpty()) {
                return at;
            }
        }
    }

    /**
     * Leaves a stream whose upstream was released with its client gone open for a resuming client:
     * its log stays incomplete and its lease goes to {@link #HANDED_OVER}, so a resume on any instance
     * finds nobody reading the upstream and re-attaches it ({@link #takeOverUpstream}).
     */
    private void handOver(StreamInfo stream, Optional<EventLogPort.Lease> lease) {
        try {
            lease.ifPresent(held -> log.takeOver(stream.id(), held, HANDED_OVER));
            LOG.log(System.Logger.Level.DEBUG, "stream {0}: upstream released with its client gone; a resume re-attaches it", stream.id());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "stream {0}: lease not cut short: {1}", stream.id(), e.getMessage());
        }
    }

    /** The stream's requests that no logged event answers yet. */
    private Set<RequestId> unansweredIn(StreamInfo stream) {
        Set<RequestId> unanswered = new java.util.LinkedHashSet<>(stream.requests());
        long position = 0;
        while (!unanswered.isEmpty()) {
            LogSlice slice = log.readAfter(stream.id(), position, settings.replayBatch());
            if (slice.events().isEmpty()) {
                break;
            }
            for (LoggedEvent event : slice.events()) {
                StreamAnswers.answeredBy(codec, event.data()).forEach(unanswered::remove);
                position = event.sequence();
            }
        }
        return unanswered;
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

    String instanceId() {
        return instanceId;
    }

    StreamSettings settings() {
        return settings;
    }

    /** Drops the replay logs of a session that ended (DELETE, or lost by its upstream). */
    void forgetSession(io.mcprelay.domain.session.ProxySessionId session) {
        try {
            log.deleteSession(session);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "session {0}: replay logs not dropped: {1}", session, e.getMessage());
        }
    }

    private void completeQuietly(StreamInfo stream, Optional<EventLogPort.Lease> lease) {
        try {
            if (lease.isPresent()) {
                log.complete(stream.id(), lease.get());
            } else {
                log.complete(stream.id());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "stream {0}: log already gone at completion: {1}", stream.id(), e.getMessage());
        }
    }

    InterceptionService interception() {
        return interception;
    }

    EventLogPort log() {
        return log;
    }

    MessageCodecPort codec() {
        return codec;
    }

    ClockPort clock() {
        return clock;
    }

    RelayMetricsPort metrics() {
        return metrics;
    }
}
