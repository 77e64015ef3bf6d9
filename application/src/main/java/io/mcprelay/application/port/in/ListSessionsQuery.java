package io.mcprelay.application.port.in;

import io.mcprelay.application.port.out.SessionMessage;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.stream.LogState;
import java.util.List;
import java.util.Optional;

/**
 * What operators see of sessions: pages of them (filtered, with the total), one by id, and one
 * session's streams and latest messages as their replay logs hold them.
 */
public interface ListSessionsQuery {

    /** The most {@link #recentMessages} returns, whatever is asked for. */
    int MAX_RECENT_MESSAGES = 50;

    SessionPage listSessions(SessionQuery query);

    Optional<Session> findSession(ProxySessionId id);

    /** The session's streams whose replay logs live, newest first; empty for an unknown session. */
    List<LogState> streamsOf(ProxySessionId id);

    /**
     * The session's latest logged events, at most {@code max} (and never more than
     * {@value #MAX_RECENT_MESSAGES}), newest first: the newest stream's events first, each stream's
     * newest event first (logs keep no time per event, so events of different streams are not
     * interleaved by time). Only what the logs still retain.
     */
    List<SessionMessage> recentMessages(ProxySessionId id, int max);
}
