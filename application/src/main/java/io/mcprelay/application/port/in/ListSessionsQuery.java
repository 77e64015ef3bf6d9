package io.mcprelay.application.port.in;

import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import java.util.Optional;

/** What operators see of sessions: pages of them (filtered, with the total) and one by id. */
public interface ListSessionsQuery {

    SessionPage listSessions(SessionQuery query);

    Optional<Session> findSession(ProxySessionId id);
}
