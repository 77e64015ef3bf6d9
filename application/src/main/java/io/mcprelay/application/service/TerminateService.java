package io.mcprelay.application.service;

import io.mcprelay.application.port.in.TerminateSessionCommand;
import io.mcprelay.application.port.in.TerminateSessionUseCase;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.StoreUnavailableException;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.domain.access.HeaderPolicy;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionAdmission;
import java.util.Objects;
import java.util.Optional;

/**
 * Ends sessions on DELETE (BRIEF §4.6): our session goes first, so that no request can use it any
 * more, then the upstream is told, best effort (a refusal or a failure there changes nothing for the
 * client, whose session is gone either way).
 */
public final class TerminateService implements TerminateSessionUseCase {

    private static final System.Logger LOG = System.getLogger(TerminateService.class.getName());

    private final SessionStorePort sessions;
    private final UpstreamPort upstream;
    private final UpstreamCatalog upstreams;
    private final HeaderPolicy headerPolicy;
    private final StreamRelay streams;
    private final SessionGate gate;
    private final Optional<ModernUpstreamBridge> bridgeToModern;

    public TerminateService(SessionStorePort sessions, UpstreamPort upstream, UpstreamCatalog upstreams, HeaderPolicy headerPolicy,
                            StreamRelay streams) {
        this(sessions, upstream, upstreams, headerPolicy, streams, Optional.empty());
    }

    /** As the other constructor, with bridge (a): a bridged session's listen streams and open calls here are closed. */
    public TerminateService(SessionStorePort sessions, UpstreamPort upstream, UpstreamCatalog upstreams, HeaderPolicy headerPolicy,
                            StreamRelay streams, Optional<ModernUpstreamBridge> bridgeToModern) {
        this.bridgeToModern = Objects.requireNonNull(bridgeToModern, "bridgeToModern");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.gate = new SessionGate(sessions);
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.headerPolicy = Objects.requireNonNull(headerPolicy, "headerPolicy");
    }

    @Override
    public void terminate(TerminateSessionCommand command, DownstreamPort downstream) {
        try {
            gate.enter(command.sessionId(), command.protocolVersion(), command.client(), SessionGate.Renew.NO, downstream)
                    .ifPresent(session -> terminate(session, command, downstream));
        } catch (StoreUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "session store unavailable: {0}", e.getMessage());
            downstream.reject(SessionGate.storeUnavailable());
        }
    }

    private void terminate(Session session, TerminateSessionCommand command, DownstreamPort downstream) {
        ProxySessionId id = session.id();
        if (!sessions.delete(id)) {
            downstream.reject(Rejection.of(RejectionReason.SESSION_NOT_FOUND, "Session not found"));
            return;
        }
        streams.forgetSession(id);
        LOG.log(System.Logger.Level.INFO, "session {0}: terminated by the client", id);
        if (ModernUpstreamBridge.bridged(session)) {
            // nothing to end upstream: a modern upstream holds no session; what this instance holds for it is closed
            bridgeToModern.ifPresent(bridge -> bridge.ended(id));
        } else if (session.upstreamSessionId().isPresent()) {
            upstreams.byName(session.upstream()).ifPresent(target -> {
                upstream.end(UpstreamSessions.of(target, session, UpstreamSessions.clientContext(command.headers(), headerPolicy))).close();
            });
        }
        downstream.ended(DownstreamPort.Head.NONE);
    }
}
