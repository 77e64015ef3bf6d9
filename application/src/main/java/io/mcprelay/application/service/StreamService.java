package io.mcprelay.application.service;

import io.mcprelay.application.port.in.OpenStreamCommand;
import io.mcprelay.application.port.in.OpenStreamUseCase;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.application.port.out.UpstreamPort;
import io.mcprelay.application.port.out.UpstreamRequest;
import io.mcprelay.application.port.out.UpstreamResponse;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionAdmission;
import io.mcprelay.domain.stream.ResumePoint;
import io.mcprelay.domain.stream.ResumeRules;
import io.mcprelay.domain.stream.StreamKind;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.util.List;
import java.util.Map;
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

    public StreamService(SessionStorePort sessions, UpstreamPort upstream, UpstreamCatalog upstreams, RelaySettings settings,
                         StreamRelay streams) {
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
        DownstreamPort.Head head = new DownstreamPort.Head(Optional.of(session.id()), Map.of());
        switch (ResumeRules.resolve(lastEventId, session.id(), streams.log()::state)) {
            case ResumePoint.Resume resume -> streams.resume(resume.log(), resume.afterSequence(), head, downstream, this::reattacherOf);
            case ResumePoint.Malformed malformed -> downstream.reject(Rejection.of(RejectionReason.LAST_EVENT_ID_MALFORMED,
                    "Bad Request: Last-Event-ID is not an event id this proxy issued"));
            case ResumePoint.Unknown unknown -> downstream.reject(Rejection.of(RejectionReason.LAST_EVENT_ID_UNKNOWN,
                    "Bad Request: Last-Event-ID " + unknown.id() + " names no stream or position of this session (never issued, or its log expired)"));
            case ResumePoint.ForeignSession foreign -> downstream.reject(Rejection.of(RejectionReason.LAST_EVENT_ID_FOREIGN,
                    "Bad Request: Last-Event-ID belongs to another session"));
            case ResumePoint.Evicted evicted -> downstream.reject(Rejection.of(RejectionReason.LAST_EVENT_ID_EVICTED,
                    "Gone: the events after " + evicted.id() + " are no longer in the replay log (the oldest kept is "
                            + evicted.firstRetained() + ")"));
        }
    }

    /** How to reach the upstream of a stream's session again, for an instance taking the stream over. */
    private Optional<UpstreamReconnect> reattacherOf(io.mcprelay.domain.stream.StreamInfo stream) {
        return sessions.find(stream.session()).flatMap(session -> upstreams.byName(session.upstream())
                .map(target -> UpstreamHeaders.reattach(upstream, target, session,
                        UpstreamHeaders.forSession(Map.of(), session, settings.headerPolicy()), stream.kind())));
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

    /** Opens the upstream's GET stream and relays it until it ends, holding one of the session's stream slots. */
    private void relayStandalone(Session session, UpstreamTarget target, OpenStreamCommand command, DownstreamPort downstream) {
        java.time.Instant requestedAt = streams.clock().now();
        Map<String, String> headers = UpstreamHeaders.forSession(command.headers(), session, settings.headerPolicy());
        UpstreamResponse response = upstream.exchange(new UpstreamRequest(target, UpstreamRequest.Method.GET,
                headers, session.upstreamSessionId(), new byte[0]));
        switch (response) {
            case UpstreamResponse.EventStream stream -> streams.relayLive(stream, Optional.of(session), StreamKind.STANDALONE,
                    new DownstreamPort.Head(Optional.of(session.id()), UpstreamHeaders.downstream(stream.headers(), settings.headerPolicy())),
                    downstream, Set.of(), List.of(), requestedAt, UpstreamHeaders.reattach(upstream, target, session, headers, StreamKind.STANDALONE),
                    Exchange.of(session, command.principal()), List.of());
            case UpstreamResponse.Failed failed when failed.status() == 405 -> downstream.reject(Rejection.of(
                    RejectionReason.STREAM_NOT_OFFERED, "Method Not Allowed: the upstream offers no standalone GET stream"));
            case UpstreamResponse.Failed failed when failed.status() == 404 -> {
                sessions.delete(session.id());
                streams.forgetSession(session.id());
                downstream.reject(Rejection.of(RejectionReason.SESSION_NOT_FOUND, "Session not found: the upstream ended it; initialize a new session"));
            }
            case UpstreamResponse.Failed failed -> {
                if (io.mcprelay.domain.access.MediaTypes.isJson(failed.contentType()) && failed.status() < 500) {
                    downstream.json(failed.status(), new DownstreamPort.Head(Optional.of(session.id()), Map.of()), failed.body());
                } else {
                    downstream.reject(Rejection.of(RejectionReason.UPSTREAM_FAILED,
                            "Bad Gateway: the upstream answered GET with HTTP " + failed.status()));
                }
            }
            case UpstreamResponse.Unreachable unreachable -> downstream.reject(UpstreamAnswers.unreachable(unreachable));
            default -> {
                RelayService.closeQuietly(response);
                downstream.reject(Rejection.of(RejectionReason.UPSTREAM_FAILED,
                        "Bad Gateway: the upstream answered GET without an event stream"));
            }
        }
    }
}
