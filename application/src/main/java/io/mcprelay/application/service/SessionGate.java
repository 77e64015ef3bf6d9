package io.mcprelay.application.service;

import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.domain.access.Rejection;
import io.mcprelay.domain.access.RejectionReason;
import io.mcprelay.domain.session.ClientKey;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.session.SessionAdmission;
import java.util.Optional;

/**
 * The way into an existing session, shared by every use case that needs one: the session id header
 * must be there and well-formed, the session must live and belong to the requester
 * ({@link Session#usableBy}), and {@code MCP-Protocol-Version} must fit it. Answers the client itself
 * when any of that fails; a session of another principal is answered exactly as an unknown one.
 */
final class SessionGate {

    /** Whether passing the gate renews the session's idle TTL. */
    enum Renew { YES, NO }

    private final SessionStorePort sessions;

    SessionGate(SessionStorePort sessions) {
        this.sessions = sessions;
    }

    /**
     * The session the request names, or empty after the client has been answered (400 missing or
     * malformed id, 404 unknown session, 400 bad protocol version). Store failures propagate as
     * {@link io.mcprelay.application.port.out.StoreUnavailableException}.
     */
    Optional<Session> enter(Optional<String> sessionHeader, Optional<String> versionHeader, ClientKey requester, Renew renew,
                            DownstreamPort downstream) {
        ProxySessionId id;
        switch (SessionAdmission.admitSessionRequest(sessionHeader)) {
            case SessionAdmission.Admission.Refused refused -> {
                downstream.reject(refused.rejection());
                return Optional.empty();
            }
            case SessionAdmission.Admission.UseSession use -> id = use.sessionId();
            case SessionAdmission.Admission.OpenSession open -> throw new IllegalStateException("only initialize opens a session");
        }
        return enter(id, versionHeader, requester, renew, downstream);
    }

    /** As {@link #enter(Optional, Optional, ClientKey, Renew, DownstreamPort)}, for an id already admitted. */
    Optional<Session> enter(ProxySessionId id, Optional<String> versionHeader, ClientKey requester, Renew renew, DownstreamPort downstream) {
        Optional<Session> found = find(id, requester, renew);
        if (found.isEmpty() || !found.get().usableBy(requester)) {
            downstream.reject(Rejection.of(RejectionReason.SESSION_NOT_FOUND, "Session not found"));
            return Optional.empty();
        }
        Optional<Rejection> badVersion = SessionAdmission.checkVersionHeader(versionHeader, Optional.of(found.get().protocolVersion()));
        if (badVersion.isPresent()) {
            downstream.reject(badVersion.get());
            return Optional.empty();
        }
        return found;
    }

    /**
     * The session, renewed when asked. An authenticated requester's session is looked at before it is
     * renewed, so that another principal cannot keep it alive by naming it.
     */
    private Optional<Session> find(ProxySessionId id, ClientKey requester, Renew renew) {
        if (renew == Renew.NO) {
            return sessions.find(id);
        }
        if (requester.isPrincipal() && sessions.find(id).filter(s -> s.usableBy(requester)).isEmpty()) {
            return Optional.empty();
        }
        return sessions.touch(id);
    }

    /** The answer to a request whose store could not be reached. */
    static Rejection storeUnavailable() {
        return Rejection.of(RejectionReason.STORE_UNAVAILABLE, "Service Unavailable: the session store cannot be reached");
    }
}
