package io.mcprelay.application.service;

import io.mcprelay.application.port.out.ClockPort;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.StreamLeasePort;
import io.mcprelay.application.port.out.MessageCodecPort;
import io.mcprelay.application.port.out.RelayMetricsPort;
import io.mcprelay.application.port.out.StreamIdGeneratorPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.stream.EventId;
import io.mcprelay.domain.stream.LogState;
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
    private final StreamLeasePort leases;
    private final StreamIdGeneratorPort streamIds;
    private final MessageCodecPort codec;
    private final ClockPort clock;
    private final RelayMetricsPort metrics;
    private final StreamSettings settings;
    private final String instanceId;
    private final InterceptionService interception;
    private final StreamSupervision supervision;
    private final LiveStreams live = new LiveStreams();
    /** Set by {@link #handOverAll()}: followers here let their clients go. */
    private volatile boolean handingOver;
    /** Serves the clients that resume a stream here: follows its log, takes it over when its reader is gone. */
    private final StreamFollower following;

    /**
     * @param log        the streams' replay logs
     * @param leases     the coordination with the other instances sharing those logs (liveness,
     *                   stream leases, followers): the same store's other port
     * @param instanceId names this mcp-relay instance in stream leases (unique among the instances
     *                   sharing a log; any random id will do)
     * @param interception the interceptor chain every relayed message goes through
     * @param supervision  the timer that supervises every open stream (heartbeats, leases, grace);
     *                     the caller closes it on shutdown
     */
    public StreamRelay(EventLogPort log, StreamLeasePort leases, StreamIdGeneratorPort streamIds, MessageCodecPort codec, ClockPort clock,
                       RelayMetricsPort metrics, StreamSettings settings, String instanceId, InterceptionService interception,
                       StreamSupervision supervision) {
        this.supervision = Objects.requireNonNull(supervision, "supervision");
        this.interception = Objects.requireNonNull(interception, "interception");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.log = Objects.requireNonNull(log, "log");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.streamIds = Objects.requireNonNull(streamIds, "streamIds");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.following = new StreamFollower(this, live);
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
        Optional<StreamLeasePort.Lease> lease = stream.flatMap(s -> {
            log.open(s);
            return leases.claim(s.id(), instanceId);
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
    void pump(StreamPump pump, Optional<StreamInfo> stream, Optional<StreamLeasePort.Lease> lease, List<SseEvent> alreadyRead,
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
     * follows the log live until the stream completes (or its log expires, or the client goes),
     * taking the stream over if the instance that reads its upstream is gone: see {@link StreamFollower}.
     */
    void resume(LogState state, long afterSequence, DownstreamPort.Head head, DownstreamPort downstream, StreamReattacher reattacher) {
        following.resume(state, afterSequence, head, downstream, reattacher);
    }

    /**
     * Leaves a stream whose upstream was released with its client gone open for a resuming client:
     * its log stays incomplete and its lease goes to {@link #HANDED_OVER}, so a resume on any instance
     * finds nobody reading the upstream and re-attaches it (a {@link StreamFollower} takes it over).
     */
    private void handOver(StreamInfo stream, Optional<StreamLeasePort.Lease> lease) {
        try {
            lease.ifPresent(held -> leases.takeOver(stream.id(), held, HANDED_OVER));
            LOG.log(System.Logger.Level.DEBUG, "stream {0}: upstream released with its client gone; a resume re-attaches it", stream.id());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "stream {0}: lease not cut short: {1}", stream.id(), e.getMessage());
        }
    }

    /** Whether {@link #handOverAll()} began: followers here let their clients go. */
    boolean handingOver() {
        return handingOver;
    }

    String instanceId() {
        return instanceId;
    }

    /**
     * This instance stops serving streams (the end of a graceful stop): every stream it reads from
     * an upstream is handed over ({@link #HANDED_OVER}: the next resume, on any instance sharing the
     * log, re-attaches the upstream where this one stopped, without waiting for a lease) and its
     * client's response ends; every client following a stream here is let go too. Nothing is
     * answered or completed: the streams are not over, their clients resume them. Returns how many
     * streams were handed over.
     */
    public int handOverAll() {
        handingOver = true;
        int handed = live.yieldAll(HANDED_OVER);
        for (io.mcprelay.domain.stream.StreamId followed : live.followed()) {
            try {
                log.wakeWaiters(followed);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "stream {0}: follower not woken: {1}", followed, e.getMessage());
            }
        }
        return handed;
    }

    StreamSettings settings() {
        return settings;
    }

    /** The timer that supervises open streams (heartbeats, release of an unattended upstream). */
    StreamSupervision supervision() {
        return supervision;
    }

    /** Drops the replay logs of a session that ended (DELETE, or lost by its upstream). */
    void forgetSession(io.mcprelay.domain.session.ProxySessionId session) {
        try {
            log.deleteSession(session);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "session {0}: replay logs not dropped: {1}", session, e.getMessage());
        }
    }

    void completeQuietly(StreamInfo stream, Optional<StreamLeasePort.Lease> lease) {
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

    StreamLeasePort leases() {
        return leases;
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
