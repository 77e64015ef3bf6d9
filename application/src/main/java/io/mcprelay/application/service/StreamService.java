package io.mcprelay.application.service;

import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.port.in.OpenStreamUseCase;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionAdmission;
import io.mcprelay.domain.stream.ResumePoint;
import io.mcprelay.domain.stream.ResumeRules;
import io.mcprelay.domain.stream.StreamKind;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * GET streams (BRIEF §4.5): the session's standalone stream, relayed from the upstream's GET stream
 * and logged like any other; and resumption by {@code Last-Event-ID}, served from the named
 * stream's replay log only. The client's {@code Last-Event-ID} is never sent upstream.
 */
public final class StreamService implements OpenStreamUseCase {

    private static final System.Logger LOG = System.getLogger(StreamService.class.getName());

    private final SessionStorePort sessions;
    private final UpstreamPort upstream;
    private final UpstreamCatalog upstreams;
    private final RelaySettings settings;
    private final StreamRelay streams;
    private final SessionGate gate;
    private final SessionLoad openStreams;
    private final Optional<ModernUpstreamBridge> bridgeToModern;

    public StreamService(SessionStorePort sessions, UpstreamPort upstream, UpstreamCatalog upstreams, RelaySettings settings,
                         StreamRelay streams) {
        this(sessions, upstream, upstreams, settings, streams, Optional.empty());
    }

    /** As the other constructor, with bridge (a): a bridged session's GET stream reads an upstream {@code subscriptions/listen}. */
    public StreamService(SessionStorePort sessions, UpstreamPort upstream, UpstreamCatalog upstreams, RelaySettings settings,
                         StreamRelay streams, Optional<ModernUpstreamBridge> bridgeToModern) {
        this.bridgeToModern = Objects.requireNonNull(bridgeToModern, "bridgeToModern");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.gate = new SessionGate(sessions);
        this.openStreams = new SessionLoad(settings.share().maxStreams());
    }

