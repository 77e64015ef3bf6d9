package io.mcprelay.application.service;

import io.mcprelay.application.port.in.EvictSessionUseCase;
import io.mcprelay.application.port.in.ListSessionsQuery;
import io.mcprelay.application.port.out.EventLogPort;
import io.mcprelay.application.port.out.LogSlice;
import io.mcprelay.application.port.out.SessionMessage;
import io.mcprelay.application.port.out.SessionPage;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.application.port.out.SessionStorePort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.domain.session.ProxySessionId;
import io.mcprelay.domain.session.Session;
import io.mcprelay.domain.stream.LogState;
import io.mcprelay.domain.stream.LoggedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The operators' use cases on sessions: look at them (with their streams and latest messages), and end one. */
public final class AdminService implements ListSessionsQuery, EvictSessionUseCase {

    private static final System.Logger LOG = System.getLogger(AdminService.class.getName());

    private final SessionStorePort sessions;
    private final UpstreamPort upstream;
    private final UpstreamCatalog upstreams;
    private final StreamRelay streams;

    public AdminService(SessionStorePort sessions, UpstreamPort upstream, UpstreamCatalog upstreams,
                        StreamRelay streams) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    @Override
    public SessionPage listSessions(SessionQuery query) {
        return sessions.list(query);
    }

    @Override
    public Optional<Session> findSession(ProxySessionId id) {
        return sessions.find(id);
    }

    @Override
    public List<LogState> streamsOf(ProxySessionId id) {
        Objects.requireNonNull(id, "id");
        return streams.log().streamsOf(id);
    }

    /**
     * {@inheritDoc} Reads each stream's tail ({@code readAfter} from
     * {@code max(firstSequence - 1, lastSequence - wanted)}), newest stream first, until enough.
     */
    @Override
    public List<SessionMessage> recentMessages(ProxySessionId id, int max) {
        Objects.requireNonNull(id, "id");
        int wanted = Math.clamp(max, 0, MAX_RECENT_MESSAGES);
        List<SessionMessage> messages = new ArrayList<>(wanted);
        EventLogPort log = streams.log();
        for (LogState state : wanted == 0 ? List.<LogState>of() : log.streamsOf(id)) {
            int left = wanted - messages.size();
            if (left <= 0) {
                break;
            }
            long after = Math.max(state.firstSequence() - 1, state.lastSequence() - left);
            LogSlice slice = log.readAfter(state.stream().id(), after, left);
            List<LoggedEvent> events = slice.events();
            for (int i = events.size() - 1; i >= 0 && messages.size() < wanted; i--) {
                messages.add(new SessionMessage(state.stream().id(), events.get(i)));
            }
        }
        return List.copyOf(messages);
    }

    @Override
    public boolean evict(ProxySessionId id) {
        Optional<Session> found = sessions.find(id);
        if (found.isEmpty() || !sessions.delete(id)) {
            return false;
        }
        Session session = found.get();
        streams.forgetSession(id);
        LOG.log(System.Logger.Level.INFO, "session {0}: ended by an operator", id);
        if (session.upstreamSessionId().isPresent() && !ModernUpstreamBridge.bridged(session)) {
            upstreams.byName(session.upstream())
                    .ifPresent(target -> upstream.end(UpstreamSessions.of(target, session, ClientContext.NONE)).close());
        }
        return true;
    }
}