    @Override
    public void open(OpenStreamCommand command, DownstreamPort downstream) {
        try {
            gate.enter(command.sessionId(), command.protocolVersion(), command.client(), SessionGate.Renew.YES, downstream)
                    .ifPresent(session -> open(session, command, downstream));
        } catch (StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "store unavailable: {0}", e.getMessage());
            downstream.reject(SessionGate.storeUnavailable());
        }
    }

    private void open(Session session, OpenStreamCommand command, DownstreamPort downstream) {
        if (command.lastEventId().isPresent()) {
            resume(session, command.lastEventId().get(), downstream);
        } else {
            openStandalone(session, command, downstream);
        }
    }

    private void resume(Session session, String lastEventId, DownstreamPort downstream) {
        DownstreamPort.Head head = DownstreamPort.Head.of(Optional.of(session.id()));
        switch (ResumeRules.resolve(lastEventId, session.id(), streams.log()::state)) {
            case ResumePoint.Resume resume -> streams.resume(resume.log(), resume.afterSequence(), head, downstream, this::reattacherOf);
            case ResumePoint.Malformed malformed -> downstream.reject(Rejection.of(RejectionReason.LAST_EVENT_ID_MALFORMED,
                    "Bad Request: Last-Event-ID is not an event id this proxy issued"));
            case ResumePoint.Unknown unknown -> downstream.reject(Rejection.of(RejectionReason.LAST_EVENT_ID_UNKNOWN, unknownText(unknown)));
            case ResumePoint.ForeignSession foreign -> downstream.reject(Rejection.of(RejectionReason.LAST_EVENT_ID_FOREIGN,
                    "Bad Request: Last-Event-ID belongs to another session"));
            case ResumePoint.Evicted evicted -> downstream.reject(Rejection.of(RejectionReason.LAST_EVENT_ID_EVICTED,
                    "Gone: the events after " + evicted.id() + " are no longer in the replay log (the oldest kept is "
                            + evicted.firstRetained() + ")"));
        }
    }

    /**
     * Why nothing can be replayed after an unknown id: with replay logs kept by each instance while
     * sessions are shared, the likely reason is that another instance relayed the stream.
     */
    private String unknownText(ResumePoint.Unknown unknown) {
        if (settings.localReplayLogs()) {
            return "Bad Request: Last-Event-ID " + unknown.id() + " names no stream or position of this session on this instance (never issued,"
                    + " its log expired, or another instance relayed the stream: each instance keeps its own replay logs);"
                    + " open a new stream without Last-Event-ID";
        }
        return "Bad Request: Last-Event-ID " + unknown.id() + " names no stream or position of this session (never issued, or its log expired)";
    }

    /** How to reach the upstream of a stream's session again, for an instance taking the stream over. */
    private Optional<UpstreamReconnect> reattacherOf(io.mcprelay.domain.stream.StreamInfo stream) {
        return sessions.find(stream.session()).filter(session -> !ModernUpstreamBridge.bridged(session)).flatMap(session -> upstreams.byName(session.upstream())
                .map(target -> UpstreamSessions.reattach(upstream, UpstreamSessions.of(target, session, ClientContext.NONE), stream.kind())));
    }

    private void openStandalone(Session session, OpenStreamCommand command, DownstreamPort downstream) {
        Optional<UpstreamTarget> target = upstreams.byName(session.upstream());
        if (target.isEmpty()) {
            sessions.delete(session.id());
            streams.forgetSession(session.id());
            downstream.reject(Rejection.of(RejectionReason.SESSION_NOT_FOUND, "Session not found: its upstream is no longer configured"));
            return;
        }
        Optional<SessionLoad.Slot> slot = openStreams.take(session.id());
        if (slot.isEmpty()) {
            downstream.reject(Rejection.of(RejectionReason.SESSION_BUSY, "Too Many Requests: this session already has "
                    + openStreams.share() + " GET streams open, its share (session-max-streams); close one first"));
            return;
        }
        try (SessionLoad.Slot held = slot.get()) {
            relayStandalone(session, target.get(), command, downstream);
        }
    }

    /** Opens the upstream's standalone stream and relays it until it ends, holding one of the session's stream slots. */
    private void relayStandalone(Session session, UpstreamTarget target, OpenStreamCommand command, DownstreamPort downstream) {
        java.time.Instant requestedAt = streams.clock().now();
        UpstreamSession upstreamSession = UpstreamSessions.of(target, session,
                UpstreamSessions.clientContext(command.headers(), settings.headerPolicy()));
        boolean bridged = bridgeToModern.isPresent() && ModernUpstreamBridge.bridged(session);
        UpstreamReply reply = bridged ? bridgeToModern.get().listen(session, target, upstreamSession.client()) : upstream.listen(upstreamSession);
        switch (reply) {
            case UpstreamReply.Events events -> streams.relayLive(events, Optional.of(session), StreamKind.STANDALONE,
                    new DownstreamPort.Head(Optional.of(session.id()), events.echo()), downstream, Set.of(), List.of(), requestedAt,
                    bridged ? UpstreamReconnect.NONE : UpstreamSessions.reattach(upstream, upstreamSession, StreamKind.STANDALONE),
                    Exchange.of(session, command.principal()), List.of());
            case UpstreamReply.NoStream none -> downstream.reject(Rejection.of(
                    RejectionReason.STREAM_NOT_OFFERED, "Method Not Allowed: the upstream offers no standalone GET stream"));
            case UpstreamReply.SessionGone gone -> {
                sessions.delete(session.id());
                streams.forgetSession(session.id());
                downstream.reject(Rejection.of(RejectionReason.SESSION_NOT_FOUND, "Session not found: the upstream ended it; initialize a new session"));
            }
            case UpstreamReply.Refused refused when refused.error().isPresent() && !refused.upstreamFault() ->
                    downstream.refused(new DownstreamPort.Head(Optional.of(session.id()), refused.echo()), refused.error().get(),
                            refused.upstreamFault());
            case UpstreamReply.Refused refused -> downstream.reject(Rejection.of(RejectionReason.UPSTREAM_FAILED,
                    "Bad Gateway: the upstream answered " + refused.detail()));
            case UpstreamReply.Unreachable unreachable -> downstream.reject(UpstreamAnswers.unreachable(unreachable));
            case UpstreamReply.Answer answer -> noStream(downstream);
            case UpstreamReply.Accepted accepted -> noStream(downstream);
            case UpstreamReply.Other other -> {
                other.close();
                noStream(downstream);
            }
        }
    }

    private static void noStream(DownstreamPort downstream) {
        downstream.reject(Rejection.of(RejectionReason.UPSTREAM_FAILED, "Bad Gateway: the upstream answered GET without an event stream"));
    }
}
